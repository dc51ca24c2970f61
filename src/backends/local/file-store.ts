import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredFileInfo } from '../../protocol/types.js';
import { Cooperative, SLICE_UNITS } from '../core/cooperative.js';
import { SupportError } from '../core/support-error.js';

/** Who owns a stored file, and what it is. The bytes live in a content-addressed blob. */
export interface FileRecord extends StoredFileInfo {
  /** The owning visitor's key (`user:…` or `anonymous:…`). */
  owner: string;
  /** SHA-256 of the bytes, hex: the blob's name on disk. */
  sha256: string;
  created_at: string;
}

export interface NewFile {
  bytes: Uint8Array;
  media_type: string;
  filename?: string;
}

export interface FileStoreOptions {
  /** Bytes one visitor may have stored at once (sum of their files' sizes). Default 50 MB. */
  maxBytesPerVisitor?: number;
  /** Files one visitor may have stored at once. Default 100. */
  maxFilesPerVisitor?: number;
  /** Bytes on disk over all visitors (each distinct content once). Default 1 GB. */
  maxTotalBytes?: number;
  /** Age after which a file is deleted from disk and the index, in ms. Default 24 hours. */
  maxAgeMs?: number;
  /** The clock, in ms since the epoch (tests move it instead of waiting). Default `Date.now`. */
  now?: () => number;
}

export const FILE_STORE_DEFAULTS: Readonly<Required<Omit<FileStoreOptions, 'now'>>> = Object.freeze({
  maxBytesPerVisitor: 50 * 1024 * 1024,
  maxFilesPerVisitor: 100,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxAgeMs: 24 * 60 * 60 * 1000,
});

/** Expired files are looked for at most this often (a sweep reads every record). */
const SWEEP_INTERVAL_MS = 60_000;

