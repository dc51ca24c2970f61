/**
 * Which conversations each signed-in visitor had, for `GET /threads` (`features.threads`): the core
 * keeps the list (owner, title, dates), the backend keeps the messages. The list is also the
 * ownership check of `GET/DELETE /threads/{thread_id}`: a thread not in the visitor's list is
 * answered as absent. Bounded per visitor (`THREAD_LIMITS.max_threads`, oldest dropped) and, in
 * memory, over visitors (least recently active dropped).
 */
import { THREAD_LIMITS, type ThreadSummary } from '../../protocol/threads.js';

export interface ThreadIndexStore {
  /** A turn of `owner`'s thread: listed with `title` the first time, moved to the top after. */
  touch(owner: string, threadId: string, title: string, now: number): Promise<void>;
  /** Newest first, at most `THREAD_LIMITS.max_threads`. */
  list(owner: string): Promise<ThreadSummary[]>;
  get(owner: string, threadId: string): Promise<ThreadSummary | null>;
  /** `false` when `owner` had no such thread. */
  remove(owner: string, threadId: string): Promise<boolean>;
}

/** One process's `ThreadIndexStore`. */
export class InMemoryThreadIndex implements ThreadIndexStore {
  // owner → (thread id → summary), both Maps in least-recently-touched-first order.
  readonly #owners = new Map<string, Map<string, ThreadSummary>>();

  constructor(
    readonly maxVisitors = 10_000,
    readonly maxThreads: number = THREAD_LIMITS.max_threads,
  ) {}

  async touch(owner: string, threadId: string, title: string, now: number): Promise<void> {
    const threads = this.#owners.get(owner) ?? new Map<string, ThreadSummary>();
    this.#owners.delete(owner);
    this.#owners.set(owner, threads);
    const at = new Date(now).toISOString();
    const known = threads.get(threadId);
    threads.delete(threadId);
    threads.set(threadId, known ? { ...known, updated_at: at } : { thread_id: threadId, title, created_at: at, updated_at: at });
    for (const oldest of threads.keys()) {
      if (threads.size <= this.maxThreads) break;
      threads.delete(oldest);
    }
    for (const oldest of this.#owners.keys()) {
      if (this.#owners.size <= this.maxVisitors) break;
      this.#owners.delete(oldest);
    }
  }

  async list(owner: string): Promise<ThreadSummary[]> {
    return [...(this.#owners.get(owner)?.values() ?? [])].reverse().map((t) => ({ ...t }));
  }

  async get(owner: string, threadId: string): Promise<ThreadSummary | null> {
    const found = this.#owners.get(owner)?.get(threadId);
    return found ? { ...found } : null;
  }

  async remove(owner: string, threadId: string): Promise<boolean> {
    return this.#owners.get(owner)?.delete(threadId) ?? false;
  }
}
