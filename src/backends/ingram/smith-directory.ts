/**
 * Where the backend records what the API cannot tell it: which smith a signed-in user claimed
 * (`user:<id>` → `smt_…`) and which anonymous identities were claimed (`claimed:<external_id>`).
 * Single server: `InMemorySmithDirectory` (lost on restart) or `SqliteSmithDirectory` (durable).
 * Many servers: implement these three methods over Redis or Postgres (see docs/backends.md).
 */
export interface SmithDirectory {
  get(key: string): Promise<string | null>;
  set(key: string, smithId: string): Promise<void>;
  delete(key: string): Promise<void>;
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
}
