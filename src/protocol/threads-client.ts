/**
 * The client of `features.threads`: list, fetch and delete the signed-in visitor's past
 * conversations. Kept apart from run-client.ts so the widget loads it only with its list view.
 */
import { ProtocolError } from './errors.js';
import { endpointUrl, readJson, send, type ClientOptions } from './request.js';
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
    const response = await send(url, { method }, 'application/json', options);
    return response.status === 204 ? null : readJson(response, url, options);
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
