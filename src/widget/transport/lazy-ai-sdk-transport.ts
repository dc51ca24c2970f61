/**
 * `protocol="ai-sdk"` without paying for it on every page: this stand-in loads the real
 * `AiSdkTransport` (and its UI-message assembler) with `import()` on the first run, then hands every
 * call to it. Pages using protocol v1, the default, never download that code.
 */
import type { ApprovalDecision, RunEvent, RunRequest } from '../../protocol/types.js';
import type { ChatTransport, ResumeTarget, TransportRunOptions } from '../state/transport.js';
import type { AiSdkTransport } from './ai-sdk-transport.js';

export class LazyAiSdkTransport implements ChatTransport {
  private real: Promise<AiSdkTransport> | null = null;

  constructor(readonly endpoint: string) {}

  /** The real transport, loaded once (a failed load is retried on the next run). */
  load(): Promise<AiSdkTransport> {
    this.real ??= import('./ai-sdk-transport.js').then(
      (m) => new m.AiSdkTransport(this.endpoint),
      (error: unknown) => {
        this.real = null;
        throw error;
      },
    );
    return this.real;
  }

  async *startRun(request: RunRequest, options: TransportRunOptions): AsyncIterable<RunEvent> {
    yield* (await this.load()).startRun(request, options);
  }

  async *resumeRun(target: ResumeTarget, options: TransportRunOptions): AsyncIterable<RunEvent> {
    yield* (await this.load()).resumeRun(target, options);
  }

  async *continueRun(runId: string, approvalId: string, decision: ApprovalDecision, options: TransportRunOptions): AsyncIterable<RunEvent> {
    yield* (await this.load()).continueRun(runId, approvalId, decision, options);
  }
}
