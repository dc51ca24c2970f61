// Mounts real backends on the @web/test-runner dev server, so browser tests talk to them over real
// HTTP. Each mount is a path prefix → Node listener; add yours to MOUNTS (e.g. '/api/faults').
import { mkdtempSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, Next } from 'koa';
import { createSupportHandler, type SupportBackend } from '../../src/backends/core/index.js';
import { toNodeListener, type NodeListener } from '../../src/node/index.js';

interface Mount {
  /** Requests whose path is this prefix or starts with `prefix/` go to the listener. */
  prefix: string;
  /** Created on first use, so a mount whose module is not written yet does not stop the runner. */
  listener: () => Promise<NodeListener>;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

/** A listener that answers 503 with a protocol error, for a mount whose backend cannot load. */
function unavailable(message: string): NodeListener {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.statusCode = 503;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code: 'unavailable', message } }));
  };
}

type LocalBackendFactory = (options: { articlesDir: string; delayMs?: number; filesDir?: string }) => SupportBackend;

const localSupport = once(async (): Promise<NodeListener> => {
  let createLocalBackend: LocalBackendFactory;
  try {
    // Dynamic, so the runner still starts while src/backends/local is being written.
    const mod = (await import('../../src/backends/local/index.js')) as { createLocalBackend: LocalBackendFactory };
    createLocalBackend = mod.createLocalBackend;
  } catch (err) {
    console.warn('[test-server] local backend not available:', (err as Error).message);
    return unavailable('The local backend is not available in this build.');
  }
  const filesDir = mkdtempSync(join(tmpdir(), 'ic-support-chat-test-files-'));
  const backend = createLocalBackend({ articlesDir: 'demo/help', delayMs: 0, filesDir });
  // Browser tests send many turns quickly; the rate limit has its own Node tests.
  return toNodeListener(
    createSupportHandler({
      backend,
      basePath: '/api/support',
      rateLimit: false,
      cookie: { secret: 'web-test-runner-only-cookie-secret-0123456789' },
    }),
  );
});

// The local backend citing its articles (source.added under /help/) and keeping feedback in a JSONL
// file, which GET /api/cited-feedback reads back (test/widget/reply-tools/).
const citedFeedbackFile = join(mkdtempSync(join(tmpdir(), 'ic-support-chat-test-feedback-')), 'feedback.jsonl');
const citedSupport = once(async (): Promise<NodeListener> => {
  const { createLocalBackend } = await import('../../src/backends/local/index.js');
  const backend = createLocalBackend({
    articlesDir: 'demo/help',
    delayMs: 0,
    // "slow reply please" streams fast enough for Continue to finish within a test's time.
    slowDelayMs: 10,
    filesDir: mkdtempSync(join(tmpdir(), 'ic-support-chat-test-files-')),
    articlesUrl: '/help/',
    feedbackFile: citedFeedbackFile,
  });
  return toNodeListener(createSupportHandler({ backend, basePath: '/api/cited', rateLimit: false, cookie: { secret: 'web-test-runner-only-cookie-secret-0123456789' } }));
});
const citedFeedback = once(async (): Promise<NodeListener> => {
  const { readFile } = await import('node:fs/promises');
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.statusCode = 200; // Koa starts every response at 404
    void readFile(citedFeedbackFile, 'utf8').then(
      (text) => res.end(text),
      () => res.end(''),
    );
  };
});

// The local backend keeping signed-in visitors' past conversations (`features.threads`); the test
// names its visitor with an `x-test-user` header (test/widget/threads/).
const threadsSupport = once(async (): Promise<NodeListener> => {
  const { createLocalBackend } = await import('../../src/backends/local/index.js');
  const backend = createLocalBackend({ articlesDir: 'demo/help', delayMs: 0, filesDir: mkdtempSync(join(tmpdir(), 'ic-support-chat-test-files-')) });
  return toNodeListener(
    createSupportHandler({
      backend,
      basePath: '/api/threads',
      rateLimit: false,
      cookie: { secret: 'web-test-runner-only-cookie-secret-0123456789' },
      identify: async (request) => {
        const user = request.headers.get('x-test-user');
        return user ? { user_id: user } : null;
      },
    }),
  );
});
// The local backend with hand-off on: tickets go to a JSONL file, which GET /api/handoff-tickets
// reads back (test/widget/handoff/). `x-test-user` signs a visitor in (with an address on file).
const handoffFile = join(mkdtempSync(join(tmpdir(), 'ic-support-chat-test-handoff-')), 'handoffs.jsonl');
const handoffSupport = once(async (): Promise<NodeListener> => {
  const { createLocalBackend } = await import('../../src/backends/local/index.js');
  const backend = createLocalBackend({
    articlesDir: 'demo/help',
    delayMs: 0,
    toolDelayMs: 0,
    feedbackFile: false,
    filesDir: mkdtempSync(join(tmpdir(), 'ic-support-chat-test-files-')),
    handoffFile,
  });
  const identify = (request: Request) => {
    const user = request.headers.get('x-test-user');
    return user ? { user_id: user, email: `${user}@example.com` } : null;
  };
  return toNodeListener(
    createSupportHandler({ backend, basePath: '/api/handoff', rateLimit: false, identify, cookie: { secret: 'web-test-runner-only-cookie-secret-0123456789' } }),
  );
});
const handoffTickets = once(async (): Promise<NodeListener> => {
  const { readFile } = await import('node:fs/promises');
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.statusCode = 200;
    void readFile(handoffFile, 'utf8').then(
      (text) => res.end(text),
      () => res.end(''),
    );
  };
});

// Scripted misbehaving backend for the widget's fault tests (test/widget/faults/).
const faults = once(async (): Promise<NodeListener> => (await import('./fault-server.js')).faultListener);

// A stock AI SDK route (`toUIMessageStreamResponse()`) for `protocol="ai-sdk"` (test/widget/transport/).
const aiSdkRoute = once(async (): Promise<NodeListener> => {
  const { createAiSdkTestRoute } = await import('./ai-sdk-route.js');
  return toNodeListener(createAiSdkTestRoute('/api/ai-sdk'));
});

// A proxy that cuts run streams between the widget and a real resumable backend (test/widget/resume/).
const cutProxy = once(async (): Promise<NodeListener> => (await import('./cut-proxy.js')).cutProxyListener);

export const MOUNTS: Mount[] = [
  { prefix: '/api/support', listener: localSupport },
  { prefix: '/api/faults', listener: faults },
  { prefix: '/api/ai-sdk', listener: aiSdkRoute },
  { prefix: '/api/cited', listener: citedSupport },
  { prefix: '/api/cited-feedback', listener: citedFeedback },
  { prefix: '/api/cut', listener: cutProxy },
  { prefix: '/api/threads', listener: threadsSupport },
  { prefix: '/api/handoff', listener: handoffSupport },
  { prefix: '/api/handoff-tickets', listener: handoffTickets },
];

function findMount(path: string): Mount | undefined {
  return MOUNTS.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
}

/** Koa middleware for web-test-runner.config.mjs: hands mounted paths to their Node listener. */
export async function testServerMiddleware(ctx: Context, next: Next): Promise<void> {
  const mount = findMount(ctx.path);
  if (!mount) return next();
  const listener = await mount.listener();
  ctx.respond = false; // the listener writes the raw response itself
  await new Promise<void>((resolve) => {
    ctx.res.once('close', resolve);
    listener(ctx.req, ctx.res);
  });
}
