/**
 * The AI SDK UI message stream protocol (ai@6), hand-mapped so the widget reads it without bundling
 * the `ai` package: the chunks a `toUIMessageStreamResponse()` route sends, and the `UIMessage`
 * shape `useChat` posts back. Only the fields the widget reads or sends are typed.
 */

export type UiTextPart = { type: 'text'; text: string; state?: 'streaming' | 'done' };
export type UiReasoningPart = { type: 'reasoning'; text: string; state?: 'streaming' | 'done' };
export type UiFilePart = { type: 'file'; mediaType: string; url: string; filename?: string };
export type UiStepStartPart = { type: 'step-start' };

export type UiToolState = 'input-streaming' | 'input-available' | 'approval-requested' | 'approval-responded' | 'output-available' | 'output-error' | 'output-denied';

/** `type` is `tool-NAME` for a tool the route declares, `dynamic-tool` (with `toolName`) otherwise. */
export interface UiToolPart {
  type: `tool-${string}` | 'dynamic-tool';
  toolName?: string;
  toolCallId: string;
  state: UiToolState;
  input: unknown;
  output?: unknown;
  errorText?: string;
  providerExecuted?: boolean;
  preliminary?: boolean;
  approval?: { id: string; approved?: boolean; reason?: string };
  callProviderMetadata?: unknown;
}

/** Sources, data parts and anything newer: kept as sent, so the next request carries them back. */
export type UiOtherPart = { type: string; [key: string]: unknown };

export type UiPart = UiTextPart | UiReasoningPart | UiFilePart | UiStepStartPart | UiToolPart | UiOtherPart;

export interface UiMessage {
  id: string;
  role: 'user' | 'assistant' | 'system';
  parts: UiPart[];
  metadata?: unknown;
}

/** `POST {endpoint}` — the body `useChat`'s default transport sends. */
export interface UiChatRequest {
  id: string;
  messages: UiMessage[];
  trigger: 'submit-message' | 'regenerate-message';
  messageId?: string;
  [extra: string]: unknown;
}

/** One `data: {…}` chunk of the stream (unknown chunk types are skipped). */
export type UiChunk =
  | { type: 'start'; messageId?: string; messageMetadata?: unknown }
  | { type: 'start-step' }
  | { type: 'finish-step' }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  | { type: 'reasoning-start'; id: string }
  | { type: 'reasoning-delta'; id: string; delta: string }
  | { type: 'reasoning-end'; id: string }
  | { type: 'tool-input-start'; toolCallId: string; toolName: string; providerExecuted?: boolean; dynamic?: boolean }
  | { type: 'tool-input-delta'; toolCallId: string; inputTextDelta: string }
  | { type: 'tool-input-available'; toolCallId: string; toolName: string; input: unknown; providerExecuted?: boolean; dynamic?: boolean; providerMetadata?: unknown }
  | { type: 'tool-input-error'; toolCallId: string; toolName: string; input: unknown; errorText: string; providerExecuted?: boolean; dynamic?: boolean }
  | { type: 'tool-approval-request'; approvalId: string; toolCallId: string }
  | { type: 'tool-output-available'; toolCallId: string; output: unknown; preliminary?: boolean; providerExecuted?: boolean }
  | { type: 'tool-output-error'; toolCallId: string; errorText: string; providerExecuted?: boolean }
  | { type: 'tool-output-denied'; toolCallId: string }
  | { type: 'file'; url: string; mediaType: string }
  | { type: 'source-url'; sourceId: string; url: string; title?: string }
  | { type: 'source-document'; sourceId: string; mediaType: string; title: string; filename?: string }
  | { type: 'error'; errorText: string }
  | { type: 'abort'; reason?: string }
  | { type: 'finish'; finishReason?: string; messageMetadata?: unknown }
  | { type: 'message-metadata'; messageMetadata: unknown };

export function isToolPart(part: UiPart): part is UiToolPart {
  return part.type === 'dynamic-tool' || part.type.startsWith('tool-');
}

export function toolNameOf(part: UiToolPart): string {
  return part.type === 'dynamic-tool' ? (part.toolName ?? 'tool') : part.type.slice('tool-'.length);
}
