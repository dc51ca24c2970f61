// The local file store had no quota or expiry: five cookie-less turns left 26 MB on disk, for good.
// Now each visitor has a quota (bytes and files), the store has a total cap, both checked before
// anything is written, and files expire (deleted from disk and from the index).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { PROBE_LIMIT_MS, describeProbe, startLocalDemo, whileProbing, type LocalDemo } from './latency-probe.js';

const MB = 1024 * 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];
let seq = 0;

/** A distinct PNG (real signature and IHDR, then filler) of `size` bytes, as an image part. */
function png(size: number) {
  const bytes = Buffer.alloc(size);
  bytes.set(PNG_SIGNATURE);
  bytes.writeUInt32BE(++seq, size - 4);
  return { type: 'image', image: `data:image/png;base64,${bytes.toString('base64')}` };
}

let demo: LocalDemo | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

async function session(d: LocalDemo): Promise<string> {
  const res = await fetch(`${d.api}/session`, { method: 'POST' });
  await res.arrayBuffer();
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function turn(
  d: LocalDemo,
  parts: unknown[],
  cookie?: string,
): Promise<{ status: number; body: { error?: { code: string; message: string }; files?: { file_id: string }[] } }> {
  const res = await fetch(`${d.api}/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify({ thread_id: 'chat_files', stream: false, input: [{ role: 'user', content: [{ type: 'text', text: 'see' }, ...parts] }] }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

/** Blobs on disk (and any leftover temporary file) and the index's lines. */
function onDisk(d: LocalDemo): { blobs: string[]; bytes: number; indexLines: number } {
  const dir = join(d.filesDir, 'blobs');
  const blobs = readdirSync(dir);
  const bytes = blobs.reduce((sum, b) => sum + statSync(join(dir, b)).size, 0);
  let indexLines = 0;
  try {
    indexLines = readFileSync(join(d.filesDir, 'files.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    // No index yet.
  }
  return { blobs, bytes, indexLines };
}

describe('abuse: the local file store is bounded', () => {
  it('a visitor over the byte quota gets 413 and nothing of the turn is written', async () => {
    const d = (demo = await startLocalDemo({ backend: { fileStore: { maxBytesPerVisitor: 3 * MB } } }));
    const cookie = await session(d);
    assert.equal((await turn(d, [png(MB), png(MB)], cookie)).status, 200);
    const before = onDisk(d);
    const over = await turn(d, [png(MB / 2), png(MB)], cookie); // the first would fit, the second not
    assert.equal(over.status, 413);
    assert.equal(over.body.error!.code, 'payload_too_large');
    assert.match(over.body.error!.message, /limit is 3 MB per visitor.*deleted after 24 h/);
    assert.deepEqual(onDisk(d), before, 'no blob, temporary file or index line was added');
    // Another visitor is not affected.
    assert.equal((await turn(d, [png(MB)], await session(d))).status, 200);
  });

  it('a visitor over the file-count quota gets 413', async () => {
    const d = (demo = await startLocalDemo({ backend: { fileStore: { maxFilesPerVisitor: 3 } } }));
    const cookie = await session(d);
    assert.equal((await turn(d, [png(1000), png(1000)], cookie)).status, 200);
    const over = await turn(d, [png(1000), png(1000)], cookie);
    assert.equal(over.status, 413);
    assert.match(over.body.error!.message, /at most 3 attachments; you have 2/);
  });

  it('cookie-less turns (a new visitor each) stop at the store total, and the server stays fast', async () => {
    // Scaled down from the report's 5 × 5 MB turns: the cap, not the upload size, is under test.
    const d = (demo = await startLocalDemo({ backend: { fileStore: { maxTotalBytes: 3 * MB } } }));
    const five = () => Array.from({ length: 5 }, () => png(MB / 4));
    const { result, probe } = await whileProbing(d, async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await turn(d, five())).status);
      return statuses;
    });
    assert.deepEqual(result, [200, 200, 413, 413, 413]);
    assert.ok(onDisk(d).bytes <= 3 * MB, `${onDisk(d).bytes} bytes on disk`);
    assert.ok(probe.pageMs < PROBE_LIMIT_MS && probe.sessionMs < PROBE_LIMIT_MS, describeProbe(probe));
  });

  it('files expire: deleted from disk and the index, no longer served, quota freed', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const d = (demo = await startLocalDemo({ backend: { fileStore: { maxAgeMs: 60 * 60_000, maxFilesPerVisitor: 2, now: () => now } } }));
    const cookie = await session(d);
    const first = await turn(d, [png(2000), png(2000)], cookie);
    assert.equal(first.status, 200);
    const id = first.body.files![0]!.file_id;
    assert.equal((await fetch(`${d.api}/files/${id}`, { headers: { Cookie: cookie } })).status, 200);
    assert.equal((await turn(d, [png(2000)], cookie)).status, 413, 'the quota is full');

    now += 61 * 60_000;
    assert.equal((await fetch(`${d.api}/files/${id}`, { headers: { Cookie: cookie } })).status, 404, 'expired: not served');
    const later = await turn(d, [png(2000)], cookie);
    assert.equal(later.status, 200, 'the expired files no longer count');
    const disk = onDisk(d);
    assert.equal(disk.blobs.length, 1, 'the expired blobs are deleted');
    assert.equal(disk.indexLines, 1, 'and their index lines');
  });
});
