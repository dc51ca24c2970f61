/**
 * Typed DOM events fired by `<ic-support-chat>`. All bubble and are composed (they cross shadow
 * roots), so a host page can listen on the element or any ancestor.
 */
import type { StopReason } from '../protocol/types.js';
import type { ChatError, ChatMessage } from './types.js';

const init = { bubbles: true, composed: true } as const;

export interface IcSendDetail {
  text: string;
}
/** Before a turn is sent. Cancelable: `preventDefault()` keeps the text in the composer and sends nothing. */
export class IcSendEvent extends CustomEvent<IcSendDetail> {
  constructor(detail: IcSendDetail) {
    super('ic-send', { ...init, cancelable: true, detail });
  }
}

export interface IcRunStartDetail {
  runId: string;
  threadId: string;
  messageId: string;
}
/** The backend accepted a turn and started a run (`run.started`). */
export class IcRunStartEvent extends CustomEvent<IcRunStartDetail> {
  constructor(detail: IcRunStartDetail) {
    super('ic-run-start', { ...init, detail });
  }
}

export interface IcRunCompleteDetail {
  runId: string | undefined;
  stopReason: StopReason;
  message: ChatMessage;
}
/** A reply finished (`run.completed`), or was stopped by the visitor (`stopReason: 'cancelled'`). */
export class IcRunCompleteEvent extends CustomEvent<IcRunCompleteDetail> {
  constructor(detail: IcRunCompleteDetail) {
    super('ic-run-complete', { ...init, detail });
  }
}

export type ThreadChangeReason = 'created' | 'restored' | 'attribute' | 'new-conversation';
export interface IcThreadChangeDetail {
  threadId: string | null;
  previous: string | null;
  reason: ThreadChangeReason;
}
/** The conversation's `thread_id` changed. */
export class IcThreadChangeEvent extends CustomEvent<IcThreadChangeDetail> {
  constructor(detail: IcThreadChangeDetail) {
    super('ic-thread-change', { ...init, detail });
  }
}

export interface IcErrorDetail {
  error: ChatError;
  /** `session`: `POST /session` failed; `run`: a turn failed. */
  phase: 'session' | 'run';
  messageId?: string;
}
/** Something failed. Run errors are also shown in the transcript with Retry. */
export class IcErrorEvent extends CustomEvent<IcErrorDetail> {
  constructor(detail: IcErrorDetail) {
    super('ic-error', { ...init, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    'ic-send': IcSendEvent;
    'ic-run-start': IcRunStartEvent;
    'ic-run-complete': IcRunCompleteEvent;
    'ic-thread-change': IcThreadChangeEvent;
    'ic-error': IcErrorEvent;
  }
}
