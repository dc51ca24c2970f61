/**
 * Operate helpers (the guide's step 5): everything is segmentable by the `anon:` namespace, with
 * one catch the guide does not spell out. A claimed smith keeps its `anon:` external_id (it is
 * immutable), so `external_id_prefix=anon:` also lists signed-in accounts' conversations. The
 * anonymous helpers here take the `SmithDirectory` that recorded the claims and never yield,
 * count as idle, or archive a claimed smith.
 */
import type { IngramClient } from './client.js';
import { ANONYMOUS_PREFIX, directoryKeys, type SmithDirectory } from './smith-directory.js';
import type { UpstreamRun, UpstreamSmith } from './upstream-types.js';

export interface ListAllOptions {
  /** `external_id_prefix`; default `anon:` for the anonymous helpers. */
  prefix?: string;
  /** Page size (the API caps it). */
  pageSize?: number;
  signal?: AbortSignal;
}

/** Options of the helpers that must tell logged-out visitors from claimed (signed-in) smiths. */
export interface AnonymousOptions extends Omit<ListAllOptions, 'prefix'> {
  /** The directory your backend records claims in (the same store: SQLite file, Redis…). */
  directory: SmithDirectory;
}

/** Every smith whose external_id starts with `prefix`, following the pages. */
export async function* listAllSmiths(client: IngramClient, options: ListAllOptions = {}): AsyncGenerator<UpstreamSmith, void, undefined> {
  let after: string | undefined;
  for (;;) {
    const page = await client.listSmiths(
      { external_id_prefix: options.prefix ?? '', ...(options.pageSize ? { limit: options.pageSize } : {}), ...(after ? { after } : {}) },
      { signal: options.signal },
    );
    yield* page.data;
    if (!page.has_more || !page.next_cursor) return;
    after = page.next_cursor;
  }
}

/** Every run of smiths whose external_id starts with `prefix`, following the pages. */
export async function* listAllRuns(client: IngramClient, options: ListAllOptions = {}): AsyncGenerator<UpstreamRun, void, undefined> {
  let after: string | undefined;
  for (;;) {
    const page = await client.listRuns(
      { external_id_prefix: options.prefix ?? '', ...(options.pageSize ? { limit: options.pageSize } : {}), ...(after ? { after } : {}) },
      { signal: options.signal },
    );
    yield* page.data;
    if (!page.has_more || !page.next_cursor) return;
    after = page.next_cursor;
  }
}

/**
 * Whether an `anon:` smith belongs to a signed-in account: its identity has a `claimed:` record in
 * the directory (written in the claim's atomic step, before anything is stamped upstream), or it
 * carries a display name or customer id (this package stamps those only at claim; an anonymous
 * smith never gets them). A smith outside the `anon:` namespace is an account's by definition.
 */
export async function isClaimedSmith(smith: Pick<UpstreamSmith, 'external_id' | 'display_name' | 'customer_id'>, directory: SmithDirectory): Promise<boolean> {
  if (!smith.external_id.startsWith(ANONYMOUS_PREFIX)) return true;
  if (smith.display_name !== null || smith.customer_id !== null) return true;
  return (await directory.get(directoryKeys.claimed(smith.external_id))) !== null;
}

function requireDirectory(options: { directory?: SmithDirectory } | undefined, what: string): SmithDirectory {
  const directory = options?.directory;
  if (!directory || typeof directory.get !== 'function') {
    throw new TypeError(`${what} needs the SmithDirectory your backend records claims in: a claimed smith keeps its "anon:" external_id.`);
  }
  return directory;
}

/** Logged-out visitors' smiths: the `anon:` segment without the claimed ones. */
export async function* listAnonymousSmiths(client: IngramClient, options: AnonymousOptions): AsyncGenerator<UpstreamSmith, void, undefined> {
  const directory = requireDirectory(options, 'listAnonymousSmiths');
  for await (const smith of listAllSmiths(client, { ...options, prefix: ANONYMOUS_PREFIX })) {
    if (!(await isClaimedSmith(smith, directory))) yield smith;
  }
}

/** Anonymous conversations' run history, without the runs of claimed smiths. */
export async function* listAnonymousRuns(client: IngramClient, options: AnonymousOptions): AsyncGenerator<UpstreamRun, void, undefined> {
  const directory = requireDirectory(options, 'listAnonymousRuns');
  // One directory read per identity, not per run.
  const claimed = new Map<string, boolean>();
  for await (const run of listAllRuns(client, { ...options, prefix: ANONYMOUS_PREFIX })) {
    let known = claimed.get(run.external_id);
    if (known === undefined) {
      known = (await directory.get(directoryKeys.claimed(run.external_id))) !== null;
      claimed.set(run.external_id, known);
    }
    if (!known) yield run;
  }
}

/** An anonymous smith and when it was last used. */
export interface AnonymousSmithActivity {
  smith: UpstreamSmith;
  /** The newest of its runs' `created_at`, or null when it never ran. */
  lastRunAt: string | null;
  /** `lastRunAt`, else the smith's `created_at`. */
  lastActiveAt: string;
  runs: number;
}

