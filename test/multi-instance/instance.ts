// One instance of a support service, as a separate process: the Ingram backend (upstream: the
// emulator the test runs) at /api/support and the AI SDK backend at /api/ai, every piece of state
// in the shared Redis. Several of these behind one "load balancer" (the test) must behave as one.
// Env: REDIS_URL, EMULATOR_URL, KEY_PREFIX. Prints one JSON line {"url"} once listening.
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { createAiSdkBackend } from '../../src/backends/ai-sdk/index.js';
import { createSupportHandler, type IdentifiedUser, type SupportHandler } from '../../src/backends/core/index.js';
import { createIngramBackend } from '../../src/backends/ingram/index.js';
import { EMULATOR_AGENT_ID } from '../../src/backends/ingram/emulator/index.js';
import { serve } from '../../src/node/index.js';
import { connectRedisStores } from '../../src/stores/redis/index.js';
import { finish, text } from '../backends/ai-sdk/ai-sdk-test-kit.js';

export const SECRET = 'multi-instance-cookie-secret-0123456789abcdef';
export const TOKEN = 'ic_test_token_5f1e0c9a7b3d';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const stores = await connectRedisStores({ url: env('REDIS_URL'), prefix: env('KEY_PREFIX') });

/** The test's sign-in: a header naming the user (the host app's session, in a real site). */
function identify(request: Request): IdentifiedUser | null {
  const raw = request.headers.get('x-test-user');
  return raw ? (JSON.parse(raw) as IdentifiedUser) : null;
}

/** A model (the remote vendor's stand-in) that answers with what it was told so far, slowly. */
const model = new MockLanguageModelV3({
  doStream: async (options: LanguageModelV3CallOptions) => {
    const said = options.prompt.filter((m) => m.role === 'user').map((m) => m.content.map((p) => (p.type === 'text' ? p.text : '')).join(''));
    const reply = `You said ${said.length} thing(s): ${said.join(' | ')}`;
    const words = reply.split(' ').map((w, i) => (i === 0 ? w : ` ${w}`));
    const chunks: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }, ...text(...words), finish()];
    return { stream: simulateReadableStream({ chunks, chunkDelayInMs: 5 }) };
  },
});

// The test gives each visitor its own address through the "proxy" header, so the per-address limits
// count visitors apart; the per-visitor POST limit is small so the test can reach it.
const common = {
  cookie: { secret: SECRET },
  stores,
  identify,
  production: true,
  trustProxy: true,
  rateLimit: { windowMs: 60_000, max: Number(process.env.RATE_MAX ?? 30) },
  onError: () => {},
} as const;
const ingramBackend = createIngramBackend({
  token: TOKEN,
  baseUrl: env('EMULATOR_URL'),
  agentId: EMULATOR_AGENT_ID,
  cookie: { secret: SECRET },
  directory: stores.smithDirectory,
  onError: () => {},
});
const ingram = createSupportHandler({ ...common, basePath: '/api/support', backend: ingramBackend });
const ai = createSupportHandler({ ...common, basePath: '/api/ai', backend: createAiSdkBackend({ model, history: stores.conversations, onError: () => {} }) });

/** The host app's sign-in: claims the anonymous conversation, as the demo's /demo/login does. */
async function login(request: Request): Promise<Response> {
  const user = (await request.json()) as IdentifiedUser;
  const claimed = await ingramBackend.claim(request, user);
  const headers = new Headers({ 'content-type': 'application/json' });
  if (claimed.setCookie) headers.append('set-cookie', claimed.setCookie);
  return new Response(JSON.stringify({ outcome: claimed.outcome, smith_id: claimed.smithId }), { headers });
}

const route = (request: Request, info?: { clientAddress?: string }) => {
  const path = new URL(request.url).pathname;
  if (path === '/login') return login(request);
  return path.startsWith('/api/ai/') ? ai(request, info) : ingram(request, info);
};
// Both endpoints drain when the server closes.
const handler: SupportHandler = Object.assign(route, {
  drain: async (graceMs?: number) => {
    await Promise.all([ingram.drain(graceMs), ai.drain(graceMs)]);
  },
});
const server = await serve(handler, { port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
// A deploy: stop taking runs, let open replies finish within the grace, end the rest with run.failed.
process.once('SIGTERM', () => {
  void server
    .close({ graceMs: Number(process.env.DRAIN_GRACE_MS ?? 10_000) })
    .then(() => stores.close())
    .then(() => process.exit(0));
});
