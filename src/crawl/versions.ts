/** Moved to the store layer (src/store/crawl/versions.ts); this path stays for the crawl tests. */
export * from '../store/crawl/versions.js';
