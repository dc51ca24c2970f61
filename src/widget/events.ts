/**
 * The public DOM events, each declared once here: its name, its class and its detail type. The
 * lists at the end say which element fires which; the store's event map, the element's forwarding,
 * `HTMLElementEventMap`, the React wrapper's `on…` props and the JSX/Vue typings are derived from
 * them, and test/api/ checks the `@fires` docs (and so the README) against them.
 * All bubble and are composed (they cross shadow roots) unless said otherwise, so a host page can
 * listen on the element or any ancestor.
 */
import type { FeedbackRating, StopReason } from '../protocol/types.js';
import type { ApprovalMessagePart, AttachmentMeta, ChatError, ChatMessage, ToolCallMessagePart } from './types.js';

/** A public event's class: its DOM name (`ic-…`) is a static, so lists of classes give the names. */
export interface IcEventClass<Name extends string = string, Detail = never> {
  readonly eventName: Name;
  new (detail: Detail): CustomEvent<unknown>;
}

/**
 * The base class of one public event: name and cancelability are written once, in the call.
 * Curried so the detail type is given and the name's literal type is inferred.
 */
function icEvent<Detail>() {
  // The declared return type keeps the emitted declarations short (`CustomEvent<Detail>`, not its members).
  return <Name extends string>(
    eventName: Name,
    options: { cancelable?: boolean; composed?: boolean } = {},
  ): { new (detail: Detail): CustomEvent<Detail>; readonly eventName: Name } =>
    class extends CustomEvent<Detail> {
      static readonly eventName: Name = eventName;
      constructor(detail: Detail) {
        super(eventName, { bubbles: true, composed: options.composed ?? true, cancelable: options.cancelable ?? false, detail });
      }
    };
}

export interface IcSendDetail {
  text: string;
  /** The files sent with the text (metadata only: name, sniffed media type, size as sent). */
  attachments: AttachmentMeta[];
}
/** Before a turn is sent. Cancelable: `preventDefault()` keeps the text in the composer and sends nothing. */
export class IcSendEvent extends icEvent<IcSendDetail>()('ic-send', { cancelable: true }) {}

export interface IcRunStartDetail {
  runId: string;
  threadId: string;
  messageId: string;
}
/** The backend accepted a turn and started a run (`run.started`). */
export class IcRunStartEvent extends icEvent<IcRunStartDetail>()('ic-run-start') {}

export interface IcRunCompleteDetail {
  runId: string | undefined;
  stopReason: StopReason;
  message: ChatMessage;
}
/** A reply finished (`run.completed`), or was stopped by the visitor (`stopReason: 'cancelled'`). */
export class IcRunCompleteEvent extends icEvent<IcRunCompleteDetail>()('ic-run-complete') {}

/** `reopened`: the visitor reopened one of their previous conversations. */
export type ThreadChangeReason = 'created' | 'restored' | 'attribute' | 'new-conversation' | 'reopened';
export interface IcThreadChangeDetail {
  threadId: string | null;
  previous: string | null;
  reason: ThreadChangeReason;
}
/** The conversation's `thread_id` changed. */
export class IcThreadChangeEvent extends icEvent<IcThreadChangeDetail>()('ic-thread-change') {}

export interface IcErrorDetail {
  error: ChatError;
  /** `session`: `POST /session` failed; `run`: a turn failed. */
  phase: 'session' | 'run';
  messageId?: string;
}
/** Something failed. Run errors are also shown in the transcript with Retry. */
export class IcErrorEvent extends icEvent<IcErrorDetail>()('ic-error') {}

export interface IcToolCallDetail {
  /** `started` on `tool_call.started`, `completed` on `tool_call.completed`. */
  phase: 'started' | 'completed';
  toolCall: ToolCallMessagePart;
  runId: string;
  messageId: string;
}
/** The assistant started or finished using a tool; the call is shown inline in its reply. */
export class IcToolCallEvent extends icEvent<IcToolCallDetail>()('ic-tool-call') {}

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
export class IcApprovalRequestEvent extends icEvent<IcApprovalRequestDetail>()('ic-approval-request', { cancelable: true }) {}

