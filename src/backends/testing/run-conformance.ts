/**
 * What the conformance checks run against, and a tiny runner that reports them. Test-runner
 * neutral: `runConformance` returns a report (and can print it); with `node:test`, `vitest` or
 * anything else, loop over `conformanceChecks(...)` and make each check a test.
 */
import { createSupportHandler } from '../core/create-support-handler.js';
import type { SupportHandlerOptions } from '../core/handler-options.js';
import type { SupportBackend } from '../core/types.js';
import { ConformanceVisitor, type SendRequest } from './conformance-client.js';
import { conformanceChecks as checksFor, type ConformanceCheck, type ConformanceOptions } from './conformance-checks.js';
import { featureChecks } from './conformance-feature-checks.js';

/**
 * The endpoint under test:
 * - `{ backend }`: your `SupportBackend` behind the real `createSupportHandler`, called in process
 *   (no port; limits off, a throwaway cookie secret, `singleInstance`; `handlerOptions` override any of it);
 * - `{ handler }`: a Fetch handler you built (`createSupportHandler(...)` or your own), in process;
 * - `{ endpoint }`: the URL of a running endpoint, e.g. `http://127.0.0.1:8787/api/support`.
 */
export type ConformanceTarget =
  | { backend: SupportBackend; handlerOptions?: Partial<SupportHandlerOptions> }
  | { handler: (request: Request) => Promise<Response>; endpoint?: string }
  | { endpoint: string; fetch?: (request: Request) => Promise<Response> };

/** Where the in-process targets are "mounted": any URL works, the handler only sees the path. */
const IN_PROCESS_ENDPOINT = 'http://127.0.0.1/api/support';

function sender(target: ConformanceTarget): { endpoint: string; send: SendRequest } {
  if ('backend' in target) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const handler = createSupportHandler({
      backend: target.backend,
      basePath: '/api/support',
      cookie: { secret: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') },
      // The checks mint many visitors from one address in a few seconds.
      rateLimit: false,
      newVisitorLimit: false,
      onError: () => {},
      // One process by construction: production mode (NODE_ENV) must not refuse in-memory state here.
      singleInstance: true,
      ...target.handlerOptions,
    });
    return { endpoint: IN_PROCESS_ENDPOINT, send: (request) => handler(request) };
  }
  if ('handler' in target) return { endpoint: trimSlash(target.endpoint ?? IN_PROCESS_ENDPOINT), send: target.handler };
  const send = target.fetch ?? ((request: Request) => fetch(request));
  return { endpoint: trimSlash(target.endpoint), send };
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The checks for `target`, each a name and an async `run()` (throws on failure, may answer `{ skipped }`). */
export function conformanceChecks(target: ConformanceTarget, options: ConformanceOptions = {}): ConformanceCheck[] {
  const { endpoint, send } = sender(target);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const env = {
    visitor: (userId?: string) => {
      if (userId !== undefined && !options.signIn) throw new TypeError('A signed-in visitor needs ConformanceOptions.signIn.');
      return new ConformanceVisitor(endpoint, send, timeoutMs, userId === undefined ? {} : options.signIn!(userId));
    },
  };
  return [...checksFor(env, options), ...featureChecks(env, options)];
}

export interface ConformanceResult {
  name: string;
  status: 'pass' | 'fail' | 'skip';
  /** Why it failed, or why it was skipped. */
  message?: string;
}

export interface ConformanceReport {
  /** True when no check failed (skipped ones do not count against it). */
  ok: boolean;
  results: ConformanceResult[];
  passed: number;
  failed: number;
  skipped: number;
}

export interface RunConformanceOptions extends ConformanceOptions {
  /** Where each result line goes as it is known, e.g. `console.log`; default nowhere. */
  log?: (line: string) => void;
}

/** Runs every check, one after another, and reports; never throws for a failing check. */
export async function runConformance(target: ConformanceTarget, options: RunConformanceOptions = {}): Promise<ConformanceReport> {
  const results: ConformanceResult[] = [];
  for (const check of conformanceChecks(target, options)) {
    let result: ConformanceResult;
    try {
      const outcome = await check.run();
      result = outcome ? { name: check.name, status: 'skip', message: outcome.skipped } : { name: check.name, status: 'pass' };
    } catch (err) {
      result = { name: check.name, status: 'fail', message: err instanceof Error ? err.message : String(err) };
    }
    results.push(result);
    options.log?.(`${result.status === 'pass' ? 'ok  ' : result.status === 'skip' ? 'skip' : 'FAIL'} ${result.name}${result.message ? `\n       ${result.message}` : ''}`);
  }
  const count = (status: ConformanceResult['status']) => results.filter((r) => r.status === status).length;
  const report = { ok: count('fail') === 0, results, passed: count('pass'), failed: count('fail'), skipped: count('skip') };
  options.log?.(`${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return report;
}