function megabytes(n: number): string {
  return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${+h.toFixed(1)} h` : `${Math.max(1, Math.round(ms / 60_000))} min`;
}

/**
 * Attachments on disk, content-addressed: `blobs/<sha256>` holds the bytes once however many
 * visitors send the same screenshot. Each upload gets its own unguessable `file_…` id recording its
 * owner, so knowing a file's hash (or another visitor's id) never grants access. Ownership records
 * are appended to `files.jsonl`, so links keep working after a restart. The disk a visitor can fill
 * is bounded (per-visitor and total quotas, checked before anything is written) and files expire.
 */
export class FileStore {
  readonly dir: string;
  readonly limits: Readonly<Required<Omit<FileStoreOptions, 'now'>>>;
  readonly #records = new Map<string, FileRecord>();
  /** Per owner: files and bytes held. */
  readonly #usage = new Map<string, { files: number; bytes: number }>();
  /** Per blob: how many records point at it, and its size. */
  readonly #blobs = new Map<string, { refs: number; size: number }>();
  #diskBytes = 0;
  #nextSweep = 0;
  #lastSweep = -Infinity;
  readonly #indexPath: string;
  readonly #now: () => number;
  /** The turn being stored: one at a time, so quotas are checked against what is really stored. */
  #storing: Promise<unknown> = Promise.resolve();

  constructor(dir: string, options: FileStoreOptions = {}) {
    this.dir = dir;
    const { now, ...limits } = options;
    this.limits = Object.freeze({ ...FILE_STORE_DEFAULTS, ...limits });
    this.#now = now ?? Date.now;
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    this.#indexPath = join(dir, 'files.jsonl');
    this.#load();
    this.sweep();
  }

  #load(): void {
    if (!existsSync(this.#indexPath)) return;
    for (const line of readFileSync(this.#indexPath, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as FileRecord;
        if (typeof r.file_id === 'string' && typeof r.owner === 'string' && /^[0-9a-f]{64}$/.test(r.sha256) && Number.isSafeInteger(r.size) && !this.#records.has(r.file_id)) {
          this.#add(r);
        }
      } catch {
        // A torn last line (crash mid-write) loses only that record.
      }
    }
  }

  #add(record: FileRecord): void {
    this.#records.set(record.file_id, record);
    const usage = this.#usage.get(record.owner) ?? { files: 0, bytes: 0 };
    usage.files++;
    usage.bytes += record.size;
    this.#usage.set(record.owner, usage);
    const blob = this.#blobs.get(record.sha256);
    if (blob) blob.refs++;
    else {
      this.#blobs.set(record.sha256, { refs: 1, size: record.size });
      this.#diskBytes += record.size;
    }
  }

  #remove(record: FileRecord): void {
    this.#records.delete(record.file_id);
    const usage = this.#usage.get(record.owner)!;
    usage.files--;
    usage.bytes -= record.size;
    if (usage.files === 0) this.#usage.delete(record.owner);
    const blob = this.#blobs.get(record.sha256)!;
    if (--blob.refs === 0) {
      this.#blobs.delete(record.sha256);
      this.#diskBytes -= blob.size;
      rmSync(this.#blobPath(record.sha256), { force: true });
    }
  }

  #expired(record: FileRecord, now: number): boolean {
    const created = Date.parse(record.created_at);
    return !(created > now - this.limits.maxAgeMs);
  }

  /**
   * Deletes expired files from disk and the index (rewritten whole, then renamed into place). Runs
   * on its own at most once a minute, from `put`; call it to force one.
   */
  sweep(): void {
    const now = this.#now();
    this.#lastSweep = now;
    this.#nextSweep = now + SWEEP_INTERVAL_MS;
    const expired = [...this.#records.values()].filter((r) => this.#expired(r, now));
    if (expired.length === 0) return;
    for (const record of expired) this.#remove(record);
    const tmp = `${this.#indexPath}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, [...this.#records.values()].map((r) => JSON.stringify(r) + '\n').join(''));
    renameSync(tmp, this.#indexPath);
  }

  /** Bytes and files `owner` holds now. */
  usage(owner: string): { files: number; bytes: number } {
    const u = this.#usage.get(owner);
    return u ? { ...u } : { files: 0, bytes: 0 };
  }

  /** Distinct bytes on disk. */
  get diskBytes(): number {
    return this.#diskBytes;
  }

  /**
   * Stores the files of one turn for `owner`, all or none: the quotas are checked for the whole
   * turn before any byte is written (413 past one). Hashing and writing run a slice at a time and
   * on the thread pool, so a turn of 50 MB never holds the event loop more than a few milliseconds.
   */
  putAll(owner: string, files: readonly NewFile[]): Promise<FileRecord[]> {
    const turn = this.#storing.then(() => this.#putAll(owner, files));
    this.#storing = turn.catch(() => undefined);
    return turn;
  }

  async #putAll(owner: string, files: readonly NewFile[]): Promise<FileRecord[]> {
    if (files.length === 0) return [];
    if (this.#now() >= this.#nextSweep) this.sweep();
    const work = new Cooperative();
    const hashes: string[] = [];
    for (const file of files) hashes.push(await sha256(file.bytes, work));
    try {
      this.#checkQuotas(owner, files, hashes);
    } catch (err) {
      // Files may have expired since the last sweep: only refuse if they still count after one
      // (at most one such sweep a second, so refused retries cannot make the store rescan).
      if (this.#now() < this.#lastSweep + 1000) throw err;
      this.sweep();
      this.#checkQuotas(owner, files, hashes);
    }
    const records: FileRecord[] = [];
    for (const [i, file] of files.entries()) records.push(await this.#put(owner, file, hashes[i]!));
    return records;
  }

  #checkQuotas(owner: string, files: readonly NewFile[], hashes: readonly string[]): void {
    const { maxBytesPerVisitor, maxFilesPerVisitor, maxTotalBytes, maxAgeMs } = this.limits;
    const usage = this.usage(owner);
    const adding = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
    const later = `Stored files are deleted after ${hours(maxAgeMs)}.`;
    if (usage.files + files.length > maxFilesPerVisitor) {
      throw new SupportError('payload_too_large', `You can store at most ${maxFilesPerVisitor} attachments; you have ${usage.files}. ${later}`);
    }
    if (usage.bytes + adding > maxBytesPerVisitor) {
      throw new SupportError(
        'payload_too_large',
        `Your attachments would take ${megabytes(usage.bytes + adding)}; the limit is ${megabytes(maxBytesPerVisitor)} per visitor. ${later}`,
      );
    }
    const newBytes = files.reduce((sum, f, i) => (this.#blobs.has(hashes[i]!) || hashes.indexOf(hashes[i]!) < i ? sum : sum + f.bytes.byteLength), 0);
    if (this.#diskBytes + newBytes > maxTotalBytes) {
      throw new SupportError('payload_too_large', `The attachment storage of this server is full. Try again later. ${later}`);
    }
  }

  /** Stores one file for `owner` (see `putAll`). */
  async put(owner: string, file: NewFile): Promise<FileRecord> {
    return (await this.putAll(owner, [file]))[0]!;
  }

  async #put(owner: string, file: NewFile, sha256: string): Promise<FileRecord> {
    const blob = this.#blobPath(sha256);
    if (!existsSync(blob)) {
      // Write then rename, so a reader never sees a half-written blob.
      const tmp = `${blob}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(tmp, file.bytes);
        await rename(tmp, blob);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    }
    const record: FileRecord = {
      file_id: `file_${randomBytes(16).toString('base64url')}`,
      ...(file.filename !== undefined ? { filename: file.filename } : {}),
      media_type: file.media_type,
      size: file.bytes.byteLength,
      owner,
      sha256,
      created_at: new Date(this.#now()).toISOString(),
    };
    this.#add(record);
    await appendFile(this.#indexPath, JSON.stringify(record) + '\n');
    return record;
  }

  /** The record and bytes of a file, only when `owner` owns it and it has not expired; `null` otherwise. */
  get(fileId: string, owner: string): { record: FileRecord; bytes: Uint8Array } | null {
    const record = this.#records.get(fileId);
    if (!record || record.owner !== owner || this.#expired(record, this.#now())) return null;
    const blob = this.#blobPath(record.sha256);
    if (!existsSync(blob)) return null;
    return { record, bytes: new Uint8Array(readFileSync(blob)) };
  }

  #blobPath(sha256: string): string {
    return join(this.dir, 'blobs', sha256);
  }
}

/** SHA-256 of `bytes`, hex, a slice at a time (10 MB in one go holds the event loop ~10 ms). */
async function sha256(bytes: Uint8Array, work: Cooperative): Promise<string> {
  const hash = createHash('sha256');
  for (let at = 0; at < bytes.byteLength; at += SLICE_UNITS) {
    hash.update(bytes.subarray(at, at + SLICE_UNITS));
    await work.pause();
  }
  return hash.digest('hex');
}
