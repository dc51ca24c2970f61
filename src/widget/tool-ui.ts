/**
 * The tool-call row and the approval card, registered from an on-demand chunk: most conversations
 * never use a tool, so the standalone file leaves them out and `lazy-parts.ts` loads this on the
 * first tool event or when the browser is idle. The tags upgrade in place once defined.
 */
import { IcApproval } from './approval/approval.js';
import { IcToolCall } from './tool-call/tool-call.js';
// The decision the card's buttons make, loaded with them (the store imports it on demand).
import './state/chat-decide.js';

if (typeof customElements !== 'undefined' && !customElements.get('ic-tool-call')) customElements.define('ic-tool-call', IcToolCall);
if (typeof customElements !== 'undefined' && !customElements.get('ic-approval')) customElements.define('ic-approval', IcApproval);
