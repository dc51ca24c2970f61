/**
 * Where the backend records what the API cannot tell it: which smith a signed-in user claimed
 * (`user:<id>` → `smt_…`) and which anonymous identities were claimed (`claimed:<external_id>`).
 * Single server: `InMemorySmithDirectory` (lost on restart) or `SqliteSmithDirectory` (durable).
 * Many servers: implement these four methods over Redis or Postgres (see docs/backends.md).
 */
export interface SmithDirectory {
  get(key: string): Promise<string | null>;
  set(key: string, smithId: string): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * One atomic step of a claim, so a crash or a race half-way can never leave the anonymous
   * identity usable with the account's smith, nor overwrite a user's own smith:
   * - `claimedKey` already set: nothing changes → `already_claimed` with the smith it names;
   * - else `userKey` already set: `claimedKey` ← `smithId` (the anonymous identity is retired, its
   *   conversation stays on its own smith), `userKey` untouched → `user_has_smith` with the user's smith;
   * - else both ← `smithId` → `claimed`.
   */
  claim(userKey: string, claimedKey: string, smithId: string): Promise<ClaimOutcome>;
}

/** The namespace of logged-out visitors' smiths (segment them with `external_id_prefix=anon:`). */
export const ANONYMOUS_PREFIX = 'anon:';

/** The directory's keys: a signed-in user's smith, and an anonymous identity that was claimed (retired). */
export const directoryKeys = {
  user: (userId: string) => `user:${userId}`,
  claimed: (externalId: string) => `claimed:${externalId}`,
} as const;

/** What `SmithDirectory.claim` did. */
export type ClaimOutcome = { outcome: 'claimed'; smithId: string } | { outcome: 'user_has_smith'; smithId: string } | { outcome: 'already_claimed'; smithId: string };

/** The rule of `SmithDirectory.claim` over a map's current values (for stores that can run it atomically). */
export function decideClaim(user: string | null, claimed: string | null, smithId: string): ClaimOutcome {
  if (claimed !== null) return { outcome: 'already_claimed', smithId: claimed };
  if (user !== null) return { outcome: 'user_has_smith', smithId: user };
  return { outcome: 'claimed', smithId };
}

/** A `SmithDirectory` in a Map: fine for one process and for tests; forgotten on restart. */
export class InMemorySmithDirectory implements SmithDirectory {
  readonly #map = new Map<string, string>();

  async get(key: string): Promise<string | null> {
    return this.#map.get(key) ?? null;
  }

  async set(key: string, smithId: string): Promise<void> {
    this.#map.set(key, smithId);
  }

  async delete(key: string): Promise<void> {
    this.#map.delete(key);
  }

  async claim(userKey: string, claimedKey: string, smithId: string): Promise<ClaimOutcome> {
    // No await between the reads and the writes: one step on a single thread.
    const result = decideClaim(this.#map.get(userKey) ?? null, this.#map.get(claimedKey) ?? null, smithId);
    if (result.outcome !== 'already_claimed') this.#map.set(claimedKey, smithId);
    if (result.outcome === 'claimed') this.#map.set(userKey, smithId);
    return result;
  }
}
