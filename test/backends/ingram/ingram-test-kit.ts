// Shared pieces for the Ingram tests: the emulator served over real HTTP on 127.0.0.1, and a
// client pointed at it.
import { IngramClient } from '../../../src/backends/ingram/index.js';
import { createIngramEmulator, type IngramEmulatorOptions } from '../../../src/backends/ingram/emulator/index.js';
import { serve, type ServeHandle } from '../../../src/node/index.js';
import type { SseMessage } from '../../../src/protocol/sse-parser.js';

export const TOKEN = 'ic_test_token_5f1e0c9a7b3d';

export interface EmulatorServer {
  url: string;
  handle: ServeHandle;
  client: IngramClient;
  close(): Promise<void>;
}

export async function startEmulator(options: Partial<IngramEmulatorOptions> = {}): Promise<EmulatorServer> {
  const emulator = createIngramEmulator({ token: TOKEN, ...options });
  const handle = await serve(emulator, { port: 0 });
  const client = new IngramClient({ token: TOKEN, baseUrl: handle.url, timeoutMs: 5000 });
  return { url: handle.url, handle, client, close: () => handle.close() };
}

export async function collect(messages: AsyncIterable<SseMessage>): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const out: { event: string; data: Record<string, unknown> }[] = [];
  for await (const m of messages) out.push({ event: m.event, data: JSON.parse(m.data) as Record<string, unknown> });
  return out;
}

export function text(events: { event: string; data: Record<string, unknown> }[]): string {
  return events
    .filter((e) => e.event === 'message.delta')
    .map((e) => e.data['delta'] as string)
    .join('');
}

/** A 1×1 PNG. */
export const PNG_BYTES = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
export const PNG_DATA_URL = `data:image/png;base64,${Buffer.from(PNG_BYTES).toString('base64')}`;
export const PDF_BYTES = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
export const PDF_DATA_URL = `data:application/pdf;base64,${Buffer.from(PDF_BYTES).toString('base64')}`;
