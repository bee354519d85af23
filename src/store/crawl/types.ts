/**
 * What the crawler keeps in the store, as one interface with two engines:
 * SQLite (./sqlite.ts, over the synchronous modules beside it) and
 * PostgreSQL (../pg/crawl.ts). The crawl engine (src/crawl/) holds a
 * CrawlStore and never asks which engine it is on.
 */
import type { DocumentStore } from '../store.js';
import type { Completion, FrontierItem, FrontierState, NewItem, RunCounts } from './frontier.js';
import type { HostCounts, RunStart, RunStatus } from './runs.js';
import type { LinkRow, Observed, UrlVersion } from './versions.js';

/** What a frontier row stands for (src/crawl/discover.ts decides it). */
export type PageKind = 'start' | 'listing' | 'report' | 'attachment';

export interface FailedItem {
  fetch_url: string;
  error: string | null;
  error_message: string | null;
  http_status: number | null;
  referrer: string | null;
}

/** One run's queue (crawl_frontier): see ./frontier.ts for the rules every engine keeps. */
export interface CrawlFrontier {
  readonly runId: number;
  /** Called with the host of every item queued (the scheduler keeps its set of hosts with work). */
  onQueued?: (host: string) => void;
  add(items: NewItem[]): Promise<number>;
  skip(items: NewItem[], reason: string): Promise<number>;
  claimFor(host: string): Promise<FrontierItem | undefined>;
  queuedHosts(): Promise<string[]>;
  fetchedByHost(): Promise<Map<string, number>>;
  complete(id: number, c: Completion): Promise<void>;
  recordDone(item: NewItem, c: Completion): Promise<void>;
  requeue(id: number): Promise<void>;
  skipQueuedOf(host: string, reason: string): Promise<number>;
  requeueInProgress(): Promise<number>;
  skipQueued(reason: string): Promise<number>;
  queued(): Promise<number>;
  fetchedCount(): Promise<number>;
  counts(): Promise<RunCounts>;
  failures(limit?: number): Promise<FailedItem[]>;
  stateOf(url: string): Promise<{ state: FrontierState; error: string | null; redirect_to: string | null } | undefined>;
}

/** The crawl lock, held for a run: see ./lock.ts (SQLite) and ../pg/crawl.ts (PostgreSQL). */
export interface CrawlLease {
  /** The holder this lock replaced, when it took over a stale one. */
  readonly tookOverFrom?: { pid: number; host: string; heartbeat_at: string };
  setRun(runId: number): Promise<void>;
  release(): Promise<void>;
}

export interface LockRequest {
  /** Hosts of the start URLs: PostgreSQL locks per host, so crawls of other hosts run at once. */
  hosts: string[];
  staleAfterMs: number;
  heartbeatMs: number;
  /** Called when the lock is found taken by someone else (the run stops). */
  onLost: () => void;
}

export interface CrawlStore {
  readonly engine: string;
  /** The documents the crawl stores go through the ingest service into this. */
  readonly documents: DocumentStore;
  /** Takes the crawl lock or throws LockedError. */
  lock(request: LockRequest): Promise<CrawlLease>;
  startRun(seeds: string[], options: Record<string, unknown>, policy: { fresh: boolean; resumeWithinMs: number }): Promise<RunStart>;
  frontier(runId: number, bounds: { maxDepth: number; maxListingPages: number }): CrawlFrontier;
  saveCounts(runId: number, c: RunCounts): Promise<void>;
  finishRun(runId: number, status: RunStatus, c: RunCounts, error?: string): Promise<void>;
  hostCounts(runId: number): Promise<HostCounts[]>;
  saveHosts(runId: number, hosts: HostCounts[]): Promise<void>;

  latestContent(url: string): Promise<UrlVersion | undefined>;
  recordContent(o: Observed): Promise<'new' | 'changed' | 'unchanged'>;
  recordNotModified(url: string, etag?: string, lastModified?: string): Promise<UrlVersion | undefined>;
  recordState(o: Observed, status: 'gone' | 'too-large'): Promise<boolean>;
  recordLinks(fromUrl: string, links: Array<{ to: string; kind: string; anchor?: string }>): Promise<void>;
  linksFrom(fromUrl: string): Promise<LinkRow[]>;
  knownDocuments(): Promise<Array<{ url: string; fetched_url: string; referrer: string | null }>>;
  /** Closes what this store opened (not a handle the caller passed in). */
  close(): Promise<void>;
}
