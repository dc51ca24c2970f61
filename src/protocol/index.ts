/**
 * `ic-support-chat/protocol`: the v1 wire types, the SSE parser and writer, and the run client.
 * Isomorphic: runs in browsers, Node, Deno, Bun and workers (no DOM and no Node APIs).
 */
export * from './types.js';
export * from './sse-parser.js';
export * from './sse-writer.js';
export * from './errors.js';
export * from './event-decoder.js';
export * from './run-client.js';
export * from './handoff-client.js';
export { formatFileSize } from './file-size.js';
export * from './source-link.js';
export * from './threads.js';
