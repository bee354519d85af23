/** Moved to the store layer (src/store/crawl/frontier.ts); this path stays for the crawl tests. */
export * from '../store/crawl/frontier.js';
