/**
 * Keeps a pending approval across page reloads: the run paused server-side waits for a decision,
 * so after a reload the visitor must still be able to give it. One small record per endpoint and
 * thread, in the `persist` storage; removed as soon as the approval is decided or cancelled.
 * (A full transcript store can fold this in; it stores only what the decision needs.)
 */
import { displayBlock } from '../../protocol/event-decoder.js';
import type { DisplayBlock } from '../../protocol/types.js';
import type { ApprovalMessagePart, KeyValueStorage } from '../types.js';
import { readKey, writeKey } from './storage-access.js';

/** What is stored: enough to show the request again and POST the decision. */
export interface StoredApproval {
  v: 1;
  thread_id: string;
  run_id: string;
  approval_id: string;
  tool_call_id: string;
  name: string;
  arguments: unknown;
  reason?: string;
  display?: DisplayBlock;
  /** Milliseconds since the epoch, when it was requested. */
  created_at: number;
}

/** The key of a thread's pending approval, next to the endpoint's thread-id key. */
export function approvalStorageKey(threadStorageKey: string, threadId: string): string {
  return `${threadStorageKey}:pending-approval:${threadId}`;
}

const ID = /^[A-Za-z0-9_.:-]{1,200}$/;

export function savePendingApproval(storage: KeyValueStorage | null, key: string, threadId: string, approval: ApprovalMessagePart, now: number): void {
  const record: StoredApproval = {
    v: 1,
    thread_id: threadId,
    run_id: approval.run_id,
    approval_id: approval.approval_id,
    tool_call_id: approval.tool_call_id,
    name: approval.name,
    arguments: approval.arguments,
    created_at: now,
    // Undefined ones are left out by JSON.stringify.
    reason: approval.reason,
    display: approval.display,
  };
  writeKey(storage, key, JSON.stringify(record));
}

export function clearPendingApproval(storage: KeyValueStorage | null, key: string): void {
  writeKey(storage, key, null);
}

/** The stored pending approval of a thread, or `null`; a corrupt record is removed, never thrown. */
export function loadPendingApproval(storage: KeyValueStorage | null, key: string, threadId: string): StoredApproval | null {
  const raw = readKey(storage, key);
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredApproval> | null;
    if (
      value &&
      value.v === 1 &&
      value.thread_id === threadId &&
      typeof value.run_id === 'string' &&
      ID.test(value.run_id) &&
      typeof value.approval_id === 'string' &&
      ID.test(value.approval_id) &&
      typeof value.tool_call_id === 'string' &&
      typeof value.name === 'string' &&
      typeof value.created_at === 'number' &&
      (value.reason === undefined || typeof value.reason === 'string')
    ) {
      return value as StoredApproval;
    }
  } catch {
    // Fall through: unreadable.
  }
  clearPendingApproval(storage, key);
  return null;
}

/** The approval part a stored record shows as. */
export function approvalPartFrom(record: StoredApproval): ApprovalMessagePart {
  const part: ApprovalMessagePart = {
    kind: 'approval',
    run_id: record.run_id,
    approval_id: record.approval_id,
    tool_call_id: record.tool_call_id,
    name: record.name,
    arguments: record.arguments ?? {},
    status: 'pending',
  };
  if (record.reason !== undefined) part.reason = record.reason;
  // Storage is the page's to tamper with: only a well-formed block is shown.
  const display = displayBlock(record.display);
  if (display) part.display = display;
  return part;
}
