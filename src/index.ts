/**
 * `ic-support-chat`: registers `<ic-support-chat>` and its parts, and exports the element classes,
 * their events, the store and the types (protocol v1 types included). The standalone file builds
 * from `standalone.ts`, which loads the tool-call, approval and attachment-chip elements on demand instead.
 */
import './widget/tool-ui.js';
import './widget/attachments/attachment-parts.js';

export * from './standalone.js';
export { IcToolCall } from './widget/tool-call/tool-call.js';
export { IcApproval } from './widget/approval/approval.js';
export { IcAttachmentChip } from './widget/attachment-chip/attachment-chip.js';
