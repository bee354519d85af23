/**
 * The CrawlStore on SQLite: the synchronous modules beside this file
 * (frontier, versions, runs, lock) behind the async interface, unchanged in
 * what they do.
 */
import type { DB } from '../db.js';
import { SqliteStore } from '../store.js';
import { Frontier, type Completion, type NewItem } from './frontier.js';
import { CrawlLock } from './lock.js';
import { finishRun, hostCounts, saveCounts, saveHosts, startRun } from './runs.js';
import type { CrawlFrontier, CrawlLease, CrawlStore, LockRequest } from './types.js';
import {
  knownDocuments,
  latestContent,
  linksFrom,
  recordContent,
  recordLinks,
  recordNotModified,
  recordState,
  type Observed,
} from './versions.js';

class SqliteFrontier implements CrawlFrontier {
  constructor(private readonly fr: Frontier) {}
  get runId() {
    return this.fr.runId;
  }
  get onQueued() {
    return this.fr.onQueued;
  }
  set onQueued(f) {
    this.fr.onQueued = f;
  }
  async add(items: NewItem[]) {
    return this.fr.add(items);
  }
  async skip(items: NewItem[], reason: string) {
    return this.fr.skip(items, reason);
  }
  async claimFor(host: string) {
    return this.fr.claimFor(host);
  }
  async queuedHosts() {
    return this.fr.queuedHosts();
  }
  async fetchedByHost() {
    return this.fr.fetchedByHost();
  }
  async complete(id: number, c: Completion) {
    this.fr.complete(id, c);
  }
  async recordDone(item: NewItem, c: Completion) {
    this.fr.recordDone(item, c);
  }
  async requeue(id: number) {
    this.fr.requeue(id);
  }
  async skipQueuedOf(host: string, reason: string) {
    return this.fr.skipQueuedOf(host, reason);
  }
  async requeueInProgress() {
    return this.fr.requeueInProgress();
  }
  async skipQueued(reason: string) {
    return this.fr.skipQueued(reason);
  }
  async queued() {
    return this.fr.queued();
  }
  async fetchedCount() {
    return this.fr.fetchedCount();
  }
  async counts() {
    return this.fr.counts();
  }
  async failures(limit?: number) {
    return this.fr.failures(limit);
  }
  async stateOf(url: string) {
    return this.fr.stateOf(url);
  }
}

export class SqliteCrawlStore implements CrawlStore {
  readonly engine = 'sqlite';
  readonly documents: SqliteStore;

  /** `db` stays the caller's (close() leaves it open) unless `owned`. */
  constructor(
    readonly db: DB,
    private readonly owned = false,
  ) {
    this.documents = new SqliteStore(db);
  }

  async lock(r: LockRequest): Promise<CrawlLease> {
    // One crawl per SQLite file, whatever its hosts (a single writer anyway).
    const lock = CrawlLock.acquire(this.db, { staleAfterMs: r.staleAfterMs, heartbeatMs: r.heartbeatMs, onLost: r.onLost });
    return {
      tookOverFrom: lock.tookOverFrom,
      setRun: async (runId) => lock.setRun(runId),
      release: async () => lock.release(),
    };
  }
  async startRun(seeds: string[], options: Record<string, unknown>, policy: { fresh: boolean; resumeWithinMs: number }) {
    return startRun(this.db, seeds, options, policy);
  }
  frontier(runId: number, bounds: { maxDepth: number; maxListingPages: number }): CrawlFrontier {
    return new SqliteFrontier(new Frontier(this.db, runId, bounds));
  }
  async saveCounts(...a: Parameters<CrawlStore['saveCounts']>) {
    saveCounts(this.db, ...a);
  }
  async finishRun(...a: Parameters<CrawlStore['finishRun']>) {
    finishRun(this.db, ...a);
  }
  async hostCounts(runId: number) {
    return hostCounts(this.db, runId);
  }
  async saveHosts(...a: Parameters<CrawlStore['saveHosts']>) {
    saveHosts(this.db, ...a);
  }
  async latestContent(url: string) {
    return latestContent(this.db, url);
  }
  async recordContent(o: Observed) {
    return recordContent(this.db, o);
  }
  async recordNotModified(url: string, etag?: string, lastModified?: string) {
    return recordNotModified(this.db, url, etag, lastModified);
  }
  async recordState(o: Observed, status: 'gone' | 'too-large') {
    return recordState(this.db, o, status);
  }
  async recordLinks(...a: Parameters<CrawlStore['recordLinks']>) {
    recordLinks(this.db, ...a);
  }
  async linksFrom(fromUrl: string) {
    return linksFrom(this.db, fromUrl);
  }
  async knownDocuments() {
    return knownDocuments(this.db);
  }
  async close(): Promise<void> {
    if (this.owned) this.db.close();
  }
}
