/**
 * An in-memory emulator of the Ingram Cloud API (the parts this package uses), as a Fetch handler.
 * Faithful where it matters for security and correctness: bearer-token auth, the required
 * `IC-Api-Version`, upsert on `external_id`, immutable `external_id`, soft archive that frees the
 * `external_id`, prefix filters, per-smith threads, stored attachments, 404 for unknown ids.
 *
 * Longer than 400 lines because it is one fake of one remote API: every route reads and writes the
 * same in-memory tables (agents, smiths, runs, files) and goes through the same fault injection, and
 * the tests read it as the one description of what the vendor API does. Its scripted assistant is
 * apart (reply.ts). Test and development support only: it never ships in the widget.
 */
import { decodeBase64 } from '../../core/base64.js';
import { newId, sleep } from '../../internal/helpers.js';
import { defaultReply, type EmulatorStep, type EmulatorTurn } from './reply.js';
import type { StoredPartRef, UpstreamAgent, UpstreamApproval, UpstreamFile, UpstreamRun, UpstreamSmith, UpstreamToolCall } from '../upstream-types.js';

export interface IngramEmulatorOptions {
  /** The only bearer token accepted. */
  token: string;
  /** The accepted `IC-Api-Version`; default `2026-05-01`. */
  apiVersion?: string;
  /**
   * Time between streamed events after `run.started`, in ms (load tests, trying Stop): each is due
   * this long after the previous one was due, as a model keeps its pace. Default 0.
   */
  deltaDelayMs?: number;
  /** Seed a published agent (`EMULATOR_AGENT_ID`) so no bootstrap is needed. Default true. */
  seedAgent?: boolean;
  /** Replace the scripted assistant. */
  reply?: (turn: EmulatorTurn) => EmulatorStep[];
  /** Largest decoded attachment the emulator stores; default 20 MB (413 above). */
  maxFileBytes?: number;
  /**
   * Answers a request with an API error instead (tests of error mapping: a 429 without
   * `Retry-After`, a 503 with one, a 409). Called after authentication; `undefined` lets it through.
   */
  fault?: (call: { method: string; path: string }) => EmulatorFault | undefined;
  /**
   * Network-level misbehaviour for resilience tests, tried in order after `fault`; none by
   * default. Each rule applies to the calls it matches, `times` times (default: every time).
   */
  faults?: EmulatorFaultRule[];
}

/**
 * One scripted failure: `error` answers with a status (a 429 with `retryAfter`, a 503 N times then
 * OK); `drop` cuts the connection (a JSON reply mid-body, a stream after `afterEvents` events);
 * `stall` stops a stream after `afterEvents` events and sends nothing more (or only `: ping`
 * comments every `pingEveryMs`) until the client goes away.
 */
export type EmulatorFaultRule = {
  /** Only calls with this method (`GET`, `POST`…); default any. */
  method?: string;
  /** Only calls whose path matches; default any. */
  path?: RegExp;
  /** How many matching calls it hits; default every one. */
  times?: number;
  /** Counts the calls it hit (read by tests). */
  hits?: number;
} & (
  | { kind: 'error'; status: number; code?: string; message?: string; retryAfter?: string }
  | { kind: 'drop'; afterEvents?: number }
  | { kind: 'stall'; afterEvents?: number; pingEveryMs?: number }
);

