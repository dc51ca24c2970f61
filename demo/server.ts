/**
 * `npm start`: the demo page, the widget bundle and the support endpoint on one port.
 *
 *   /api/support/*   protocol v1 (createSupportHandler + the backend chosen by createBackendFromEnv)
 *   /demo/login      POST {"user_id","display_name"}: signs the demo visitor in (a session cookie)
 *   /demo/logout     POST: signs out
 *   /demo/me         GET: who is signed in
 *   /dist/*          the built widget (npm run build)
 *   /help/{slug}     a help article as a page (the links answers cite as sources)
 *   /*               demo/ (index.html, help articles)
 *
 * No network is needed: the local backend answers from demo/help/. Every response carries
 * `X-Content-Type-Options: nosniff` and a `Referrer-Policy`; HTML pages a Content-Security-Policy.
 * SIGTERM or SIGINT drains: open replies get IC_DRAIN_GRACE_MS (default 10 000) to finish.
 */
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSupportHandler, SupportError } from '../src/backends/core/index.js';
import { isJsonContentType, readJsonBody } from '../src/backends/core/read-json-body.js';
import type { Drainable, IdentifiedUser, SupportBackend } from '../src/backends/core/index.js';
import { createLocalBackend } from '../src/backends/local/index.js';
import { helpPage } from './help-page.js';
import { createIngramBackend } from '../src/backends/ingram/index.js';
import { createIngramEmulator, emulatorFetch, EMULATOR_AGENT_ID } from '../src/backends/ingram/emulator/index.js';
import { createNodeFetch, serve, type ServeHandle } from '../src/node/index.js';
import type { ConnectionInfo, SupportStores } from '../src/backends/core/index.js';
import type { RedisCommandClient } from '../src/stores/redis/index.js';

const DEMO_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT_DIR = resolve(DEMO_DIR, '..');
const DIST_DIR = join(ROOT_DIR, 'dist');
const API_BASE = '/api/support';
const SESSION_COOKIE = 'ic_demo_session';

/** The backend behind the demo's endpoint, and what it does when a visitor signs in. */
export interface DemoBackend {
  /** Shown in the start-up banner. */
  name: string;
  backend: SupportBackend;
  /**
   * Called after `/demo/login` with the request as it was before signing in (so the anonymous
   * cookie is still there). The Ingram backend claims the anonymous smith here and says whether
   * the conversation carried over, with a fresh anonymous cookie; the local backend keys
   * conversations by visitor and has nothing to carry over.
   */
  claim?(request: Request, user: IdentifiedUser): Promise<{ carriedOver: boolean; setCookie: string | null }>;
  /** The anonymous cookie's options, given to the handler too. */
  cookie?: { secret: string };
  /** Shared stores (REDIS_URL): the handler's limits, run slots and run bus, and the demo's sign-in sessions. */
  shared?: { stores: SupportStores; sessions: DemoSessions; close(): Promise<void> };
}

/**
 * The anonymous-visitor cookie options, shared by the handler and the Ingram backend's `claim` (which
 * reads the cookie itself). A per-process random secret unless IC_COOKIE_SECRET is set: fine for a
 * demo, where losing anonymous conversations on restart is acceptable.
 */
function cookieOptions(env: NodeJS.ProcessEnv): { secret: string } {
  return { secret: env.IC_COOKIE_SECRET ?? randomBytes(32).toString('base64url') };
}

/**
 * REDIS_URL: every piece of state on Redis, so several `npm start` processes (different PORTs, the
 * same REDIS_URL, IC_COOKIE_SECRET and upstream) behave as one service: the handler's stores, the
 * Ingram directory, AI SDK conversations and the demo's own sign-in sessions.
 */
async function sharedFromEnv(env: NodeJS.ProcessEnv) {
  if (!env.REDIS_URL) return undefined;
  if (!env.IC_COOKIE_SECRET) {
    throw new Error('REDIS_URL needs IC_COOKIE_SECRET: every process must sign visitor cookies with the same key (e.g. IC_COOKIE_SECRET=$(openssl rand -base64 48)).');
  }
  const { connectRedisStores } = await import('../src/stores/redis/index.js');
  const redis = await connectRedisStores({ url: env.REDIS_URL, prefix: env.IC_REDIS_PREFIX ?? 'ic-demo:' });
  return {
    redis,
    stores: { rateLimit: redis.rateLimit, concurrency: redis.concurrency, runBus: redis.runBus, runOwners: redis.runOwners, threads: redis.threads },
    sessions: new RedisDemoSessions(redis.client, env.IC_REDIS_PREFIX ?? 'ic-demo:'),
    close: () => redis.close(),
  };
}

