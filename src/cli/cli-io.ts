/** What a CLI command writes to, and how it reports an API failure without the token. */
import type { IngramClient } from '../backends/ingram/client.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** A failed API call as one line on stderr, the token redacted; exit code 1. */
export function reportFailure(io: CliIo, client: IngramClient, err: unknown): number {
  const e = err as { message?: string; upstreamMessage?: string; upstreamStatus?: number };
  const detail = e.upstreamMessage ? ` (${e.upstreamStatus ?? ''} ${client.redact(e.upstreamMessage)})` : '';
  io.stderr(`Failed: ${client.redact(e.message ?? String(err))}${detail}\n`);
  return 1;
}
