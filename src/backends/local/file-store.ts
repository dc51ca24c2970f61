import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredFileInfo } from '../../protocol/types.js';

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

/**
 * Attachments on disk, content-addressed: `blobs/<sha256>` holds the bytes once however many
 * visitors send the same screenshot. Each upload gets its own unguessable `file_…` id recording its
 * owner, so knowing a file's hash (or another visitor's id) never grants access. Ownership records
 * are appended to `files.jsonl`, so links keep working after a restart.
 */
export class FileStore {
  readonly dir: string;
  readonly #records = new Map<string, FileRecord>();
  readonly #indexPath: string;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    this.#indexPath = join(dir, 'files.jsonl');
    this.#load();
  }

  #load(): void {
    if (!existsSync(this.#indexPath)) return;
    for (const line of readFileSync(this.#indexPath, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as FileRecord;
        if (typeof r.file_id === 'string' && typeof r.owner === 'string' && /^[0-9a-f]{64}$/.test(r.sha256)) this.#records.set(r.file_id, r);
      } catch {
        // A torn last line (crash mid-write) loses only that record.
      }
    }
  }

  /** Stores the bytes (once per content) and records a new file id owned by `owner`. */
  put(owner: string, file: NewFile): FileRecord {
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    const blob = this.#blobPath(sha256);
    if (!existsSync(blob)) {
      // Write then rename, so a reader never sees a half-written blob.
      const tmp = `${blob}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, file.bytes);
      renameSync(tmp, blob);
    }
    const record: FileRecord = {
      file_id: `file_${randomBytes(16).toString('base64url')}`,
      ...(file.filename !== undefined ? { filename: file.filename } : {}),
      media_type: file.media_type,
      size: file.bytes.byteLength,
      owner,
      sha256,
      created_at: new Date().toISOString(),
    };
    this.#records.set(record.file_id, record);
    appendFileSync(this.#indexPath, JSON.stringify(record) + '\n');
    return record;
  }

  /** The record and bytes of a file, only when `owner` owns it; `null` otherwise (or when missing). */
  get(fileId: string, owner: string): { record: FileRecord; bytes: Uint8Array } | null {
    const record = this.#records.get(fileId);
    if (!record || record.owner !== owner) return null;
    const blob = this.#blobPath(record.sha256);
    if (!existsSync(blob)) return null;
    return { record, bytes: new Uint8Array(readFileSync(blob)) };
  }

  #blobPath(sha256: string): string {
    return join(this.dir, 'blobs', sha256);
  }
}
