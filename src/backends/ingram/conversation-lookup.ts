/**
 * Read-only questions a claim asks the API before deciding whose conversation wins. The API has no
 * exact lookup by external_id and no per-smith run listing, so both go through the prefix filters,
 * bounded: a short user id ("1") is the prefix of many smiths, and a login must not page through
 * all of them.
 */
import type { IngramClient } from './client.js';
import { listAllRuns, listAllSmiths } from './operate.js';

/** How many listed items a lookup reads before it gives up and answers "unknown". */
export const LOOKUP_SCAN_LIMIT = 1000;

/** `true`/`false`, or `'unknown'` when the bound was reached first. */
export type Lookup<T> = T | 'unknown';

/** Whether the smith `smithId` (keyed to `externalId`) has at least one run. */
export async function smithHasRuns(client: IngramClient, externalId: string, smithId: string, scanLimit = LOOKUP_SCAN_LIMIT): Promise<Lookup<boolean>> {
  let seen = 0;
  // Runs of an earlier, archived smith with the same external_id match the prefix too: compare ids.
  for await (const run of listAllRuns(client, { prefix: externalId })) {
    if (run.smith_id === smithId) return true;
    if (++seen >= scanLimit) return 'unknown';
  }
  return false;
}

/** The active smith keyed exactly to `externalId`, or null. */
export async function findSmithByExternalId(client: IngramClient, externalId: string, scanLimit = LOOKUP_SCAN_LIMIT): Promise<Lookup<string | null>> {
  let seen = 0;
  for await (const smith of listAllSmiths(client, { prefix: externalId })) {
    if (smith.external_id === externalId && !smith.archived_at) return smith.id;
    if (++seen >= scanLimit) return 'unknown';
  }
  return null;
}