/** An error the emulator answers with, as `{"error":{"code","message"}}`. */
export interface EmulatorFault {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export type IngramEmulator = (request: Request) => Promise<Response>;

/** The id of the agent the emulator seeds (published, version 1 live). */
export const EMULATOR_AGENT_ID = 'agt_emulator_support';

interface SmithRecord extends UpstreamSmith {
  metadata: Record<string, unknown>;
}
interface AgentRecord extends UpstreamAgent {
  versions: { version: number; note: string | null }[];
}
interface FileRecord extends UpstreamFile {
  bytes: Uint8Array;
}
interface RunRecord extends UpstreamRun {
  abort: AbortController | null;
  pending: { approval_id: string; tool_call_id: string; name: string; onApprove: EmulatorStep[]; onDeny: EmulatorStep[] } | null;
}
interface ThreadMessage {
  role: 'user' | 'assistant';
  text: string;
}

type StreamFault = Extract<EmulatorFaultRule, { kind: 'drop' | 'stall' }>;

/** Thrown inside a stream once its fault's event count is reached. */
class FaultReached extends Error {}

/** Sends nothing more (or only keep-alive comments) until the run is aborted (the client left). */
async function stall(controller: ReadableStreamDefaultController<Uint8Array>, pingEveryMs: number | undefined, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    await sleep(pingEveryMs ?? 3_600_000, signal);
    if (signal.aborted) return;
    if (pingEveryMs !== undefined) {
      try {
        controller.enqueue(enc.encode(': ping\n\n'));
      } catch {
        return;
      }
    }
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const enc = new TextEncoder();

/** Creates an emulator. Each call has its own state. */
export function createIngramEmulator(options: IngramEmulatorOptions): IngramEmulator {
  if (!options.token) throw new TypeError('createIngramEmulator needs a token.');
  const apiVersion = options.apiVersion ?? '2026-05-01';
  const delay = Math.max(0, options.deltaDelayMs ?? 0);
  const reply = options.reply ?? defaultReply;
  const maxFileBytes = options.maxFileBytes ?? 20 * 1024 * 1024;

  const agents = new Map<string, AgentRecord>();
  const smiths = new Map<string, SmithRecord>();
  const activeByExternalId = new Map<string, string>();
  const runs = new Map<string, RunRecord>();
  const threads = new Map<string, ThreadMessage[]>();
  const files = new Map<string, FileRecord>();

  if (options.seedAgent !== false) {
    agents.set(EMULATOR_AGENT_ID, {
      id: EMULATOR_AGENT_ID,
      // Not `support`, so `ic-support-chat agent create --slug support` works against the emulator too.
      slug: 'emulator-support',
      name: 'Support bot (emulator)',
      instructions: 'You are the support assistant. Be concise. If you do not know, say so and offer to open a ticket.',
      enabled_hosted_tools: ['web_search'],
      live_version: 1,
      created_at: now(),
      versions: [{ version: 1, note: 'seeded by the emulator' }],
    });
  }

  // --- faults --------------------------------------------------------------------------------

  /** The first rule that matches this call and has hits left (counted). */
  function faultRule(method: string, path: string): EmulatorFaultRule | undefined {
    for (const rule of options.faults ?? []) {
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && !rule.path.test(path)) continue;
      if ((rule.hits ?? 0) >= (rule.times ?? Infinity)) continue;
      rule.hits = (rule.hits ?? 0) + 1;
      return rule;
    }
    return undefined;
  }

  /** A guess from the URL alone (the body is read later): runs and approval decisions can stream. */
  function streamRequested(request: Request): boolean {
    return request.method === 'POST' && /\/runs(\/[^/]+\/approvals\/[^/]+)?$/.test(new URL(request.url).pathname);
  }

  /** Headers, then the body breaks: over HTTP the connection is cut mid-reply. */
  function droppedReply(): Response {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(enc.encode('{"id":'));
        controller.error(new Error('emulated connection drop'));
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
  }

  // --- routes --------------------------------------------------------------------------------

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1') throw new HttpError(404, 'not_found', 'No such endpoint.');
    authenticate(request);
    const fault = options.fault?.({ method: request.method, path: url.pathname });
    if (fault) throw new HttpError(fault.status, fault.code, fault.message, fault.headers);
    const rule = faultRule(request.method, url.pathname);
    if (rule?.kind === 'error') {
      throw new HttpError(rule.status, rule.code ?? 'emulated_fault', rule.message ?? 'Emulated fault.', rule.retryAfter === undefined ? {} : { 'Retry-After': rule.retryAfter });
    }
    if (rule?.kind === 'drop' && !streamRequested(request)) return droppedReply();
    const streamFault = rule?.kind === 'drop' || rule?.kind === 'stall' ? rule : undefined;
    const m = request.method;
    const [, a, b, c, d, e, f] = parts;
    const n = parts.length;

    if (a === 'agents') {
      if (n === 2 && m === 'POST') return json(201, createAgent(await body(request)));
      if (n === 3 && m === 'GET') return json(200, publicAgent(agent(b!)));
      if (n === 4 && c === 'versions' && m === 'POST') return json(201, publish(agent(b!), await body(request)));
    }
    if (a === 'smiths') {
      if (n === 2 && m === 'POST') return upsertSmith(await body(request));
      if (n === 2 && m === 'GET') return json(200, listSmiths(url));
      if (n === 3 && m === 'GET') return json(200, publicSmith(smith(b!, true)));
      if (n === 3 && m === 'PATCH') return json(200, patchSmith(smith(b!), await body(request)));
      if (n === 3 && m === 'DELETE') return json(200, archiveSmith(smith(b!)));
      if (n === 4 && c === 'runs' && m === 'POST') return createRun(smith(b!), await body(request), request.signal, streamFault);
      if (n === 5 && c === 'runs' && m === 'GET') return json(200, publicRun(run(smith(b!, true), d!)));
      if (n === 6 && c === 'runs' && e === 'cancel' && m === 'POST') return json(200, cancelRun(run(smith(b!, true), d!)));
      if (n === 7 && c === 'runs' && e === 'approvals' && m === 'POST') {
        return decide(smith(b!), run(smith(b!), d!), f!, await body(request), request.signal, streamFault);
      }
    }
    if (a === 'runs') {
      if (n === 2 && m === 'GET') return json(200, listRuns(url));
    }
    if (a === 'files') {
      const file = files.get(b ?? '');
      if (!file) throw new HttpError(404, 'not_found', 'No such file.');
      if (n === 3 && m === 'GET') return json(200, publicFile(file));
      if (n === 4 && c === 'content' && m === 'GET') {
        return new Response(file.bytes as unknown as BodyInit, {
          status: 200,
          headers: { 'Content-Type': file.media_type, 'Content-Length': String(file.bytes.byteLength) },
        });
      }
    }
    throw new HttpError(404, 'not_found', 'No such endpoint.');
  }

