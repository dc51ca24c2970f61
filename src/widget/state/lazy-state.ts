/**
 * The chat state's on-demand parts, behind one module: every `import()` of the state and its
 * transport names this file, so the feature chunk carries one module namespace object for all of
 * them rather than one each (the parts are in that chunk either way).
 */
export { decideApproval } from './chat-decide.js';
export { rate } from './chat-feedback.js';
export { handoff } from './chat-handoff.js';
export { deleteThread, listThreads, reopenThread } from './chat-threads.js';
export { RESUME_ATTEMPTS, backOff, planReload, resumeDelay, resumption } from './run-resume.js';
export { archiveThread } from './thread-archive.js';
export { threadsApi } from '../../protocol/threads-client.js';
export { requestHandoff } from '../../protocol/handoff-client.js';
