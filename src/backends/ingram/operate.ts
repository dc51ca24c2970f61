/**
 * Operate helpers (the guide's step 5): everything is segmentable by the `anon:` namespace.
 */
import type { IngramClient } from './client.js';
import type { UpstreamRun, UpstreamSmith } from './upstream-types.js';

export interface ListAllOptions {
  /** `external_id_prefix`; default `anon:` for the anonymous helpers. */
  prefix?: string;
  /** Page size (the API caps it). */
  pageSize?: number;
  signal?: AbortSignal;
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

/** Logged-out visitors' smiths. */
export function listAnonymousSmiths(client: IngramClient, options: Omit<ListAllOptions, 'prefix'> = {}): AsyncGenerator<UpstreamSmith, void, undefined> {
  return listAllSmiths(client, { ...options, prefix: 'anon:' });
}

/** Anonymous conversations' run history. */
export function listAnonymousRuns(client: IngramClient, options: Omit<ListAllOptions, 'prefix'> = {}): AsyncGenerator<UpstreamRun, void, undefined> {
  return listAllRuns(client, { ...options, prefix: 'anon:' });
}

/** Soft-archives the active smith keyed exactly to `externalId` (frees the id); returns its id or null. */
export async function archiveByExternalId(client: IngramClient, externalId: string): Promise<string | null> {
  for await (const smith of listAllSmiths(client, { prefix: externalId })) {
    if (smith.external_id === externalId) {
      await client.archiveSmith(smith.id);
      return smith.id;
    }
  }
  return null;
}
