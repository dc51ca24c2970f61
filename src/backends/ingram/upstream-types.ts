/**
 * Shapes of the Ingram Cloud API (`IC-Api-Version: 2026-05-01`) as this package uses them.
 * Only the fields we read or write are typed; the API may send more.
 */
import type { ContentPart } from '../../protocol/types.js';

export interface UpstreamAgent {
  id: string;
  slug: string;
  name: string;
  instructions: string;
  enabled_hosted_tools: string[];
  /** The version every smith on this agent runs; `null` until the first publish. */
  live_version: number | null;
  created_at: string;
}

export interface CreateAgentParams {
  slug: string;
  name: string;
  instructions: string;
  enabled_hosted_tools?: string[];
}

export interface PublishedVersion {
  version: number;
  live?: boolean;
}

export interface UpstreamSmith {
  id: string;
  external_id: string;
  display_name: string | null;
  customer_id: string | null;
  agent_id: string | null;
  auto_memory: boolean;
  archived_at: string | null;
  created_at: string;
}

/** `POST /v1/smiths` — upserts on `external_id`. */
export interface UpsertSmithParams {
  external_id: string;
  display_name?: string;
  customer_id?: string;
  agent_id?: string;
  auto_memory?: boolean;
}

/** `PATCH /v1/smiths/{id}` — `external_id` is immutable and must not be sent. */
export interface UpdateSmithParams {
  display_name?: string;
  customer_id?: string;
  agent_id?: string;
  auto_memory?: boolean;
}

/** An inline attachment after the API stored it: the run's input keeps only the reference. */
export interface StoredPartRef {
  type: 'image' | 'file';
  file_id: string;
  filename?: string;
  media_type: string;
}

export interface UpstreamInputMessage {
  role: 'user';
  content: string | ContentPart[];
}

export interface CreateRunParams {
  input: UpstreamInputMessage[];
  thread_id?: string;
  stream?: boolean;
}

export interface UpstreamFileInfo {
  file_id: string;
  filename?: string;
  media_type: string;
  size: number;
}

export interface UpstreamToolCall {
  tool_call_id: string;
  name: string;
  arguments: unknown;
  output?: unknown;
  is_error?: boolean;
}

export interface UpstreamApproval {
  approval_id: string;
  tool_call_id: string;
  name: string;
  arguments: unknown;
  reason?: string;
  decision?: 'approve' | 'deny' | null;
}

/** A run as `stream:false` returns it and as `GET /v1/runs` lists it. */
export interface UpstreamRun {
  id: string;
  smith_id: string;
  external_id: string;
  thread_id: string;
  status: 'running' | 'completed' | 'failed' | 'awaiting_approval' | 'cancelled';
  stop_reason: string | null;
  input: { role: 'user'; content: string | (StoredPartRef | { type: 'text'; text: string })[] }[];
  output: { role: 'assistant'; content: string }[];
  tool_calls: UpstreamToolCall[];
  approvals: UpstreamApproval[];
  files: UpstreamFileInfo[];
  error?: { code: string; message: string } | null;
  /**
   * Not in the vendor guide: assumed, if the API ever cites what it answered from, to be
   * `{title, url, snippet?}` objects as in `source.added` (docs/backends.md).
   */
  sources?: unknown[];
  created_at: string;
}

/** `GET /v1/files/{id}` — the stored file's metadata, including the smith it belongs to. */
export interface UpstreamFile extends UpstreamFileInfo {
  smith_id: string;
  run_id: string;
  created_at: string;
}

export interface ListPage<T> {
  data: T[];
  has_more: boolean;
  /** Pass as `after` to get the next page. */
  next_cursor: string | null;
}

export interface ApprovalDecisionParams {
  decision: 'approve' | 'deny';
  stream?: boolean;
}
