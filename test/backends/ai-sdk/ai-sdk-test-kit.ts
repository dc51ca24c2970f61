// Shared pieces for the AI SDK tests: stream-part builders for the AI SDK's own mock model, and a
// scripted model that answers each call with the next script (recording the prompts it saw).
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';

export const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 20, text: 20, reasoning: undefined },
};

let ids = 0;

/** A text block streamed as the given deltas. */
export function text(...deltas: string[]): LanguageModelV3StreamPart[] {
  const id = `t${++ids}`;
  return [{ type: 'text-start', id }, ...deltas.map((delta) => ({ type: 'text-delta' as const, id, delta })), { type: 'text-end', id }];
}

export function toolCall(toolCallId: string, toolName: string, input: unknown): LanguageModelV3StreamPart {
  return { type: 'tool-call', toolCallId, toolName, input: JSON.stringify(input) };
}

export function finish(unified: 'stop' | 'length' | 'tool-calls' | 'error' = 'stop'): LanguageModelV3StreamPart {
  return { type: 'finish', finishReason: { unified, raw: unified }, usage: USAGE };
}

/** One model call's answer: its parts, and how slowly they arrive (ms between parts). */
export interface Script {
  parts: LanguageModelV3StreamPart[];
  chunkDelayInMs?: number;
  /** Throw from `doStream` instead of answering. */
  throws?: Error;
}

/** The AI SDK's mock model, answering call N with `scripts[N]`; `calls` holds every prompt it got. */
export function scriptedModel(scripts: Script[]): MockLanguageModelV3 & { remaining(): number } {
  const queue = [...scripts];
  const model = new MockLanguageModelV3({
    doStream: async () => {
      const script = queue.shift();
      if (!script) throw new Error('The scripted model has no answer left for this call.');
      if (script.throws) throw script.throws;
      const chunks: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }, ...script.parts];
      return { stream: simulateReadableStream({ chunks, chunkDelayInMs: script.chunkDelayInMs ?? null }) };
    },
  });
  return Object.assign(model, { remaining: () => queue.length });
}

/** The text of every message of a prompt, by role, for asserting on what the model was given. */
export function promptSummary(options: LanguageModelV3CallOptions): string[] {
  return options.prompt.map((m) => {
    if (m.role === 'system') return `system: ${m.content}`;
    const parts = m.content.map((p) => {
      switch (p.type) {
        case 'text':
          return p.text;
        case 'file':
          return `[file ${p.mediaType}${p.filename ? ` ${p.filename}` : ''}]`;
        case 'tool-call':
          return `[call ${p.toolName} ${JSON.stringify(p.input)}]`;
        case 'tool-result':
          return `[result ${p.toolName} ${JSON.stringify(p.output)}]`;
        default:
          return `[${p.type}]`;
      }
    });
    return `${m.role}: ${parts.join(' ')}`;
  });
}
