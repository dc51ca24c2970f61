/** `ic-support-chat/node`: run a Fetch handler on node:http or Express. The only Node-specific code. */
export { toNodeListener, toRequest, writeResponse, type FetchHandler, type NodeListener, type NodeListenerOptions } from './to-node-listener.js';
export { serve, DEFAULT_SERVE_LIMITS, type CloseOptions, type ServeHandle, type ServeOptions } from './serve.js';
export { createNodeFetch, BODY_CHUNKS, type NodeFetch, type NodeFetchOptions, type BodyChunkSource, type BodyChunkReader, type BodyChunkSink } from './node-fetch.js';
