import { decideClaim, type ClaimOutcome, type SmithDirectory } from './smith-directory.js';

/** The slice of better-sqlite3's API used here (typed locally: the package is optional). */
interface Statement {
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): unknown;
}
interface Database {
  pragma(source: string): unknown;
  exec(source: string): unknown;
  prepare(source: string): Statement;
  transaction<T>(fn: () => T): { immediate(): T };
  close(): unknown;
}
type DatabaseConstructor = new (filename: string) => Database;

/**
 * A durable `SmithDirectory` in an embedded SQLite file, for a single server. Needs the optional
 * dependency `better-sqlite3` (loaded only when you open one, so the package works without it).
 *
 * ```ts
 * const directory = await SqliteSmithDirectory.open('./smiths.db');
 * ```
 */
export class SqliteSmithDirectory implements SmithDirectory {
  readonly #db: Database;
  readonly #get: Statement;
  readonly #set: Statement;
  readonly #delete: Statement;

  private constructor(db: Database) {
    this.#db = db;
    db.exec('CREATE TABLE IF NOT EXISTS ic_smith_directory (key TEXT PRIMARY KEY, smith_id TEXT NOT NULL, updated_at INTEGER NOT NULL)');
    this.#get = db.prepare('SELECT smith_id FROM ic_smith_directory WHERE key = ?');
    this.#set = db.prepare(
      'INSERT INTO ic_smith_directory (key, smith_id, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET smith_id = excluded.smith_id, updated_at = excluded.updated_at',
    );
    this.#delete = db.prepare('DELETE FROM ic_smith_directory WHERE key = ?');
  }

  /** Opens (or creates) the database file; `':memory:'` for a throwaway one. */
  static async open(filename: string): Promise<SqliteSmithDirectory> {
    let Driver: DatabaseConstructor;
    try {
      const mod = (await import('better-sqlite3' as string)) as { default: DatabaseConstructor };
      Driver = mod.default;
    } catch (err) {
      throw new Error('SqliteSmithDirectory needs better-sqlite3, an optional peer dependency: npm install better-sqlite3@12', { cause: err });
    }
    const db = new Driver(filename);
    // WAL: readers never wait for the writer, and a crash never loses a committed claim.
    if (filename !== ':memory:') db.pragma('journal_mode = WAL');
    return new SqliteSmithDirectory(db);
  }

  async get(key: string): Promise<string | null> {
    const row = this.#get.get(key) as { smith_id: string } | undefined;
    return row?.smith_id ?? null;
  }

  async set(key: string, smithId: string): Promise<void> {
    this.#set.run(key, smithId, Date.now());
  }

  async delete(key: string): Promise<void> {
    this.#delete.run(key);
  }

  async claim(userKey: string, claimedKey: string, smithId: string): Promise<ClaimOutcome> {
    // BEGIN IMMEDIATE: a second process on the same file waits instead of reading a stale pair.
    return this.#db
      .transaction(() => {
        const read = (key: string) => (this.#get.get(key) as { smith_id: string } | undefined)?.smith_id ?? null;
        const result = decideClaim(read(userKey), read(claimedKey), smithId);
        const now = Date.now();
        if (result.outcome !== 'already_claimed') this.#set.run(claimedKey, smithId, now);
        if (result.outcome === 'claimed') this.#set.run(userKey, smithId, now);
        return result;
      })
      .immediate();
  }

  close(): void {
    this.#db.close();
  }
}