/**
 * Picks the backend from the environment: with `IC_TOKEN`, the Ingram Cloud backend against
 * `IC_BASE_URL` (default https://api.cloud.ingram.tech; `emulator` runs the bundled API emulator
 * in-process, so the whole production flow works offline); otherwise the local backend.
 */
export async function createBackendFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<DemoBackend> {
  const cookie = cookieOptions(env);
  const connected = await sharedFromEnv(env);
  const shared = connected && { stores: connected.stores, sessions: connected.sessions, close: connected.close };
  if (env.IC_TOKEN) {
    const token = env.IC_TOKEN;
    const base = env.IC_BASE_URL;
    const useEmulator = base === 'emulator';
    const agentId = env.IC_AGENT_ID ?? (useEmulator ? EMULATOR_AGENT_ID : undefined);
    if (!agentId) {
      throw new Error('IC_AGENT_ID is required with IC_TOKEN (create one: npx ic-support-chat agent create --slug support …).');
    }
    const backend = createIngramBackend({
      token,
      agentId,
      cookie,
      ...(connected ? { directory: connected.redis.smithDirectory } : {}),
      ...(useEmulator
        ? {
            baseUrl: 'http://emulator.invalid',
            fetch: emulatorFetch(createIngramEmulator({ token, deltaDelayMs: Number(env.IC_DEMO_DELAY_MS ?? 30) })),
          }
        : {
            ...(base ? { baseUrl: base } : {}),
            // A real API over the network: node:http with a keep-alive pool is cheaper per streamed
            // delta than the built-in fetch (docs/backends.md, Performance).
            fetch: createNodeFetch({ keepAlive: true }),
          }),
    });
    return {
      name: useEmulator ? 'Ingram Cloud (in-process API emulator)' : `Ingram Cloud (${base ?? 'https://api.cloud.ingram.tech'})`,
      backend,
      cookie,
      ...(shared ? { shared } : {}),
      claim: async (request, user) => {
        const { carriedOver, setCookie } = await backend.claim(request, user);
        return { carriedOver, setCookie };
      },
    };
  }
  if (env.AI_SDK_BASE_URL) {
    // Any OpenAI-compatible server (Ollama, vLLM, llama.cpp…) through the Vercel AI SDK. Loaded only
    // here, so the default demo needs none of the AI SDK packages.
    const model = env.AI_SDK_MODEL;
    if (!model) throw new Error('AI_SDK_MODEL is required with AI_SDK_BASE_URL (e.g. AI_SDK_MODEL=llama3.2).');
    const [{ createOpenAICompatible }, { createAiSdkBackend }] = await Promise.all([import('@ai-sdk/openai-compatible'), import('../src/backends/ai-sdk/index.js')]);
    const provider = createOpenAICompatible({
      name: 'demo',
      baseURL: env.AI_SDK_BASE_URL,
      ...(env.AI_SDK_API_KEY ? { apiKey: env.AI_SDK_API_KEY } : {}),
    });
    return {
      name: `AI SDK (${model} at ${env.AI_SDK_BASE_URL})`,
      cookie,
      ...(shared ? { shared } : {}),
      backend: createAiSdkBackend({
        model: provider.chatModel(model),
        ...(connected ? { history: connected.redis.conversations } : {}),
        system: 'You are the support assistant for Acme Cloud Notes. Be concise. If you do not know, say so and offer to open a ticket.',
      }),
    };
  }
  return {
    // The local backend keeps conversations in its process: with REDIS_URL, limits, sign-in and Stop
    // are shared, conversations are not (use the Ingram or AI SDK backend for that).
    name: `local (help articles in demo/help/; feedback in ${feedbackFile(env)}; hand-offs in ${handoffFile(env)})${shared ? '; limits, sign-in and Stop shared on Redis' : ''}`,
    cookie,
    ...(shared ? { shared } : {}),
    backend: createLocalBackend({
      articlesDir: join(DEMO_DIR, 'help'),
      productName: 'Acme Cloud Notes',
      // Answers cite the articles they drew on, as links to this server's /help/{slug} pages.
      articlesUrl: '/help/',
      feedbackFile: feedbackFile(env),
      handoffFile: handoffFile(env),
      ...(env.IC_DEMO_DELAY_MS ? { delayMs: Number(env.IC_DEMO_DELAY_MS) } : {}),
      ...(env.IC_FILES_DIR ? { filesDir: env.IC_FILES_DIR } : {}),
    }),
  };
}

