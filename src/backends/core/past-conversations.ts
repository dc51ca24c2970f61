/**
 * The core's side of past conversations (`features.threads`, `GET /threads`, `GET/DELETE
 * /threads/{thread_id}`): it lists a signed-in visitor's threads (`ThreadIndexStore`) and asks the
 * backend for their messages. Anonymous visitors are refused: their identity is a cookie on one
 * device, so a list on the server would follow nobody.
 */
import { PROTOCOL_VERSION, type InputMessage } from '../../protocol/types.js';
import { threadTitle, type ThreadListResponse, type ThreadResponse } from '../../protocol/threads.js';
import type { RouteMatch } from './routes.js';
import { json } from './run-streams.js';
import { SupportError } from './support-error.js';
import { InMemoryThreadIndex, type ThreadIndexStore } from './thread-index.js';
import type { SupportBackend, TurnContext, Visitor } from './types.js';

export class PastConversations {
  readonly #backend: SupportBackend;
  readonly #index: ThreadIndexStore;
  /** The backend keeps transcripts to read back. */
  readonly #kept: boolean;

  constructor(backend: SupportBackend, index: ThreadIndexStore | undefined) {
    this.#backend = backend;
    this.#index = index ?? new InMemoryThreadIndex();
    this.#kept = typeof backend.threadMessages === 'function';
  }

  /** Whether `POST /session` announces `features.threads` to `visitor`. */
  offeredTo(visitor: Visitor): boolean {
    return this.#kept && visitor.kind === 'user';
  }

  /** The answer to anyone the routes are not for (also before an identity is minted). */
  refusal(): SupportError {
    return this.#kept
      ? new SupportError('forbidden', 'Past conversations are kept for signed-in visitors only.')
      : new SupportError('not_found', 'This endpoint does not keep past conversations.');
  }

  /** A turn the backend took: its thread goes (back) to the top of the visitor's list. */
  async turnTaken(owner: string, visitor: Visitor, threadId: string, input: InputMessage[]): Promise<void> {
    if (this.offeredTo(visitor)) await this.#index.touch(owner, threadId, titleOf(input), Date.now());
  }

  /** `GET /threads`, `GET /threads/{id}`, `DELETE /threads/{id}`. */
  async answer(route: RouteMatch, request: Request, ctx: TurnContext, owner: string, headers: Headers): Promise<Response> {
    if (!this.offeredTo(ctx.visitor)) throw this.refusal();
    if (route.name === 'threads') return json({ v: PROTOCOL_VERSION, threads: await this.#index.list(owner) } satisfies ThreadListResponse, headers);
    const [threadId] = route.params as [string];
    // Another visitor's thread is as absent as one that never existed.
    const thread = await this.#index.get(owner, threadId);
    if (!thread) throw new SupportError('not_found', 'No such conversation.');
    if (request.method === 'DELETE') {
      await this.#index.remove(owner, threadId);
      await this.#backend.deleteThread?.(threadId, ctx);
      return new Response(null, { status: 204, headers });
    }
    const messages = (await this.#backend.threadMessages!(threadId, ctx)) ?? [];
    return json({ v: PROTOCOL_VERSION, thread, messages } satisfies ThreadResponse, headers);
  }
}

/** A thread's title: the text of the turn that started it (its files' names when it has none). */
function titleOf(input: InputMessage[]): string {
  const content = input.at(-1)?.content ?? '';
  if (typeof content === 'string') return threadTitle(content);
  const text = content.map((p) => (p.type === 'text' ? p.text : '')).join(' ');
  return threadTitle(text.trim() ? text : content.map((p) => (p.type === 'text' ? '' : (p.filename ?? ''))).join(' '));
}
