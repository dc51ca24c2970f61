/**
 * The client of `features.threads`: list, fetch and delete the signed-in visitor's past
 * conversations. Kept apart from run-client.ts so the widget loads it only with its list view.
 */
import { ProtocolError, errorFromResponse } from './errors.js';
import { endpointUrl, type ClientOptions } from './run-client.js';
import { threadBody, threadList, type ThreadMessage, type ThreadSummary } from './threads.js';

/** The three calls, bound to one endpoint. */
export interface ThreadsApi {
  list(): Promise<ThreadSummary[]>;
  get(threadId: string): Promise<{ thread: ThreadSummary; messages: ThreadMessage[] }>;
  remove(threadId: string): Promise<void>;
}

/** `GET/DELETE {endpoint}/threads…` with the options every call of that endpoint uses. */
export function threadsApi(endpoint: string, options: ClientOptions = {}): ThreadsApi {
  const call = async (path: string, method: 'GET' | 'DELETE'): Promise<unknown> => {
    const url = endpointUrl(endpoint, path);
    let response: Response;
    try {
      response = await (options.fetch ?? globalThis.fetch)(url, {
        method,
        headers: new Headers(options.headers),
        credentials: options.credentials ?? 'same-origin',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (cause) {
      throw new ProtocolError('network_error', `Could not reach ${url}.`, { cause });
    }
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return null;
    return response.json().catch((cause: unknown) => {
      throw new ProtocolError('invalid_response', `${url} replied with broken JSON.`, { status: response.status, cause });
    });
  };
  const one = (threadId: string) => `/threads/${encodeURIComponent(threadId)}`;
  return {
    list: async () => threadList(await call('/threads', 'GET')),
    get: async (threadId) => {
      const body = threadBody(await call(one(threadId), 'GET'));
      if (!body) throw new ProtocolError('invalid_response', `GET ${one(threadId)} replied without a thread.`);
      return body;
    },
    remove: async (threadId) => {
      await call(one(threadId), 'DELETE');
    },
  };
}
