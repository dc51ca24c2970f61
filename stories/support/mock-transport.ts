// A transport that replays scripted replies as a real stream would arrive (run.started, word-sized
// message.delta events with a delay, tool calls, approvals, run.completed or a failure), so stories
// need no backend. Failures are thrown the way the real transport throws them, so the widget shows
// exactly what a visitor would see.
import { ProtocolError } from '../../src/protocol/errors.js';
import type {
  ApprovalDecision,
  ErrorInfo,
  FeedbackRequestBody,
  HandoffRequestBody,
  HandoffResult,
  Limits,
  RunEvent,
  RunRequest,
  SessionResponse,
  SourceInfo,
} from '../../src/protocol/types.js';
import type { ChatTransport, ResumeTarget, TransportRunOptions } from '../../src/widget/state/transport.js';

/** One step of a scripted run. */
export type ScriptStep =
  /** Streamed word by word. */
  | { text: string }
  /** `tool_call.started`, then `tool_call.completed` (with `output`, or `is_error` when `error`); `running` never completes. */
  | { tool: string; args?: unknown; output?: unknown; error?: boolean; running?: boolean }
  /** `approval.requested`, then `run.completed` with `awaiting_approval`; the decision continues with `approved`/`denied`. */
  | { approval: string; args?: unknown; reason?: string; approved?: ScriptStep[]; denied?: ScriptStep[] }
  /** A `run.failed` event. */
  | { fail: ErrorInfo }
  /** The request itself fails: `network` (server unreachable) or an HTTP error such as 429. */
  | { refuse: 'network' | { code: string; status: number; message: string; retryAfterMs?: number } }
  /** The stream ends without `run.completed` (the connection dropped). */
  | { interrupt: true }
  /** The connection drops on a backend that resumes runs: the widget reconnects, and the resume waits. */
  | { reconnect: true }
  /** The stream stays open (nothing more arrives) until the visitor presses Stop. */
  | { hold: true }
  /** A `source.added` event: a page the reply drew on. */
  | { source: SourceInfo };

export interface ScriptedReply {
  /** Replies to a question containing this (case-insensitive); the last reply is the fallback. */
  match?: string;
  /** Shorthand for `steps: [{ text }]`. */
  text?: string;
  steps?: ScriptStep[];
}

export interface MockTransportOptions {
  replies: ScriptedReply[];
  /** Delay between deltas in ms (default 35). */
  delayMs?: number;
  /** Attachment limits announced by `openSession`. */
  limits?: Limits;
  /** Announce `features.feedback` and take ratings (kept in `ratings`). */
  feedback?: boolean;
  /** Announce `features.handoff` and take hand-offs (`signed-in`: the visitor has an address on file). */
  handoff?: boolean | 'signed-in';
}

type Continuation = { approved: ScriptStep[]; denied: ScriptStep[] };

export class MockTransport implements ChatTransport {
  private runs = 0;
  private approvals = 0;
  private readonly pending = new Map<string, Continuation>();
  constructor(private readonly options: MockTransportOptions) {}

  startRun(request: RunRequest, { signal }: TransportRunOptions): AsyncIterable<RunEvent> {
    const run_id = `run_mock_${++this.runs}`;
    const last = request.input[request.input.length - 1];
    const content = last?.content;
    const question = (typeof content === 'string' ? content : (content ?? []).map((p) => (p.type === 'text' ? p.text : '')).join(' ')).toLowerCase();
    const replies = this.options.replies;
    const reply = replies.find((r) => r.match && question.includes(r.match.toLowerCase())) ?? replies[replies.length - 1];
    const steps = reply?.steps ?? [{ text: reply?.text ?? '' }];
    const files = Array.isArray(content)
      ? content.flatMap((p, i) =>
          p.type === 'text'
            ? []
            : [
                {
                  file_id: `file_mock_${this.runs}_${i}`,
                  filename: p.type === 'file' ? p.filename : undefined,
                  media_type: mediaOf(p.type === 'file' ? p.data : p.image),
                  size: 1024,
                },
              ],
        )
      : undefined;
    return this.play(run_id, steps, signal, { thread_id: request.thread_id, ...(files?.length ? { files } : {}) });
  }

  continueRun(runId: string, approvalId: string, decision: ApprovalDecision, { signal }: TransportRunOptions): AsyncIterable<RunEvent> {
    const continuation = this.pending.get(approvalId);
    this.pending.delete(approvalId);
    const steps = continuation ? (decision === 'approve' ? continuation.approved : continuation.denied) : [{ fail: { code: 'not_found', message: 'No such approval.' } }];
    return this.play(runId, steps, signal, null);
  }

  /** Only a run that broke with `reconnect` is resumed (others show Interrupted, as before). */
  private resumable = false;

  resumesRuns(): boolean {
    return this.resumable;
  }