/** IC_FEEDBACK_FILE: where the local backend appends visitors' ratings (default: the OS temp folder). */
function feedbackFile(env: NodeJS.ProcessEnv): string {
  return env.IC_FEEDBACK_FILE ?? join(tmpdir(), 'ic-support-chat-demo-feedback.jsonl');
}

/** IC_HANDOFF_FILE: where the local backend appends "Talk to a person" tickets with their conversation. */
function handoffFile(env: NodeJS.ProcessEnv): string {
  return env.IC_HANDOFF_FILE ?? join(tmpdir(), 'ic-support-chat-demo-handoffs.jsonl');
}

/** The demo's accounts have no address of their own: a made-up one, so a hand-off asks a signed-in visitor for none. */
function withDemoEmail(user: IdentifiedUser | null): IdentifiedUser | null {
  return user && { ...user, email: user.user_id.includes('@') ? user.user_id : `${user.user_id}@example.com` };
}

// ---------------------------------------------------------------------------
// Demo sign-in: a session table behind a random cookie (in memory, or on Redis with REDIS_URL).
// Only the server maps the cookie to a user, so a visitor cannot claim to be someone else by
// editing a cookie.
// ---------------------------------------------------------------------------

const SESSION_TTL_S = 60 * 60 * 24;

/** Where the demo keeps who is signed in. */
export interface DemoSessions {
  get(token: string): Promise<IdentifiedUser | null>;
  set(token: string, user: IdentifiedUser): Promise<void>;
  delete(token: string): Promise<void>;
}

/** One process's sessions, bounded (oldest dropped first). */
class MemoryDemoSessions implements DemoSessions {
  readonly #map = new Map<string, IdentifiedUser>();
  async get(token: string) {
    return this.#map.get(token) ?? null;
  }
  async set(token: string, user: IdentifiedUser) {
    this.#map.set(token, user);
    while (this.#map.size > 10_000) this.#map.delete(this.#map.keys().next().value!);
  }
  async delete(token: string) {
    this.#map.delete(token);
  }
}

/** Sessions every demo process sees, as keys that expire with the session cookie. */
class RedisDemoSessions implements DemoSessions {
  constructor(
    readonly client: RedisCommandClient,
    readonly prefix: string,
  ) {}
  async get(token: string) {
    const raw = await this.client.eval("return redis.call('GET', KEYS[1])", { keys: [`${this.prefix}demo-session:${token}`], arguments: [] });
    return typeof raw === 'string' ? (JSON.parse(raw) as IdentifiedUser) : null;
  }
  async set(token: string, user: IdentifiedUser) {
    await this.client.eval("return redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])", {
      keys: [`${this.prefix}demo-session:${token}`],
      arguments: [JSON.stringify(user), String(SESSION_TTL_S)],
    });
  }
  async delete(token: string) {
    await this.client.eval("return redis.call('DEL', KEYS[1])", { keys: [`${this.prefix}demo-session:${token}`], arguments: [] });
  }
}

const defaultSessions = new MemoryDemoSessions();

function readCookie(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.get('cookie') ?? '').split(';')) {
    const i = pair.indexOf('=');
    if (i > 0 && pair.slice(0, i).trim() === name) return pair.slice(i + 1).trim();
  }
  return undefined;
}

/** The `identify` hook handed to the core: the signed-in demo user, or null (anonymous). */
export async function identifyDemoUser(request: Request, sessions: DemoSessions = defaultSessions): Promise<IdentifiedUser | null> {
  const token = readCookie(request, SESSION_COOKIE);
  return token ? sessions.get(token) : null;
}

function sessionCookie(value: string, url: URL, maxAge: number): string {
  const secure = url.protocol === 'https:' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

/**
 * Signing in or out rotates the anonymous visitor cookie: a claimed anonymous identity is refused
 * afterwards (so the next person on a shared computer never lands in this conversation). `anon`
 * is the fresh cookie a claim minted; without one the old cookie is cleared.
 */
function signInCookies(session: string, url: URL, anon: string | null = null): Headers {
  const headers = new Headers();
  headers.append('Set-Cookie', session);
  if (anon) {
    headers.append('Set-Cookie', anon);
    return headers;
  }
  const secure = url.protocol === 'https:';
  const name = secure ? '__Host-ic_visitor' : 'ic_visitor';
  headers.append('Set-Cookie', `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`);
  return headers;
}

/** A sign-in body is two short fields: anything bigger is refused before it is read in full. */
export const LOGIN_BODY_BYTES = 4 * 1024;

function json(body: unknown, status = 200, headers: ConstructorParameters<typeof Headers>[0] = {}): Response {
  const h = new Headers(headers);
  h.set('Content-Type', 'application/json; charset=utf-8');
  h.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify(body), { status, headers: h });
}

