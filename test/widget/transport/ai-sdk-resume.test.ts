// The AI SDK transport's resume, matching DefaultChatTransport.reconnectToStream: GET
// `{api}/{chatId}/stream` (the api's query kept after it), the reply replayed from its start, 204 =
// nothing to resume. Against the test route's resumable variant (test/support/ai-sdk-route.ts).
import { expect } from '@open-wc/testing';
import type { RunEvent } from '../../../src/protocol/types.js';
import { AiSdkTransport } from '../../../src/widget/transport/ai-sdk-transport.js';

const ENDPOINT = '/api/ai-sdk/chat?resumable=1';
let counter = 0;
const newThread = () => `chat_resume_${Date.now()}_${++counter}`;
const textOf = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'message.delta' ? [e.delta] : [])).join('');

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('AiSdkTransport.resumeRun', () => {
  it('picks a reply in progress up from a new transport (a reload), replayed from its start', async () => {
    const threadId = newThread();
    const first = new AiSdkTransport(ENDPOINT);
    const leave = new AbortController();
    const seen: RunEvent[] = [];
    const input = [{ role: 'user' as const, content: 'a slow one please' }];
    try {
      for await (const event of first.startRun({ thread_id: threadId, input, stream: true }, { signal: leave.signal })) {
        seen.push(event);
        if (textOf(seen).length > 4) leave.abort(new DOMException('The page went away.', 'AbortError'));
      }
    } catch {
      // the abort: the page went away mid-reply
    }
    const events = await collect(new AiSdkTransport(ENDPOINT).resumeRun({ threadId }, { signal: new AbortController().signal }));
    expect(events[0]!.type).to.equal('run.started');
    expect(textOf(events)).to.equal('one two three four five six seven eight nine ten eleven twelve');
    expect(events.at(-1)!.type).to.equal('run.completed');
  });

  it('throws not_found when the route answers 204 (nothing in progress)', async () => {
    let error: unknown;
    try {
      await collect(new AiSdkTransport(ENDPOINT).resumeRun({ threadId: newThread() }, { signal: new AbortController().signal }));
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).to.equal('not_found');
    expect((error as { status?: number }).status).to.equal(204);
  });

  it('GETs {api}/{chatId}/stream with the query after it, with the configured headers and no body', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const spy: typeof fetch = (input, init) => {
      calls.push({ url: String(input), init: init ?? {} });
      return Promise.resolve(new Response(null, { status: 204 }));
    };
    const transport = new AiSdkTransport('/api/ai-sdk/chat/?x=1', { fetch: spy, headers: { 'x-csrf': 'token' } });
    await collect(transport.resumeRun({ threadId: 'chat a/b' }, { signal: new AbortController().signal })).catch(() => undefined);
    expect(calls).to.have.length(1);
    expect(calls[0]!.url).to.equal('/api/ai-sdk/chat/chat%20a%2Fb/stream?x=1');
    expect(calls[0]!.init.method).to.equal('GET');
    expect(calls[0]!.init.body).to.equal(undefined);
    expect(new Headers(calls[0]!.init.headers).get('x-csrf')).to.equal('token');
  });
});
