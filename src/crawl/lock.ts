/** Moved to the store layer (src/store/crawl/lock.ts); this path stays for the crawl tests. */
export * from '../store/crawl/lock.js';
