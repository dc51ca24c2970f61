// What every store contract suite is given: two handles on one store, as two server instances
// would hold them (for an in-process store, the same object twice), and a way to close them.
import { setTimeout as sleep } from 'node:timers/promises';

export interface StorePair<T> {
  a: T;
  b: T;
  close?: () => Promise<void>;
}

export type StoreFactory<T> = () => Promise<StorePair<T>>;

export { sleep };

/** Resolves when `check()` holds, or rejects after `ms` (a generous bound: the machine is shared). */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}