function demoError(status: number, code: string, message: string): Response {
  return json({ error: { code, message } }, status);
}

/** Same-origin check for the demo's own POST routes (the support endpoint has its own). */
function sameOrigin(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin');
  return origin === null || origin === url.origin;
}

async function login(request: Request, url: URL, demo: DemoBackend, sessions: DemoSessions): Promise<Response> {
  if (!isJsonContentType(request.headers.get('content-type'))) return demoError(400, 'invalid_request', 'Send JSON: {"user_id","display_name"}.');
  let body: unknown;
  try {
    // Bounded: a 413 as soon as the body passes the cap (claim() reads only the headers after this).
    body = await readJsonBody(request, LOGIN_BODY_BYTES);
  } catch (err) {
    if (err instanceof SupportError) return demoError(err.status, err.code, err.message);
    throw err;
  }
  const { user_id, display_name } = (body ?? {}) as Record<string, unknown>;
  if (typeof user_id !== 'string' || !/^[\w.@+-]{1,64}$/.test(user_id)) {
    return demoError(400, 'invalid_request', 'user_id must be 1–64 letters, digits or . _ @ + -');
  }
  if (display_name !== undefined && (typeof display_name !== 'string' || display_name.length > 80)) {
    return demoError(400, 'invalid_request', 'display_name must be a string of at most 80 characters.');
  }
  const user: IdentifiedUser = { user_id, ...(display_name ? { display_name } : {}) };
  let claimed: { carriedOver: boolean; setCookie: string | null } = { carriedOver: false, setCookie: null };
  if (demo.claim) {
    try {
      claimed = await demo.claim(request, user);
    } catch (err) {
      if (err instanceof SupportError) return demoError(err.status, err.code, err.message);
      throw err;
    }
  }
  const token = randomBytes(24).toString('base64url');
  await sessions.set(token, user);
  const old = readCookie(request, SESSION_COOKIE);
  if (old) await sessions.delete(old);
  // carried_over: false tells the page to start a new conversation and say why (docs/backends.md, "Sign-in mid-chat").
  return json({ user, carried_over: claimed.carriedOver }, 200, signInCookies(sessionCookie(token, url, SESSION_TTL_S), url, claimed.setCookie));
}

async function logout(request: Request, url: URL, sessions: DemoSessions): Promise<Response> {
  const token = readCookie(request, SESSION_COOKIE);
  if (token) await sessions.delete(token);
  return json({ user: null }, 200, signInCookies(sessionCookie('', url, 0), url));
}

