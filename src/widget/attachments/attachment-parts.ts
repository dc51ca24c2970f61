/**
 * The attachments chunk (see lazy-parts.ts): registers `<ic-attachment-chip>` and carries the file
 * preparation, which only conversations with files need. The chip tags upgrade in place once defined.
 */
import { IcAttachmentChip } from '../attachment-chip/attachment-chip.js';

export { prepareFile } from './prepare-file.js';

if (typeof customElements !== 'undefined' && !customElements.get('ic-attachment-chip')) customElements.define('ic-attachment-chip', IcAttachmentChip);
