import { createHash } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FeedbackInput } from '../core/feedback.js';
import type { Visitor } from '../core/types.js';

/** One line of the feedback file. */
export interface FeedbackLine extends FeedbackInput {
  received_at: string;
  thread_id?: string;
  /** A signed-in visitor's user id; an anonymous one's cookie is a credential, so only its hash is kept. */
  visitor: { kind: 'user'; id: string } | { kind: 'anonymous'; hash: string };
}

/** Appends one rating as a JSON line (one `write` per line, so concurrent ratings never interleave). */
export async function appendFeedback(file: string, input: FeedbackInput, visitor: Visitor, threadId: string | undefined): Promise<void> {
  const line: FeedbackLine = {
    received_at: new Date().toISOString(),
    ...input,
    ...(threadId !== undefined ? { thread_id: threadId } : {}),
    visitor: visitor.kind === 'user' ? { kind: 'user', id: visitor.id } : { kind: 'anonymous', hash: createHash('sha256').update(visitor.id).digest('base64url').slice(0, 22) },
  };
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(line)}\n`, { encoding: 'utf8', mode: 0o600 });
}
