import type { ApprovalDecision, ContentPart, InputMessage, Limits } from '../../protocol/types.js';
import { isRecord } from '../internal/helpers.js';
import { sanitizeFilename } from './filename.js';
import { Cooperative } from './cooperative.js';
import { dataUrlPieces } from './json-with-data-urls.js';
import { SupportError } from './support-error.js';
import type { RunInput, ValidatedAttachment } from './types.js';
import { validateAttachment, type AttachmentPart } from './validate-attachment.js';

export const THREAD_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
/** Most messages in one `input` (a turn normally sends one). */
export const MAX_INPUT_MESSAGES = 100;
/** Most parts in one message's content. */
export const MAX_PARTS = 100;

const invalid = (message: string) => new SupportError('invalid_request', message);

function readStream(body: Record<string, unknown>): boolean {
  if (body.stream === undefined) return true;
  if (typeof body.stream !== 'boolean') throw invalid('stream must be true or false.');
  return body.stream;
}

/**
 * Checks a `POST /runs` body and rebuilds it from the known fields only, so nothing a client adds
 * (a smith id, an external_id, …) ever reaches a backend. Attachments are checked before anything
 * is returned: the backend sees either a fully valid turn or nothing.
 */
export async function validateRunRequest(body: unknown, limits: Limits): Promise<RunInput> {
  if (!isRecord(body)) throw invalid('The request body must be a JSON object.');
  const { thread_id } = body;
  if (typeof thread_id !== 'string' || !THREAD_ID_PATTERN.test(thread_id)) {
    throw invalid('thread_id must be a string of 1 to 128 letters, digits, "_" or "-".');
  }
  const stream = readStream(body);
  const rawInput = body.input;
  if (!Array.isArray(rawInput) || rawInput.length === 0) throw invalid('input must be a non-empty array of messages.');
  if (rawInput.length > MAX_INPUT_MESSAGES) throw invalid(`input has more than ${MAX_INPUT_MESSAGES} messages.`);

  const maxText = limits.max_text_chars ?? Infinity;
  const textTooLong = (where: string, length: number, what: string) =>
    new SupportError('payload_too_large', `${where} has ${length.toLocaleString('en-US')} characters of text; the limit is ${maxText.toLocaleString('en-US')} characters ${what}.`);
  const input: InputMessage[] = [];
  const pending: { message: number; part: AttachmentPart; where: string }[] = [];
  rawInput.forEach((raw: unknown, m) => {
    const at = `input[${m}]`;
    if (!isRecord(raw)) throw invalid(`${at} must be an object.`);
    if (raw.role !== 'user') throw invalid(`${at}.role must be "user".`);
    const content = raw.content;
    // One wording for a blank string and for parts that are only blank text, so both read the same.
    const blank = () => invalid(`${at}.content must not be empty: it needs non-blank text or an attachment.`);
    if (typeof content === 'string') {
      if (content.length > maxText) throw textTooLong(`${at}.content`, content.length, 'per message');
      if (content.trim() === '') throw blank();
      input.push({ role: 'user', content });
      return;
    }
    if (!Array.isArray(content) || content.length === 0) {
      throw invalid(`${at}.content must be a non-empty string or a non-empty array of parts.`);
    }
    if (content.length > MAX_PARTS) throw invalid(`${at}.content has more than ${MAX_PARTS} parts.`);
    let textLength = 0;
    const parts: ContentPart[] = content.map((p: unknown, i): ContentPart => {
      const where = `${at}.content[${i}]`;
      if (!isRecord(p)) throw invalid(`${where} must be an object.`);
      switch (p.type) {
        case 'text':
          if (typeof p.text !== 'string') throw invalid(`${where}.text must be a string.`);
          if (p.text.length > maxText) throw textTooLong(`${where}.text`, p.text.length, 'per part');
          textLength += p.text.length;
          if (textLength > maxText) throw textTooLong(`${at}.content`, textLength, 'per message');
          return { type: 'text', text: p.text };
        case 'image': {
          if (typeof p.image !== 'string') throw invalid(`${where}.image must be a data URL string.`);
          // Optional (added to v1 later): a widget names the image so a reply can name it too.
          if (p.filename !== undefined && typeof p.filename !== 'string') throw invalid(`${where}.filename must be a string.`);
          const filename = typeof p.filename === 'string' && p.filename.trim() !== '' ? sanitizeFilename(p.filename, 'image') : undefined;
          pending.push({
            message: m,
            where: `${where}.image`,
            part: { kind: 'image', dataUrl: p.image, partIndex: i, pieces: dataUrlPieces(p, 'image'), ...(filename ? { filename } : {}) },
          });
          return filename ? { type: 'image', image: p.image, filename } : { type: 'image', image: p.image };
        }
        case 'file': {
          if (typeof p.filename !== 'string' || p.filename.trim() === '') {
            throw invalid(`${where}.filename must be a non-empty string.`);
          }
          if (typeof p.data !== 'string') throw invalid(`${where}.data must be a data URL string.`);
          const filename = sanitizeFilename(p.filename);
          pending.push({ message: m, where: `${where}.data`, part: { kind: 'file', dataUrl: p.data, filename, partIndex: i, pieces: dataUrlPieces(p, 'data') } });
          return { type: 'file', filename, data: p.data };
        }
        default:
          throw invalid(`${where}.type must be "text", "image" or "file".`);
      }
    });
    if (!parts.some((p) => p.type !== 'text' || p.text.trim() !== '')) throw blank();
    input.push({ role: 'user', content: parts });
  });

  // Count first, so a turn with too many files is refused before any of them is decoded.
  if (pending.length > limits.max_files) {
    throw new SupportError('payload_too_large', `This turn has ${pending.length} attachments; the limit is ${limits.max_files}.`);
  }
  const last = input.length - 1;
  const attachments: ValidatedAttachment[] = [];
  const work = new Cooperative();
  for (const { message, part, where } of pending) {
    const checked = await validateAttachment(part, where, limits, work);
    if (message === last) attachments.push(checked);
  }
  return { thread_id, input, attachments, stream };
}

/** Checks a `POST /runs/{run_id}/approvals/{approval_id}` body. */
export function validateApprovalBody(body: unknown): { decision: ApprovalDecision; stream: boolean } {
  if (!isRecord(body)) throw invalid('The request body must be a JSON object.');
  if (body.decision !== 'approve' && body.decision !== 'deny') throw invalid('decision must be "approve" or "deny".');
  return { decision: body.decision, stream: readStream(body) };
}
