// Issue 17: the local backend behind the real core handler, over real HTTP. Display blocks for its
// tools in the visitor's language (from Accept-Language, which the widget sets from its `lang`), the
// image's filename kept and named in the reply, and sizes written the way the widget writes them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSupportHandler } from '../../../src/backends/core/index.js';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { displayLanguage } from '../../../src/backends/local/tool-display.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import { formatFileSize } from '../../../src/protocol/file-size.js';
import type { RunEvent, RunEventOf, RunResult } from '../../../src/protocol/types.js';
import { makePng } from './fixtures/build-files.js';

const filesDir = mkdtempSync(join(tmpdir(), 'ic-local-display-'));
let server: ServeHandle;
let api: string;

before(async () => {
  const backend = createLocalBackend({ articles: [], delayMs: 0, filesDir });
  server = await serve(createSupportHandler({ backend, basePath: '/api/support', rateLimit: false }), { port: 0 });
  api = `${server.url}/api/support`;
});
after(async () => {
  await server.close();
  rmSync(filesDir, { recursive: true, force: true });
});

async function newVisitor(): Promise<string> {
  const res = await fetch(`${api}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

function post(path: string, cookie: string, body: unknown, language?: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Cookie: cookie };
  if (language) headers['Accept-Language'] = language;
  return fetch(`${api}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function readEvents(res: Response): Promise<RunEvent[]> {
  assert.equal(res.status, 200);
  const events: RunEvent[] = [];
  for (const frame of (await res.text()).split('\n\n')) {
    const name = /^event: (.+)$/m.exec(frame)?.[1];
    const data = /^data: (.+)$/m.exec(frame)?.[1];
    if (name && data) events.push({ type: name, ...JSON.parse(data) } as RunEvent);
  }
  return events;
}

const run = (text: string, content?: unknown[]) => ({
  thread_id: `chat_${Math.random().toString(36).slice(2)}`,
  stream: true,
  input: [{ role: 'user', content: content ?? text }],
});
const find = <K extends RunEvent['type']>(events: RunEvent[], type: K) => events.find((e) => e.type === type) as RunEventOf<K> | undefined;

const TICKET_TITLES: Record<string, [string, string, string]> = {
  en: ['Open a support ticket', 'Opened a support ticket', 'Subject'],
  fr: ['Ouvrir un ticket d’assistance', 'Ticket d’assistance ouvert', 'Objet'],
  de: ['Support-Ticket eröffnen', 'Support-Ticket eröffnet', 'Betreff'],
  es: ['Abrir un ticket de soporte', 'Ticket de soporte abierto', 'Asunto'],
  ja: ['サポートチケットを作成', 'サポートチケットを作成しました', '件名'],
  ar: ['فتح تذكرة دعم', 'تم فتح تذكرة دعم', 'الموضوع'],
};

describe('local backend: display blocks (issue 17)', () => {
  for (const [lang, [title, titleDone, subject]] of Object.entries(TICKET_TITLES)) {
    it(`open_ticket in ${lang}: the approval and the tool call it runs carry display blocks in that language`, async () => {
      const cookie = await newVisitor();
      const events = await readEvents(await post('/runs', cookie, run('please open a ticket about my refund'), `${lang};q=0.9, en;q=0.5`));
      const approval = find(events, 'approval.requested')!;
      assert.equal(approval.display?.title, title);
      assert.equal(approval.display?.title_done, titleDone);
      assert.equal(approval.display?.fields?.[0]?.label, subject);
      assert.equal(approval.display?.fields?.length, 2);
      assert.ok(approval.display!.fields![0]!.value.length > 0);
      assert.ok(approval.reason && approval.reason.length > 0);
      // The continuation (whose request has no language of its own) keeps the asking request's language.
      const after = await readEvents(await post(`/runs/${approval.run_id}/approvals/${approval.approval_id}`, cookie, { decision: 'approve' }));
      const done = find(after, 'tool_call.completed')!;
      assert.equal(find(after, 'tool_call.started')!.display?.title, title);
      assert.equal(done.display?.title_done, titleDone);
      assert.match(done.display!.fields![0]!.value, /^TCK-\d{6}$/);
    });
  }

  it('lookup_order: started and completed carry the order in both tenses; the JSON reply (stream:false) keeps them', async () => {
    const cookie = await newVisitor();
    const events = await readEvents(await post('/runs', cookie, run('where is my order A-1001?'), 'de'));
    assert.equal(find(events, 'tool_call.started')!.display?.title, 'Bestellung \u2068A-1001\u2069 wird gesucht');
    assert.equal(find(events, 'tool_call.completed')!.display?.title_done, 'Bestellung \u2068A-1001\u2069 nachgeschlagen');
    const res = await post('/runs', cookie, { ...run('where is my order A-1001?'), stream: false }, 'es');
    const result = (await res.json()) as RunResult;
    assert.equal(result.tool_calls[0]!.display?.title_done, 'Pedido \u2068A-1001\u2069 consultado');
    assert.deepEqual(result.tool_calls[0]!.display?.fields, [{ label: 'Número de pedido', value: 'A-1001' }]);
  });

  it('Accept-Language picks the first supported language by weight; anything else is English', () => {
    assert.equal(displayLanguage('ja-JP,ja;q=0.9,en;q=0.8'), 'ja');
    assert.equal(displayLanguage('pt-BR, fr;q=0.8, en;q=0.9'), 'en');
    assert.equal(displayLanguage('pt-BR, fr;q=0.8'), 'fr');
    assert.equal(displayLanguage('ar;q=0, de'), 'de');
    assert.equal(displayLanguage(''), 'en');
    assert.equal(displayLanguage(null), 'en');
    assert.equal(displayLanguage('x'.repeat(5000)), 'en');
  });
});

describe('local backend: image filenames and one size format (issue 17)', () => {
  const png = makePng(320, 200);
  const image = (extra: Record<string, unknown> = {}) => ({ type: 'image', image: `data:image/png;base64,${Buffer.from(png).toString('base64')}`, ...extra });

  it('an image part’s filename is stored, listed in run.started.files, and named in the reply with the widget’s size format', async () => {
    const cookie = await newVisitor();
    const events = await readEvents(await post('/runs', cookie, run('', [{ type: 'text', text: 'see this' }, image({ filename: 'receipt.png' })])));
    assert.equal(find(events, 'run.started')!.files![0]!.filename, 'receipt.png');
    const text = events.map((e) => (e.type === 'message.delta' ? e.delta : '')).join('');
    assert.match(text, /\*\*receipt\\\.png\*\*: PNG image, 320 × 200 px/);
    assert.ok(text.includes(formatFileSize(png.byteLength, 'en')), `the reply says ${formatFileSize(png.byteLength, 'en')}: ${text}`);
  });

  it('an image filename is cleaned like a file part’s (no path, no bidi tricks)', async () => {
    const cookie = await newVisitor();
    const events = await readEvents(await post('/runs', cookie, run('', [image({ filename: '../../etc/\u202Egnp.exe' })])));
    assert.equal(find(events, 'run.started')!.files![0]!.filename, 'gnp.exe');
  });

  it('an image without a filename is still accepted (older widgets), and named by position', async () => {
    const cookie = await newVisitor();
    const events = await readEvents(await post('/runs', cookie, run('', [image()])));
    assert.equal(find(events, 'run.started')!.files![0]!.filename, undefined);
    assert.match(events.map((e) => (e.type === 'message.delta' ? e.delta : '')).join(''), /\*\*attachment 1\*\*/);
  });

  it('a filename that is not a string is refused with 400 invalid_request naming the field', async () => {
    const cookie = await newVisitor();
    const res = await post('/runs', cookie, run('', [image({ filename: { name: 'x.png' } })]));
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'invalid_request');
    assert.match(body.error.message, /content\[0\]\.filename must be a string/);
  });

  it('sizes read as the widget writes them: decimal kB and MB', () => {
    assert.equal(formatFileSize(137_000, 'en'), '137 kB');
    assert.equal(formatFileSize(1_400_000, 'en'), '1.4 MB');
    assert.equal(formatFileSize(820, 'en'), '820 bytes');
  });
});
