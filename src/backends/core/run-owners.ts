import type { RunOwnerStore } from './stores.js';

/**
 * A `RunOwnerStore` in this process's memory: at most `maxRuns` runs (oldest dropped first: feedback
 * on a run that old answers 404), each for its `ttlMs`.
 */
export class InMemoryRunOwnerStore implements RunOwnerStore {
  // run id → [owner, expiry]; insertion order is age order.
  readonly #runs = new Map<string, [string, number]>();
  readonly #maxRuns: number;
  readonly #now: () => number;

  constructor(options: { maxRuns?: number; now?: () => number } = {}) {
    this.#maxRuns = Math.max(1, options.maxRuns ?? 50_000);
    this.#now = options.now ?? Date.now;
  }

  async remember(runId: string, owner: string, ttlMs: number): Promise<void> {
    this.#runs.delete(runId);
    this.#runs.set(runId, [owner, this.#now() + ttlMs]);
    while (this.#runs.size > this.#maxRuns) this.#runs.delete(this.#runs.keys().next().value!);
  }

  async owner(runId: string): Promise<string | null> {
    const entry = this.#runs.get(runId);
    if (!entry) return null;
    if (entry[1] > this.#now()) return entry[0];
    this.#runs.delete(runId);
    return null;
  }
}