// ---------------------------------------------------------------------------
// Static files
// ---------------------------------------------------------------------------

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file under `dir` for a URL path, or null (unknown type, outside `dir`, missing). */
async function staticFile(dir: string, urlPath: string, method: string): Promise<Response | null> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  if (rel.endsWith('/')) rel += 'index.html';
  const file = normalize(join(dir, rel));
  if (file !== dir && !file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return null;
  const type = CONTENT_TYPES[extname(file).toLowerCase()];
  if (!type) return null;
  try {
    const info = await stat(file);
    if (!info.isFile()) return null;
    const bytes = await readFile(file);
    const headers: Record<string, string> = { 'Content-Type': type, 'Content-Length': String(bytes.byteLength), 'Cache-Control': 'no-cache' };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = pageCsp(bytes.toString('utf8'));
    return new Response(method === 'HEAD' ? null : bytes, { headers });
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Response headers
// ---------------------------------------------------------------------------

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The page's Content-Security-Policy. Its inline `<script>` blocks are allowed by hash, computed
 * from the file as served, so editing the page cannot silently break the policy, and no other
 * inline script or handler runs. The widget needs: its bundle and lazy chunks from 'self'
 * (script-src), fetch to the endpoint (connect-src), attachment previews (blob:), the favicon
 * (data:) and Markdown images over https (img-src). Styles allow 'unsafe-inline': the launcher
 * and the lazy shell put a `<style>` in their shadow roots, whose (minified) text no hash here can
 * follow; CSS cannot run script. `frame-ancestors 'self'`: no other site may frame the page.
 */
export function pageCsp(html: string): string {
  const scripts: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\ssrc\s*=/i.test(m[1]!) && m[2]!.trim() !== '') scripts.push(sha256(m[2]!));
  }
  return [
    "default-src 'self'",
    `script-src 'self' ${scripts.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** Headers on everything the demo serves, API replies included. */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

function withCommonHeaders(response: Response): Response {
  try {
    for (const [name, value] of Object.entries(COMMON_HEADERS)) response.headers.set(name, value);
    return response;
  } catch {
    // Immutable headers (a Response from fetch): copy it. The support handler's own responses are
    // mutable, so its event streams keep the adapter's fast path.
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(COMMON_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

// ---------------------------------------------------------------------------
// The app
// ---------------------------------------------------------------------------

/** The whole demo as one Fetch handler; `drain` drains its support endpoint (see `serve().close`). */
export function createDemoHandler(demo: DemoBackend): ((request: Request, info?: ConnectionInfo) => Promise<Response>) & Drainable {
  const sessions = demo.shared?.sessions ?? defaultSessions;
  const support = createSupportHandler({
    backend: demo.backend,
    basePath: API_BASE,
    identify: async (request) => withDemoEmail(await identifyDemoUser(request, sessions)),
    ...(demo.cookie ? { cookie: demo.cookie } : {}),
    ...(demo.shared ? { stores: demo.shared.stores } : {}),
  });
  const handle = async (request: Request, info?: ConnectionInfo): Promise<Response> => withCommonHeaders(await route(request, info));
  return Object.assign(handle, { drain: (graceMs?: number) => support.drain(graceMs) });

  async function route(request: Request, info: ConnectionInfo | undefined): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === API_BASE || path.startsWith(`${API_BASE}/`)) return support(request, info);

    if (path === '/demo/login' || path === '/demo/logout') {
      if (request.method !== 'POST') return demoError(405, 'method_not_allowed', 'Use POST.');
      if (!sameOrigin(request, url)) return demoError(403, 'forbidden', 'Cross-origin sign-in is not allowed.');
      return path === '/demo/login' ? login(request, url, demo, sessions) : logout(request, url, sessions);
    }
    if (path === '/demo/me') return json({ user: await identifyDemoUser(request, sessions), backend: demo.name });

    if (request.method !== 'GET' && request.method !== 'HEAD') return demoError(405, 'method_not_allowed', 'Use GET.');
    const article = /^\/help\/([^/.]+)$/.exec(path);
    if (article) {
      const page = await helpPage(join(DEMO_DIR, 'help'), article[1]!);
      if (page)
        return new Response(request.method === 'HEAD' ? null : page, {
          headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Security-Policy': pageCsp(page) },
        });
    }
    const file = path.startsWith('/dist/')
      ? await staticFile(DIST_DIR, path.slice('/dist'.length), request.method)
      : path.endsWith('.ts')
        ? null // demo/server.ts is not for the browser
        : await staticFile(DEMO_DIR, path, request.method);
    if (file) return file;
    if (path === '/dist/ic-support-chat.min.js') {
      return new Response('console.error("dist/ic-support-chat.min.js is missing: run npm run build");', {
        status: 404,
        headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
      });
    }
    return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}

export async function startDemo(options: { port?: number; host?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ServeHandle> {
  const env = options.env ?? process.env;
  const demo = await createBackendFromEnv(env);
  const port = options.port ?? Number(env.PORT ?? 8787);
  const host = options.host ?? env.HOST ?? '127.0.0.1';
  const handle = await serve(createDemoHandler(demo), { port, host });
  const shownPort = new URL(handle.url).port;
  console.log(`Backend: ${demo.name}`);
  if (demo.shared) console.log(`Shared state: Redis (${env.REDIS_URL}), with the other processes on it`);
  console.log(`Demo: http://localhost:${shownPort}/`);
  return handle;
}

/** IC_DRAIN_GRACE_MS: how long open replies may go on after SIGTERM/SIGINT (default 10 s). */
export function drainGraceMs(env: NodeJS.ProcessEnv): number {
  const raw = env.IC_DRAIN_GRACE_MS;
  if (raw === undefined || raw === '') return 10_000;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`IC_DRAIN_GRACE_MS must be a number of milliseconds ≥ 0, got "${raw}".`);
  return ms;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graceMs = drainGraceMs(process.env);
  let stopping: NodeJS.Signals | undefined;
  // Not const: `stop` reads it before start-up ends, when a const would still be in its dead zone.
  // eslint-disable-next-line prefer-const
  let started: ServeHandle | undefined;
  const shutDown = (handle: ServeHandle, signal: NodeJS.Signals) => {
    console.log(`${signal}: no new replies; open ones get up to ${graceMs / 1000} s to finish.`);
    handle.close({ graceMs }).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('Shutdown failed:', err);
        process.exit(1);
      },
    );
  };
  // Listening before the server starts, so a signal during start-up is not the default (a kill).
  const stop = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches both `npm start` (which forwards it) and this process: one drain is enough.
    if (stopping) return;
    stopping = signal;
    if (started) shutDown(started, signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  started = await startDemo();
  if (stopping) shutDown(started, stopping);
}