  function authenticate(request: Request): void {
    const auth = request.headers.get('authorization') ?? '';
    if (!safeEqual(auth, `Bearer ${options.token}`)) {
      throw new HttpError(401, 'unauthorized', 'Missing or invalid API token.');
    }
    const version = request.headers.get('ic-api-version');
    if (!version) throw new HttpError(400, 'missing_api_version', 'The IC-Api-Version header is required.');
    if (version !== apiVersion) throw new HttpError(400, 'unsupported_api_version', `Unsupported IC-Api-Version "${version}".`);
  }

  async function body(request: Request): Promise<Record<string, unknown>> {
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'Send Content-Type: application/json.');
    let value: unknown;
    try {
      value = await request.json();
    } catch {
      throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new HttpError(400, 'invalid_request', 'The body must be a JSON object.');
    }
    return value as Record<string, unknown>;
  }

  // --- agents --------------------------------------------------------------------------------

  function agent(id: string): AgentRecord {
    const found = agents.get(id);
    if (!found) throw new HttpError(404, 'not_found', 'No such agent.');
    return found;
  }

  function createAgent(input: Record<string, unknown>): UpstreamAgent {
    const slug = str(input, 'slug', true)!;
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) throw new HttpError(400, 'invalid_request', 'slug must be lower-case letters, digits and dashes.');
    if ([...agents.values()].some((x) => x.slug === slug)) throw new HttpError(409, 'conflict', `An agent with slug "${slug}" exists.`);
    const tools = input['enabled_hosted_tools'] ?? [];
    if (!Array.isArray(tools) || !tools.every((t) => typeof t === 'string')) {
      throw new HttpError(400, 'invalid_request', 'enabled_hosted_tools must be an array of strings.');
    }
    const record: AgentRecord = {
      id: newId('agt'),
      slug,
      name: str(input, 'name', true)!,
      instructions: str(input, 'instructions', true)!,
      enabled_hosted_tools: tools as string[],
      live_version: null,
      created_at: now(),
      versions: [],
    };
    agents.set(record.id, record);
    return publicAgent(record);
  }

  function publish(record: AgentRecord, input: Record<string, unknown>): { version: number; live: boolean } {
    const version = record.versions.length + 1;
    record.versions.push({ version, note: str(input, 'note') ?? null });
    // The first publish goes live; later ones wait for a rollout.
    if (record.live_version === null) record.live_version = version;
    return { version, live: record.live_version === version };
  }

  function publicAgent(r: AgentRecord): UpstreamAgent {
    const { versions: _v, ...rest } = r;
    return { ...rest };
  }

  // --- smiths --------------------------------------------------------------------------------

  function smith(id: string, includeArchived = false): SmithRecord {
    const found = smiths.get(id);
    if (!found || (found.archived_at !== null && !includeArchived)) throw new HttpError(404, 'not_found', 'No such smith.');
    return found;
  }

  function upsertSmith(input: Record<string, unknown>): Response {
    const external_id = str(input, 'external_id', true)!;
    if (external_id.length > 256) throw new HttpError(400, 'invalid_request', 'external_id is too long.');
    const existingId = activeByExternalId.get(external_id);
    if (existingId) {
      const record = smiths.get(existingId)!;
      applySmithFields(record, input);
      return json(200, publicSmith(record));
    }
    const record: SmithRecord = {
      id: newId('smt'),
      external_id,
      display_name: null,
      customer_id: null,
      agent_id: null,
      auto_memory: true,
      archived_at: null,
      created_at: now(),
      metadata: {},
    };
    applySmithFields(record, input);
    smiths.set(record.id, record);
    activeByExternalId.set(external_id, record.id);
    return json(201, publicSmith(record));
  }

  function patchSmith(record: SmithRecord, input: Record<string, unknown>): UpstreamSmith {
    if ('external_id' in input) throw new HttpError(400, 'invalid_request', 'external_id is immutable.');
    applySmithFields(record, input);
    return publicSmith(record);
  }

  function applySmithFields(record: SmithRecord, input: Record<string, unknown>): void {
    // Validate everything before changing anything.
    const display_name = nullableStr(input, 'display_name');
    const customer_id = nullableStr(input, 'customer_id');
    const agent_id = nullableStr(input, 'agent_id');
    if (typeof agent_id === 'string') agent(agent_id);
    const auto_memory = input['auto_memory'];
    if (auto_memory !== undefined && typeof auto_memory !== 'boolean') throw new HttpError(400, 'invalid_request', 'auto_memory must be a boolean.');
    if (display_name !== undefined) record.display_name = display_name;
    if (customer_id !== undefined) record.customer_id = customer_id;
    if (agent_id !== undefined) record.agent_id = agent_id;
    if (auto_memory !== undefined) record.auto_memory = auto_memory;
  }

  function archiveSmith(record: SmithRecord): UpstreamSmith {
    record.archived_at = now();
    // Frees the external_id: the next upsert with it creates a new smith.
    if (activeByExternalId.get(record.external_id) === record.id) activeByExternalId.delete(record.external_id);
    return publicSmith(record);
  }

  function listSmiths(url: URL) {
    const prefix = url.searchParams.get('external_id_prefix') ?? '';
    const withArchived = url.searchParams.get('include_archived') === 'true';
    const all = [...smiths.values()].filter((s) => s.external_id.startsWith(prefix) && (withArchived || s.archived_at === null));
    return page(all.map(publicSmith), url, (s) => s.id);
  }

  function publicSmith(r: SmithRecord): UpstreamSmith {
    const { metadata: _m, ...rest } = r;
    return { ...rest };
  }

  // --- runs ----------------------------------------------------------------------------------

  function run(owner: SmithRecord, id: string): RunRecord {
    const found = runs.get(id);
    // Another smith's run is as unknown as a run that never existed.
    if (!found || found.smith_id !== owner.id) throw new HttpError(404, 'not_found', 'No such run.');
    return found;
  }

  function createRun(owner: SmithRecord, input: Record<string, unknown>, signal: AbortSignal, fault?: StreamFault): Response {
    if (!owner.agent_id) throw new HttpError(409, 'no_agent', 'This smith has no agent: set agent_id.');
    const liveAgent = agent(owner.agent_id);
    if (liveAgent.live_version === null) throw new HttpError(409, 'agent_not_published', 'The agent has no published version.');
    const messages = input['input'];
    if (!Array.isArray(messages) || messages.length === 0) throw new HttpError(400, 'invalid_request', 'input must be a non-empty array of messages.');
    const thread_id = str(input, 'thread_id') ?? newId('thr');
    const stream = input['stream'] === true;
    const run_id = newId('run');
    const storedInput: UpstreamRun['input'] = [];
    const newFiles: FileRecord[] = [];
    const texts: string[] = [];
    for (const message of messages) {
      if (typeof message !== 'object' || message === null || (message as { role?: unknown }).role !== 'user') {
        throw new HttpError(400, 'invalid_request', 'Each input message needs role "user".');
      }
      const content = (message as { content?: unknown }).content;
      if (typeof content === 'string') {
        storedInput.push({ role: 'user', content });
        texts.push(content);
        continue;
      }
      if (!Array.isArray(content)) throw new HttpError(400, 'invalid_request', 'content must be a string or an array of parts.');
      const stored: (StoredPartRef | { type: 'text'; text: string })[] = [];
      const partTexts: string[] = [];
      for (const part of content as Record<string, unknown>[]) {
        if (part?.['type'] === 'text' && typeof part['text'] === 'string') {
          stored.push({ type: 'text', text: part['text'] });
          partTexts.push(part['text']);
        } else if (part?.['type'] === 'image' && typeof part['image'] === 'string') {
          const file = storeFile(part['image'], undefined, owner.id, run_id);
          newFiles.push(file);
          stored.push({ type: 'image', file_id: file.file_id, media_type: file.media_type });
        } else if (part?.['type'] === 'file' && typeof part['data'] === 'string' && typeof part['filename'] === 'string') {
          const file = storeFile(part['data'], part['filename'], owner.id, run_id);
          newFiles.push(file);
          stored.push({ type: 'file', file_id: file.file_id, filename: file.filename, media_type: file.media_type });
        } else {
          throw new HttpError(400, 'invalid_request', 'Unknown or malformed content part.');
        }
      }
      storedInput.push({ role: 'user', content: stored });
      texts.push(partTexts.join('\n'));
    }
    // Only a valid request stores anything.
    for (const f of newFiles) files.set(f.file_id, f);

    const threadKey = `${owner.id}\n${thread_id}`;
    const thread = threads.get(threadKey) ?? [];
    threads.set(threadKey, thread);
    const history = thread.slice();
    const text = texts[texts.length - 1] ?? '';
    for (const t of texts) thread.push({ role: 'user', text: t });
    const turn = thread.filter((x) => x.role === 'user').length;

    const record: RunRecord = {
      id: run_id,
      smith_id: owner.id,
      external_id: owner.external_id,
      thread_id,
      status: 'running',
      stop_reason: null,
      input: storedInput,
      output: [],
      tool_calls: [],
      approvals: [],
      files: newFiles.map(fileInfo),
      error: null,
      created_at: now(),
      abort: new AbortController(),
      pending: null,
    };
    runs.set(run_id, record);
    const steps = reply({
      smith: { id: owner.id, external_id: owner.external_id, display_name: owner.display_name, auto_memory: owner.auto_memory },
      thread_id,
      turn,
      text,
      history,
      files: record.files,
    });
    return respond(record, steps, stream, signal, thread, undefined, fault);
  }

  function decide(owner: SmithRecord, record: RunRecord, approvalId: string, input: Record<string, unknown>, signal: AbortSignal, fault?: StreamFault): Response {
    const approval = record.approvals.find((x) => x.approval_id === approvalId);
    if (!approval) throw new HttpError(404, 'not_found', 'No such approval.');
    const decision = input['decision'];
    if (decision !== 'approve' && decision !== 'deny') throw new HttpError(400, 'invalid_request', 'decision must be "approve" or "deny".');
    if (approval.decision || record.status !== 'awaiting_approval' || record.pending?.approval_id !== approvalId) {
      throw new HttpError(409, 'conflict', 'This approval was already decided.');
    }
    approval.decision = decision;
    const { onApprove, onDeny, tool_call_id, name } = record.pending;
    const steps = decision === 'approve' ? onApprove : onDeny;
    record.pending = null;
    record.status = 'running';
    record.stop_reason = null;
    record.abort = new AbortController();
    const thread = threads.get(`${owner.id}\n${record.thread_id}`) ?? [];
    // The decided call is the one that runs (or is refused): its result carries the approval's tool_call_id.
    return respond(record, steps, input['stream'] === true, signal, thread, { tool_call_id, name }, fault);
  }

  function cancelRun(record: RunRecord): UpstreamRun {
    if (record.status === 'running' || record.status === 'awaiting_approval') {
      record.abort?.abort();
      finish(record, 'cancelled');
    }
    return publicRun(record);
  }

  function finish(record: RunRecord, reason: 'end_turn' | 'awaiting_approval' | 'cancelled' | 'failed'): void {
    record.status = reason === 'end_turn' ? 'completed' : reason;
    record.stop_reason = reason === 'failed' ? null : reason;
    if (reason === 'cancelled') record.pending = null;
    record.abort = null;
  }

  /**
   * Plays `steps` for a run: as SSE with the configured delay, or to completion as JSON. `decided`
   * is the call an approval was just decided for: the first tool step of that name is that call.
   */
  function respond(
    record: RunRecord,
    steps: EmulatorStep[],
    stream: boolean,
    signal: AbortSignal,
    thread: ThreadMessage[],
    decided?: { tool_call_id: string; name: string },
    fault?: StreamFault,
  ): Response {
    const runAbort = record.abort!;
    const emitted: [string, Record<string, unknown>][] = [];
    let assistantText = '';
    let failed = false;

    // Applies one step to the run record; returns the events it produces.
    const apply = (step: EmulatorStep): [string, Record<string, unknown>][] => {
      const base = { v: 1, run_id: record.id };
      if (step.type === 'delta') {
        const delta = typeof step.text === 'function' ? step.text() : step.text;
        assistantText += delta;
        return [['message.delta', { ...base, delta }]];
      }
      if (step.type === 'fail') {
        failed = true;
        record.error = { code: step.code, message: step.message };
        return [];
      }
      if (step.type === 'tool') {
        let tool_call_id = newId('call');
        if (decided && decided.name === step.name) {
          tool_call_id = decided.tool_call_id;
          decided = undefined;
        }
        const call: UpstreamToolCall = { tool_call_id, name: step.name, arguments: step.arguments, output: step.output };
        if (step.is_error) call.is_error = true;
        record.tool_calls.push(call);
        const done: Record<string, unknown> = { ...base, tool_call_id: call.tool_call_id, name: step.name, output: step.output };
        if (step.is_error) done['is_error'] = true;
        return [
          ['tool_call.started', { ...base, tool_call_id: call.tool_call_id, name: step.name, arguments: step.arguments }],
          ['tool_call.completed', done],
        ];
      }
      const approval: UpstreamApproval = { approval_id: newId('apr'), tool_call_id: newId('call'), name: step.name, arguments: step.arguments, decision: null };
      if (step.reason) approval.reason = step.reason;
      record.approvals.push(approval);
      record.pending = { approval_id: approval.approval_id, tool_call_id: approval.tool_call_id, name: step.name, onApprove: step.onApprove, onDeny: step.onDeny };
      return [
        [
          'approval.requested',
          {
            ...base,
            approval_id: approval.approval_id,
            tool_call_id: approval.tool_call_id,
            name: step.name,
            arguments: step.arguments,
            ...(step.reason ? { reason: step.reason } : {}),
          },
        ],
      ];
    };
    const complete = (): [string, Record<string, unknown>] => {
      const awaiting = record.pending !== null;
      if (assistantText) {
        record.output.push({ role: 'assistant', content: assistantText });
        thread.push({ role: 'assistant', text: assistantText });
      }
      if (failed) {
        record.pending = null;
        finish(record, 'failed');
        return ['run.failed', { v: 1, run_id: record.id, error: record.error }];
      }
      finish(record, awaiting ? 'awaiting_approval' : 'end_turn');
      return ['run.completed', { v: 1, run_id: record.id, stop_reason: record.stop_reason }];
    };
    const started: [string, Record<string, unknown>] = [
      'run.started',
      { v: 1, run_id: record.id, smith_id: record.smith_id, thread_id: record.thread_id, ...(record.files.length ? { files: record.files } : {}) },
    ];

    if (!stream) {
      for (const step of steps) {
        emitted.push(...apply(step));
        if (step.type === 'approval' || failed) break;
      }
      complete();
      return json(200, publicRun(record));
    }

    // The caller going away (or a cancel) stops the work, as a real model run would.
    const onGone = () => {
      if (record.status === 'running') finish(record, 'cancelled');
      runAbort.abort();
    };
    signal.addEventListener('abort', onGone, { once: true });
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        let sent = 0;
        const send = ([name, data]: [string, Record<string, unknown>]) => {
          controller.enqueue(enc.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
          sent++;
          if (fault && sent >= (fault.afterEvents ?? 1)) throw new FaultReached();
        };
        try {
          send(started);
          // Each step is due `delay` after the previous one was DUE, not after it was sent: a model
          // keeps its own pace, so a late timer does not shift the rest of the run. (Sleeping
          // `delay` after each send let a busy event loop pull many runs' timers into step: 1,000
          // runs came out in waves instead of spread over each 100 ms.) A run more than a step
          // behind (its thread was busy) skips the backlog rather than bursting it out.
          let due = performance.now();
          for (const step of steps) {
            due = Math.max(due + delay, performance.now() - delay);
            if (delay > 0) await sleep(due - performance.now(), runAbort.signal);
            if (runAbort.signal.aborted || cancelled) break;
            for (const ev of apply(step)) send(ev);
            if (step.type === 'approval' || failed) break;
          }
          if (runAbort.signal.aborted || cancelled) {
            if (!cancelled) send(['run.completed', { v: 1, run_id: record.id, stop_reason: 'cancelled' }]);
          } else {
            send(complete());
          }
          controller.close();
        } catch (err) {
          if (err instanceof FaultReached && fault?.kind === 'drop') controller.error(new Error('emulated connection drop'));
          if (err instanceof FaultReached && fault?.kind === 'stall') await stall(controller, fault.pingEveryMs, runAbort.signal);
          // Otherwise the reader went away mid-write.
        } finally {
          signal.removeEventListener('abort', onGone);
        }
      },
      cancel() {
        cancelled = true;
        onGone();
      },
    });
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }

  function listRuns(url: URL) {
    const prefix = url.searchParams.get('external_id_prefix') ?? '';
    const all = [...runs.values()].filter((r) => r.external_id.startsWith(prefix));
    return page(all.map(publicRun), url, (r) => r.id);
  }

  function publicRun(r: RunRecord): UpstreamRun {
    const { abort: _a, pending: _p, ...rest } = r;
    return structuredClone(rest);
  }

  // --- files ---------------------------------------------------------------------------------

  function storeFile(dataUrl: string, filename: string | undefined, smith_id: string, run_id: string): FileRecord {
    const match = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)(?:;[a-z0-9-]+=[^;,]*)*;base64,([A-Za-z0-9+/]*={0,2})$/i.exec(dataUrl);
    if (!match) throw new HttpError(400, 'invalid_request', 'Attachments must be base64 data URLs.');
    const bytes = decodeBase64(match[2]!);
    if (bytes.byteLength > maxFileBytes) throw new HttpError(413, 'payload_too_large', 'Attachment too large.');
    const file: FileRecord = {
      file_id: newId('file'),
      media_type: match[1]!.toLowerCase(),
      size: bytes.byteLength,
      smith_id,
      run_id,
      created_at: now(),
      bytes,
    };
    if (filename !== undefined) file.filename = filename;
    return file;
  }

  function fileInfo(f: FileRecord) {
    return { file_id: f.file_id, ...(f.filename !== undefined ? { filename: f.filename } : {}), media_type: f.media_type, size: f.size };
  }

  function publicFile(f: FileRecord): UpstreamFile {
    return { ...fileInfo(f), smith_id: f.smith_id, run_id: f.run_id, created_at: f.created_at };
  }

  return async (request: Request): Promise<Response> => {
    try {
      return await handle(request);
    } catch (err) {
      if (err instanceof HttpError) return json(err.status, { error: { code: err.code, message: err.message } }, err.headers);
      return json(500, { error: { code: 'internal_error', message: 'Emulator error.' } });
    }
  };
}