export interface IcFeedbackDetail {
  runId: string;
  messageId: string;
  rating: FeedbackRating;
  /** "Not helpful" reasons picked (`incorrect`, `unclear`, `incomplete`, `other`). */
  reasons?: string[];
  comment?: string;
}
/** The visitor rated a reply ("Helpful" / "Not helpful") and the backend saved it; for analytics. */
export class IcFeedbackEvent extends icEvent<IcFeedbackDetail>()('ic-feedback') {}

export interface IcHandoffDetail {
  threadId: string;
  /** The request's reference (a ticket id), as the transcript shows it. */
  reference: string;
  /** Where a person will answer, when the backend said. */
  email?: string;
}
/** The visitor asked for a person ("Talk to a person") and the backend took the request; for analytics. */
export class IcHandoffEvent extends icEvent<IcHandoffDetail>()('ic-handoff') {}

export interface IcAttachmentRemoveDetail {
  /** The draft attachment's id (`DraftAttachment.id`), when the chip shows one. */
  id: string;
  name: string;
}
/**
 * The visitor pressed a chip's Remove button. Bubbles but stays inside the shadow root that holds
 * the chip (the composer removes the file from the draft).
 */
export class IcAttachmentRemoveEvent extends icEvent<IcAttachmentRemoveDetail>()('ic-attachment-remove', { composed: false }) {}

export interface IcOpenCloseDetail {
  /** What opened or closed it: the launcher/close button, Escape, a method call or the `open` attribute. */
  source: 'launcher' | 'close-button' | 'escape' | 'method' | 'attribute';
}
/** Launcher mode: the chat panel opened. */
export class IcOpenEvent extends icEvent<IcOpenCloseDetail>()('ic-open') {}
/** Launcher mode: the chat panel closed. */
export class IcCloseEvent extends icEvent<IcOpenCloseDetail>()('ic-close') {}

/**
 * The events the store fires (named without `ic-`: `send`, `run-start`, …) and `<ic-support-chat>`
 * re-fires as these classes; a cancelled DOM event cancels the store's.
 */
export const storeEventClasses = [
  IcSendEvent,
  IcRunStartEvent,
  IcRunCompleteEvent,
  IcThreadChangeEvent,
  IcErrorEvent,
  IcToolCallEvent,
  IcApprovalRequestEvent,
  IcFeedbackEvent,
  IcHandoffEvent,
] as const;

/** Every event `<ic-support-chat>` fires: the store's, then its own (launcher mode). */
export const supportChatEventClasses = [...storeEventClasses, IcOpenEvent, IcCloseEvent] as const;

/** Every event `<ic-attachment-chip>` fires. */
export const attachmentChipEventClasses = [IcAttachmentRemoveEvent] as const;

/** `[IcSendEvent, …]` → `{ 'ic-send': IcSendEvent, … }`. */
export type IcEventMapOf<List extends readonly IcEventClass[]> = {
  [C in List[number] as C['eventName']]: InstanceType<C>;
};

/** `<ic-support-chat>`'s events by name. */
export type IcSupportChatEventMap = IcEventMapOf<typeof supportChatEventClasses>;
/** `<ic-attachment-chip>`'s events by name. */
export type IcAttachmentChipEventMap = IcEventMapOf<typeof attachmentChipEventClasses>;

/** `'ic-run-start'` → `'run-start'`: the store's name of a forwarded event. */
export type StoreEventName<Name extends string> = Name extends `ic-${infer Rest}` ? Rest : never;
/** The store's events that `<ic-support-chat>` forwards, by the store's name, with their detail. */
export type ForwardedStoreEventMap = {
  [C in (typeof storeEventClasses)[number] as StoreEventName<C['eventName']>]: CustomEvent<ConstructorParameters<C>[0]>;
};

interface IcEventsMap extends IcSupportChatEventMap, IcAttachmentChipEventMap {}

declare global {
  // A declaration merge needs an interface: the members come from the maps it extends.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends IcEventsMap {}
}
