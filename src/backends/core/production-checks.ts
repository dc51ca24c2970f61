import type { SupportHandlerOptions } from './handler-options.js';
import type { SupportStores } from './stores.js';

/** `NODE_ENV === 'production'`, read where a `process` exists (Node, Bun, Deno's compatibility layer). */
function nodeEnvIsProduction(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NODE_ENV === 'production';
}

/**
 * Refuses, in production mode, the defaults that are only safe on a developer's machine: a random
 * per-process cookie key (every restart or second instance mints new visitors) and state that lives
 * in one process's memory (limits multiplied by the instance count, a Stop that cannot reach the run).
 */
export function assertProductionReady(options: SupportHandlerOptions): void {
  if (!(options.production ?? nodeEnvIsProduction())) return;
  const problems: string[] = [];
  const secret = options.cookie?.secret;
  if (secret === undefined || (Array.isArray(secret) && secret.length === 0)) {
    problems.push('cookie.secret is not set (e.g. cookie: { secret: process.env.IC_COOKIE_SECRET }, 32+ random bytes)');
  }
  if (!options.singleInstance) {
    const stores = options.stores ?? {};
    // Feedback and hand-off check who started the run or thread: an owner only one instance knows means 404s on the others.
    // So does a list of past conversations: another instance would list (and let read) nothing.
    const needed: (keyof SupportStores)[] = [
      'rateLimit',
      'concurrency',
      'runBus',
      'runLog',
      ...(options.onFeedback || options.backend.feedback || options.onHandoff || options.backend.handoff ? (['runOwners'] as const) : []),
      ...(options.backend.threadMessages ? (['threads'] as const) : []),
    ];
    const missing = needed.filter((name) => !stores[name]);
    const own = options.backend.inMemoryState ?? [];
    if (missing.length > 0)
      problems.push(`stores.${missing.join(', stores.')} would be kept in this process's memory (pass stores: createRedisStores(…) from ic-support-chat/stores/redis)`);
    if (own.length > 0) problems.push(`the backend keeps its ${own.join(', ')} in this process's memory (pass a shared one, e.g. from createRedisStores(…))`);
    if (missing.length > 0 || own.length > 0) problems.push('or, if exactly one process serves this endpoint, set singleInstance: true');
  }
  if (problems.length === 0) return;
  throw new Error(`[ic-support-chat] Refusing to start in production (NODE_ENV=production):\n- ${problems.join('\n- ')}\nSet production: false to override (development only).`);
}
