import { isRecord } from './errors.js';
import { buildEvent } from './event-build.js';
import type { SseMessage } from './sse-parser.js';
import type { RunEvent, RunEventType } from './types.js';
import { PROTOCOL_VERSION, RUN_EVENT_TYPES } from './types.js';

export { displayBlock, errorInfo, sourceInfo, storedFiles } from './event-build.js';

export interface EventDecoderOptions {
  /**
   * Told about each event skipped because it is broken (bad JSON, a missing field), and once about
   * events of a newer protocol version. Unknown event names are skipped silently (forward compat).
   */
  onWarning?(message: string): void;
}

const KNOWN = new Set<string>(RUN_EVENT_TYPES);

/**
 * Turns parsed SSE messages into typed v1 `RunEvent`s, or `null` for anything to skip. Never
 * throws: a garbled event must not take the widget down. Only the known fields are copied, so
 * extra fields from newer backends never leak into the typed event.
 */
export class EventDecoder {
  #warnedNewerVersion = false;

  readonly #onWarning: ((message: string) => void) | undefined;

  constructor(options: EventDecoderOptions = {}) {
    this.#onWarning = options.onWarning;
  }

  decode(message: SseMessage): RunEvent | null {
    if (!KNOWN.has(message.event)) return null;
    const type = message.event as RunEventType;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      this.#warn(`Skipped a "${type}" event whose data is not valid JSON.`);
      return null;
    }
    if (!isRecord(data)) return this.#broken(type, 'its data is not an object');
    const v = data['v'];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return this.#broken(type, 'it has no valid "v"');
    if (v > PROTOCOL_VERSION) {
      if (!this.#warnedNewerVersion) {
        this.#warnedNewerVersion = true;
        this.#warn(`Skipping events of protocol v${v}: this client speaks v${PROTOCOL_VERSION}. Update ic-support-chat.`);
      }
      return null;
    }
    const run_id = data['run_id'];
    if (typeof run_id !== 'string' || run_id === '') return this.#broken(type, 'it has no "run_id"');
    const event = buildEvent(type, v, run_id, data);
    return typeof event === 'string' ? this.#broken(type, event) : event;
  }

  #broken(type: string, why: string): null {
    this.#warn(`Skipped a "${type}" event: ${why}.`);
    return null;
  }

  #warn(message: string): void {
    this.#onWarning?.(message);
  }
}
