// A turn's body is mostly attachments (base64 data URLs, up to ~67 MB by default) or only text. The
// text must not get the attachments' room: six 40 MB "messages" once held the server for 4.5 s each
// and kept 820 MB. This meter counts, while the body streams in and before any JSON parsing, the
// bytes that are not inside an attachment's data URL, so a text-only turn is refused after a few
// hundred KB. One pass over each chunk, native `indexOf` across the data URLs.
//
// The same pass notes where each data URL lies in the body (`spans`), so the parser can lift them
// out and JSON.parse only the text around them (see read-json-body.ts).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
/** Keys whose string value is an attachment's data URL (`image` parts, `file` parts' `data`). */
const ATTACHMENT_KEYS = new Set(['image', 'data']);
/** Longest data URL header (`data:<type>;name=…;base64`) taken as one. */
const MAX_HEADER = 512;
const HEADER_RE = /^data:[^,]*;base64$/i;

function isJsonSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * Counts the bytes of a JSON body outside data-URL strings that follow an `"image"` or `"data"`
 * key. A string only counts as an attachment while it looks like one (a `data:…;base64,` header,
 * no escapes); anything else, including text that starts with "data:", counts as text. Errs on the
 * side of counting as text, never the other way round.
 */
export class JsonTextMeter {
  /** Bytes counted as text so far. */
  textBytes = 0;
  /**
   * The data URLs found so far, in body order: byte offsets of each string's contents, from the
   * byte after its opening quote to its closing quote (excluded). Only strings with no backslash.
   */
  readonly spans: { start: number; end: number }[] = [];
  /** Offset in the body of the chunk being fed. */
  #offset = 0;
  /** Offset of the current string's first byte. */
  #stringStart = 0;
  #inString = false;
  #escaped = false;
  /** The string being read may be an attachment (it followed an attachment key). */
  #candidate = false;
  /** Its bytes so far (counted as text at once if it stops looking like a data URL). */
  #stringBytes = 0;
  /** Its first bytes: a key's name, or a data URL's header until the comma. */
  #head = '';
  #headDone = false;
  /** The last string closed, when short enough to be a key we care about, until a colon follows. */
  #lastString: string | null = null;
  /** A colon followed an attachment key: the next string is a candidate. */
  #afterAttachmentKey = false;

  /** Where a data URL still open at the end of the body so far starts; `null` when none is. */
  get openDataUrl(): number | null {
    return this.#inString && this.#candidate ? this.#stringStart : null;
  }

  /** Counts `chunk`; returns the text bytes so far. */
  feed(chunk: Uint8Array): number {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.#inString) {
        if (this.#candidate && this.#headDone) {
          // Inside base64: jump to the closing quote. A backslash means this is no data URL.
          const quote = chunk.indexOf(QUOTE, i);
          const end = quote < 0 ? n : quote;
          const slash = chunk.indexOf(BACKSLASH, i);
          if (slash >= 0 && slash < end) {
            this.#demote();
            continue;
          }
          this.#stringBytes += end - i;
          i = end;
          if (quote >= 0) {
            this.spans.push({ start: this.#stringStart, end: this.#offset + quote });
            this.#closeString();
            this.textBytes++;
            i++;
          }
          continue;
        }
        const b = chunk[i]!;
        i++;
        if (this.#escaped) {
          this.#escaped = false;
          this.#countStringByte();
          continue;
        }
        if (b === QUOTE) {
          this.#closeString();
          this.textBytes++;
          continue;
        }
        if (b === BACKSLASH) {
          this.#escaped = true;
          if (this.#candidate) this.#demote();
        }
        this.#countStringByte();
        // A key's name needs 9 characters at most (to tell "image" from longer ones), a header more.
        if (!this.#headDone && this.#head.length <= (this.#candidate ? MAX_HEADER : 8)) {
          if (this.#candidate && b === COMMA) {
            this.#headDone = true;
            if (!HEADER_RE.test(this.#head)) this.#demote();
          } else {
            this.#head += String.fromCharCode(b);
            if (this.#candidate && (this.#head.length > MAX_HEADER || !'data:'.startsWith(this.#head.slice(0, 5)))) this.#demote();
          }
        }
        continue;
      }
      const b = chunk[i]!;
      i++;
      this.textBytes++;
      if (b === QUOTE) {
        this.#inString = true;
        this.#stringStart = this.#offset + i;
        this.#escaped = false;
        this.#candidate = this.#afterAttachmentKey;
        this.#afterAttachmentKey = false;
        this.#lastString = null;
        this.#stringBytes = 0;
        this.#head = '';
        this.#headDone = false;
      } else if (b === COLON) {
        this.#afterAttachmentKey = this.#lastString !== null && ATTACHMENT_KEYS.has(this.#lastString);
        this.#lastString = null;
      } else if (!isJsonSpace(b)) {
        this.#lastString = null;
        this.#afterAttachmentKey = false;
      }
    }
    this.#offset += n;
    return this.textBytes;
  }

  #countStringByte(): void {
    if (this.#candidate) this.#stringBytes++;
    else this.textBytes++;
  }

  /** The string is not an attachment after all: all its bytes so far count as text. */
  #demote(): void {
    this.#candidate = false;
    this.textBytes += this.#stringBytes;
    this.#stringBytes = 0;
  }

  #closeString(): void {
    this.#inString = false;
    // A candidate cut before its comma was no data URL.
    if (this.#candidate && !this.#headDone) this.#demote();
    this.#lastString = !this.#candidate && this.#head.length <= 8 ? this.#head : null;
    this.#candidate = false;
  }
}