/** A `fetch` that sends requests straight to an emulator, in-process (no port needed). */
export function emulatorFetch(emulator: IngramEmulator): typeof globalThis.fetch {
  return (input: RequestInfo | URL, init?: RequestInit) => emulator(new Request(input, init));
}

// --- helpers -----------------------------------------------------------------------------------

function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { status, headers: { ...headers, 'Content-Type': 'application/json' } });
}

function str(input: Record<string, unknown>, key: string, required = false): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) {
    if (required) throw new HttpError(400, 'invalid_request', `${key} is required.`);
    return undefined;
  }
  if (typeof value !== 'string' || (required && value === '')) throw new HttpError(400, 'invalid_request', `${key} must be a string.`);
  return value;
}

function nullableStr(input: Record<string, unknown>, key: string): string | null | undefined {
  if (!(key in input)) return undefined;
  const value = input[key];
  if (value === null) return null;
  if (typeof value !== 'string') throw new HttpError(400, 'invalid_request', `${key} must be a string or null.`);
  return value;
}

function page<T>(items: T[], url: URL, idOf: (item: T) => string) {
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
  const after = url.searchParams.get('after');
  let start = 0;
  if (after) {
    const i = items.findIndex((x) => idOf(x) === after);
    start = i < 0 ? items.length : i + 1;
  }
  const data = items.slice(start, start + limit);
  const has_more = start + limit < items.length;
  return { data, has_more, next_cursor: has_more && data.length ? idOf(data[data.length - 1]!) : null };
}

function now(): string {
  return new Date().toISOString();
}

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
