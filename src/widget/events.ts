/**
 * Typed DOM events fired by `<ic-support-chat>`. All bubble and are composed (they cross shadow
 * roots), so a host page can listen on the element or any ancestor.
 */
import type { StopReason } from '../protocol/types.js';
import type { ApprovalMessagePart, AttachmentMeta, ChatError, ChatMessage, ToolCallMessagePart } from './types.js';

const init = { bubbles: true, composed: true } as const;

export interface IcSendDetail {
  text: string;
  /** The files sent with the text (metadata only: name, sniffed media type, size as sent). */
  attachments: AttachmentMeta[];
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

export interface IcToolCallDetail {
  /** `started` on `tool_call.started`, `completed` on `tool_call.completed`. */
  phase: 'started' | 'completed';
  toolCall: ToolCallMessagePart;
  runId: string;
  messageId: string;
}
/** The assistant started or finished using a tool; the call is shown inline in its reply. */
export class IcToolCallEvent extends CustomEvent<IcToolCallDetail> {
  constructor(detail: IcToolCallDetail) {
    super('ic-tool-call', { ...init, detail });
  }
}

export interface IcApprovalRequestDetail {
  approval: ApprovalMessagePart;
  messageId: string;
  /** True when the approval was restored from storage after a page reload. */
  restored: boolean;
}
/**
 * The assistant asks the visitor to approve an action. Cancelable: `preventDefault()` hides the
 * Approve/Deny buttons and the host page decides itself with `decideApproval(approvalId, decision)`.
 */
export class IcApprovalRequestEvent extends CustomEvent<IcApprovalRequestDetail> {
  constructor(detail: IcApprovalRequestDetail) {
    super('ic-approval-request', { ...init, cancelable: true, detail });
  }
}

export interface IcAttachmentRemoveDetail {
  /** The draft attachment's id (`DraftAttachment.id`), when the chip shows one. */
  id: string;
  name: string;
}
/**
 * The visitor pressed a chip's Remove button. Bubbles but stays inside the shadow root that holds
 * the chip (the composer removes the file from the draft).
 */
export class IcAttachmentRemoveEvent extends CustomEvent<IcAttachmentRemoveDetail> {
  constructor(detail: IcAttachmentRemoveDetail) {
    super('ic-attachment-remove', { bubbles: true, composed: false, detail });
  }
}

export interface IcOpenCloseDetail {
  /** What opened or closed it: the launcher/close button, Escape, a method call or the `open` attribute. */
  source: 'launcher' | 'close-button' | 'escape' | 'method' | 'attribute';
}
/** Launcher mode: the chat panel opened. */
export class IcOpenEvent extends CustomEvent<IcOpenCloseDetail> {
  constructor(detail: IcOpenCloseDetail) {
    super('ic-open', { ...init, detail });
  }
}
/** Launcher mode: the chat panel closed. */
export class IcCloseEvent extends CustomEvent<IcOpenCloseDetail> {
  constructor(detail: IcOpenCloseDetail) {
    super('ic-close', { ...init, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    'ic-open': IcOpenEvent;
    'ic-close': IcCloseEvent;
    'ic-attachment-remove': IcAttachmentRemoveEvent;
    'ic-tool-call': IcToolCallEvent;
    'ic-approval-request': IcApprovalRequestEvent;
    'ic-send': IcSendEvent;
    'ic-run-start': IcRunStartEvent;
    'ic-run-complete': IcRunCompleteEvent;
    'ic-thread-change': IcThreadChangeEvent;
    'ic-error': IcErrorEvent;
  }
}
