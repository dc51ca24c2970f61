// Resume tests' pieces: read a stream until the connection drops, keep its complete frames, and
// finish a turn the way the widget does (resume after the last id, or repeat the POST with the same
// Idempotency-Key when not even the first frame arrived).
import type { CuttingProxy } from '../../support/cutting-proxy.js';

export interface Frame {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/** The body's bytes until it ends or the connection drops. */
export async function readUntilCut(response: Response): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
    }
  } catch {
    // The cut: what arrived is kept.
  }
  return Buffer.concat(chunks);
}

/** The complete frames of an SSE body (a frame cut before its blank line is not one). */
export function completeFrames(body: Buffer | string): Frame[] {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const end = text.lastIndexOf('\n\n');
  if (end < 0) return [];
  return text
    .slice(0, end)
    .split('\n\n')
    .filter((f) => f !== '' && !f.startsWith(':'))
    .map((frame) => ({
      id: /^id: (.*)$/m.exec(frame)?.[1],
      event: /^event: (.*)$/m.exec(frame)![1]!,
      data: JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as Record<string, unknown>,
    }));
}

/** Byte offsets in `body` where each frame ends, and one a few bytes into each frame. */
export function cutPoints(body: Buffer): number[] {
  const points: number[] = [];
  for (let i = body.indexOf('\n\n'); i >= 0; i = body.indexOf('\n\n', i + 2)) {
    points.push(i + 2);
    points.push(Math.max(1, i + 2 - 7)); // inside the frame, before its blank line
  }
  return [...new Set(points)].filter((p) => p < body.length).sort((a, b) => a - b);
}

export const deltasOf = (frames: Frame[]) =>
  frames
    .filter((f) => f.event === 'message.delta')
    .map((f) => f.data['delta'] as string)
    .join('');

export interface TurnOptions {
  /** Where to POST (`…/runs`) and GET (`…/runs/{id}/events`), usually through the proxy. */
  endpoint: string;
  body: unknown;
  key: string;
  headers: Record<string, string>;
}

/**
 * One turn with the first response cut after `cut` bytes, finished by resuming: all its frames, in
 * order, as the widget would have shown them (ids checked consecutive).
 */
export async function turnWithCut(proxy: CuttingProxy, cut: number, options: TurnOptions): Promise<Frame[]> {
  const post = () =>
    fetch(`${options.endpoint}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': options.key, ...options.headers },
      body: JSON.stringify(options.body),
    });
  proxy.cutNext(cut, /\/runs$/);
  const first = completeFrames(await readUntilCut(await post()));
  let rest: Frame[];
  const last = first.at(-1);
  if (last && (last.event === 'run.completed' || last.event === 'run.failed')) rest = [];
  else if (!last) rest = completeFrames(await readUntilCut(await post()));
  else {
    const runId = last.data['run_id'] as string;
    const resumed = await fetch(`${options.endpoint}/runs/${runId}/events`, { headers: { 'last-event-id': last.id!, ...options.headers } });
    if (resumed.status !== 200) throw new Error(`resume answered ${resumed.status}: ${await resumed.text()}`);
    rest = completeFrames(await readUntilCut(resumed));
  }
  const all = [...first, ...rest];
  all.forEach((f, i) => {
    if (f.id !== String(i + 1)) throw new Error(`frame ${i} has id ${f.id} (cut at ${cut})`);
  });
  return all;
}