  /** The resume of a `reconnect` step: stays "Reconnecting…" until the visitor presses Stop. */
  resumeRun(_target: ResumeTarget, { signal }: TransportRunOptions): AsyncIterable<RunEvent> {
    return hold(signal);
  }

  async cancelRun(): Promise<boolean> {
    return true;
  }

  async openSession(): Promise<SessionResponse> {
    return {
      v: 1,
      visitor: this.options.handoff === 'signed-in' ? { kind: 'user', display_name: 'Ada', has_email: true } : { kind: 'anonymous' },
      limits: this.options.limits ?? { max_file_bytes: 10 * 1024 * 1024, max_files: 4, accept: ['image/png', 'image/jpeg', 'application/pdf'] },
      ...(this.options.feedback || this.options.handoff
        ? { features: { ...(this.options.feedback ? { feedback: true } : {}), ...(this.options.handoff ? { handoff: true } : {}) } }
        : {}),
    };
  }

  /** `POST /handoff`: a made-up reference; the signed-in visitor's address is `ada@example.com`. */
  async requestHandoff(body: HandoffRequestBody): Promise<HandoffResult> {
    if (!this.options.handoff) throw new ProtocolError('not_found', 'This backend does not hand conversations to a person.', { status: 404 });
    return { reference: 'T-482913', email: body.email ?? 'ada@example.com' };
  }

  /** The ratings sent, in order. */
  readonly ratings: (FeedbackRequestBody & { runId: string })[] = [];

  async sendFeedback(runId: string, body: FeedbackRequestBody): Promise<void> {
    this.ratings.push({ runId, ...body });
  }

  private async *play(
    run_id: string,
    steps: readonly ScriptStep[],
    signal: AbortSignal,
    start: { thread_id: string; files?: { file_id: string; media_type: string; size: number; filename?: string }[] } | null,
  ): AsyncGenerator<RunEvent> {
    const delay = this.options.delayMs ?? 35;
    const refusal = steps.find((s): s is Extract<ScriptStep, { refuse: unknown }> => 'refuse' in s);
    if (refusal) {
      await sleep(delay, signal);
      if (refusal.refuse === 'network') throw new TypeError('Failed to fetch');
      const { code, status, message, retryAfterMs } = refusal.refuse;
      throw new ProtocolError(code, message, { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    if (start) yield { type: 'run.started', v: 1, run_id, ...start };
    let call = 0;
    for (const step of steps) {
      if ('text' in step) {
        for (const chunk of step.text.match(/\s*\S+/g) ?? []) {
          await sleep(delay, signal);
          yield { type: 'message.delta', v: 1, run_id, delta: chunk };
        }
      } else if ('tool' in step) {
        const tool_call_id = `call_${run_id}_${++call}`;
        await sleep(delay, signal);
        yield { type: 'tool_call.started', v: 1, run_id, tool_call_id, name: step.tool, arguments: step.args ?? {} };
        if (step.running) return yield* hold(signal);
        await sleep(delay * 4, signal);
        yield {
          type: 'tool_call.completed',
          v: 1,
          run_id,
          tool_call_id,
          name: step.tool,
          ...(step.output !== undefined ? { output: step.output } : {}),
          ...(step.error ? { is_error: true } : {}),
        };
      } else if ('approval' in step) {
        const approval_id = `appr_mock_${++this.approvals}`;
        this.pending.set(approval_id, { approved: step.approved ?? [], denied: step.denied ?? [] });
        await sleep(delay, signal);
        yield {
          type: 'approval.requested',
          v: 1,
          run_id,
          approval_id,
          tool_call_id: `call_${run_id}_${++call}`,
          name: step.approval,
          arguments: step.args ?? {},
          ...(step.reason ? { reason: step.reason } : {}),
        };
        yield { type: 'run.completed', v: 1, run_id, stop_reason: 'awaiting_approval' };
        return;
      } else if ('fail' in step) {
        await sleep(delay, signal);
        yield { type: 'run.failed', v: 1, run_id, error: step.fail };
        return;
      } else if ('interrupt' in step) {
        return;
      } else if ('reconnect' in step) {
        this.resumable = true;
        return;
      } else if ('hold' in step) {
        return yield* hold(signal);
      } else if ('source' in step) {
        yield { type: 'source.added', v: 1, run_id, source: step.source };
      }
    }
    yield { type: 'run.completed', v: 1, run_id, stop_reason: 'end_turn' };
  }
}

function mediaOf(dataUrl: string): string {
  return /^data:([^;,]+)/.exec(dataUrl)?.[1] ?? 'application/octet-stream';
}

/** Never yields: ends (by throwing the abort reason) when the run is stopped. */
// eslint-disable-next-line require-yield
async function* hold(signal: AbortSignal): AsyncGenerator<RunEvent> {
  await new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
