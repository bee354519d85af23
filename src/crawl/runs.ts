/** Moved to the store layer (src/store/crawl/runs.ts); this path stays for the crawl tests. */
export * from '../store/crawl/runs.js';