export interface AnonymousActivityOptions extends AnonymousOptions {
  /** Only smiths whose last activity is at least this many days old (0: every one). */
  idleDays?: number;
  /** The clock (tests). */
  now?: Date;
}

export interface AnonymousActivityReport {
  smiths: AnonymousSmithActivity[];
  /** Claimed smiths in the `anon:` segment, left out. */
  claimedSkipped: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Logged-out visitors' smiths with their last activity from the run history (`GET /v1/runs` of the
 * segment, read once), oldest first, optionally only those idle for `idleDays`. Claimed smiths are
 * left out.
 */
export async function listAnonymousActivity(client: IngramClient, options: AnonymousActivityOptions): Promise<AnonymousActivityReport> {
  const directory = requireDirectory(options, 'listAnonymousActivity');
  const idleDays = options.idleDays ?? 0;
  if (!Number.isFinite(idleDays) || idleDays < 0) throw new RangeError('idleDays must be a number of days, 0 or more.');
  const cutoff = (options.now ?? new Date()).getTime() - idleDays * DAY_MS;
  const lastRun = new Map<string, { at: string; count: number }>();
  for await (const run of listAllRuns(client, { ...options, prefix: ANONYMOUS_PREFIX })) {
    const seen = lastRun.get(run.smith_id);
    if (!seen) lastRun.set(run.smith_id, { at: run.created_at, count: 1 });
    else {
      seen.count++;
      if (Date.parse(run.created_at) > Date.parse(seen.at)) seen.at = run.created_at;
    }
  }
  const smiths: AnonymousSmithActivity[] = [];
  let claimedSkipped = 0;
  for await (const smith of listAllSmiths(client, { ...options, prefix: ANONYMOUS_PREFIX })) {
    if (await isClaimedSmith(smith, directory)) {
      claimedSkipped++;
      continue;
    }
    const runs = lastRun.get(smith.id);
    const lastActiveAt = runs?.at ?? smith.created_at;
    if (Date.parse(lastActiveAt) > cutoff) continue;
    smiths.push({ smith, lastRunAt: runs?.at ?? null, lastActiveAt, runs: runs?.count ?? 0 });
  }
  smiths.sort((a, b) => Date.parse(a.lastActiveAt) - Date.parse(b.lastActiveAt));
  return { smiths, claimedSkipped };
}

export interface ArchiveAnonymousOptions extends AnonymousActivityOptions {
  idleDays: number;
  /** List what would be archived; change nothing. */
  dryRun?: boolean;
  /** Called for each smith archived (or, with `dryRun`, that would be). */
  onSmith?: (activity: AnonymousSmithActivity) => void;
}

export interface ArchiveAnonymousReport extends AnonymousActivityReport {
  /** Archived (with `dryRun`: would be archived). */
  archived: AnonymousSmithActivity[];
  /** Claimed between the listing and its turn: left alone. */
  claimedMeanwhile: number;
  dryRun: boolean;
}

/**
 * Soft-archives (`DELETE /v1/smiths/{id}`) logged-out visitors' smiths idle for `idleDays`, never a
 * claimed one: each is checked against the directory again right before its DELETE, so a visitor
 * who signed in while the listing ran keeps their conversation.
 */
export async function archiveIdleAnonymousSmiths(client: IngramClient, options: ArchiveAnonymousOptions): Promise<ArchiveAnonymousReport> {
  const directory = requireDirectory(options, 'archiveIdleAnonymousSmiths');
  if (typeof options.idleDays !== 'number') throw new TypeError('archiveIdleAnonymousSmiths needs idleDays (0 archives every anonymous smith).');
  const report = await listAnonymousActivity(client, options);
  const archived: AnonymousSmithActivity[] = [];
  let claimedMeanwhile = 0;
  for (const activity of report.smiths) {
    if (options.signal?.aborted) break;
    if ((await directory.get(directoryKeys.claimed(activity.smith.external_id))) !== null) {
      claimedMeanwhile++;
      continue;
    }
    if (!options.dryRun) {
      try {
        await client.archiveSmith(activity.smith.id, { signal: options.signal });
      } catch (err) {
        // Archived by someone else meanwhile: nothing left to do for it.
        if ((err as { upstreamStatus?: number }).upstreamStatus !== 404) throw err;
        continue;
      }
    }
    archived.push(activity);
    options.onSmith?.(activity);
  }
  return { ...report, archived, claimedMeanwhile, dryRun: options.dryRun === true };
}

/**
 * Soft-archives the active smith keyed exactly to `externalId` (frees the id); returns its id or
 * null. An `anon:` id needs the directory, and a claimed one is refused (null): its smith is an
 * account's conversation.
 */
export async function archiveByExternalId(client: IngramClient, externalId: string, options: { directory?: SmithDirectory } = {}): Promise<string | null> {
  const anonymous = externalId.startsWith(ANONYMOUS_PREFIX);
  const directory = anonymous ? requireDirectory(options, 'archiveByExternalId of an anon: id') : undefined;
  for await (const smith of listAllSmiths(client, { prefix: externalId })) {
    if (smith.external_id !== externalId) continue;
    if (directory && (await isClaimedSmith(smith, directory))) return null;
    await client.archiveSmith(smith.id);
    return smith.id;
  }
  return null;
}
