// A transport that replays scripted replies as a real stream would arrive (run.started, word-sized
// message.delta events with a delay, run.completed), so stories need no backend.
import type { RunEvent, RunRequest, SessionResponse } from '../../src/protocol/types.js';
import type { ChatTransport, TransportRunOptions } from '../../src/widget/state/transport.js';

export interface ScriptedReply {
  /** Replies to a question containing this (case-insensitive); the last reply is the fallback. */
  match?: string;
  text: string;
}

export interface MockTransportOptions {
  replies: ScriptedReply[];
  /** Delay between deltas in ms (default 35). */
  delayMs?: number;
}

export class MockTransport implements ChatTransport {
  private runs = 0;
  constructor(private readonly options: MockTransportOptions) {}

  async *startRun(request: RunRequest, { signal }: TransportRunOptions): AsyncGenerator<RunEvent> {
    const run_id = `run_mock_${++this.runs}`;
    const last = request.input[request.input.length - 1];
    const question = typeof last?.content === 'string' ? last.content.toLowerCase() : '';
    const replies = this.options.replies;
    const reply = replies.find((r) => r.match && question.includes(r.match.toLowerCase())) ?? replies[replies.length - 1];
    yield { type: 'run.started', v: 1, run_id, thread_id: request.thread_id };
    for (const chunk of (reply?.text ?? '').match(/\s*\S+/g) ?? []) {
      await sleep(this.options.delayMs ?? 35, signal);
      yield { type: 'message.delta', v: 1, run_id, delta: chunk };
    }
    yield { type: 'run.completed', v: 1, run_id, stop_reason: 'end_turn' };
  }

  async cancelRun(): Promise<boolean> {
    return true;
  }

  async openSession(): Promise<SessionResponse> {
    return {
      v: 1,
      visitor: { kind: 'anonymous' },
      limits: { max_file_bytes: 10 * 1024 * 1024, max_files: 4, accept: ['image/png', 'image/jpeg', 'application/pdf'] },
    };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
