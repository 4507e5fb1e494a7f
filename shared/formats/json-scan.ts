/**
 * Streams the records out of JSON exports without ever holding the whole file:
 * a root array (`[{…},{…}]`), a Graph page (`{"@odata.context":…,"value":[…]}`), one object, or
 * NDJSON / concatenated objects, and any run of these appended in one file (`[…][…]{…}`, as export tools
 * append page after page). The scanner only tracks strings and nesting to find where each record
 * starts and ends; each record's text is then parsed alone, so one bad record is rejected alone.
 */

export type JsonShape = 'array' | 'graph-page' | 'objects';

/** `column`: where the record's text starts on its line (1-based), so a position inside it can be told as line and column. */
export type ScanItem =
  { type: 'record'; text: string; index: number; line: number; column: number } | { type: 'reject'; index: number; line: number; reason: string };

export class JsonStructureError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonStructureError';
  }
}

export interface ScanLimits {
  /** Deepest nesting inside one record (IndexedDB's serializer fails around 10,000; we stop far earlier). */
  maxDepth: number;
  /** Largest record, in characters. */
  maxRecordChars: number;
}

export const defaultScanLimits: ScanLimits = { maxDepth: 64, maxRecordChars: 16 * 1024 * 1024 };

/** Keys of a list page's record array: Graph's `value`, Cloud Apps' `data`. */
const PAGE_KEYS = new Set(['value', 'data']);

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const BOM = 0xfeff;

function isScalarStart(code: number): boolean {
  return code !== OPEN_OBJECT && code !== OPEN_ARRAY && code !== CLOSE_OBJECT && code !== CLOSE_ARRAY && code !== COMMA;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

export class JsonRecordScanner {
  private buf = '';
  private pos = 0;
  private line = 1;
  /** Offset in `buf` where the current line starts (negative once compaction dropped its start). */
  private lineStart = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  shape: JsonShape | undefined;
  /** Nesting depth at which records start: 0 for objects, 1 in a root array, 2 in a Graph page. */
  private recordDepth = 0;
  private recordStart = -1;
  private recordLine = 0;
  private recordColumn = 0;
  private recordTooDeep = false;
  private recordTooLarge = false;
  private recordCount = 0;

  // Root-object bookkeeping, to recognise `"value": [` at depth 1.
  private rootIsObject = false;
  private expectKey = false;
  private keyStart = -1;
  private lastKey: string | undefined;

  constructor(private readonly limits: ScanLimits = defaultScanLimits) {}

  private waiting: string[] = [];
  private waitingChars = 0;

  /**
   * Text arrives in small pieces (decode.ts: strings of 32 KiB stay in V8's young generation, where garbage
   * is cheap). A record longer than a piece would be copied whole (and a CSV row re-read) for every piece that
   * grows it, so while one is incomplete, pieces wait until they add up to as much text as it already holds:
   * growing a record of any size then costs linear time.
   */
  push(text: string): ScanItem[] {
    this.waiting.push(text);
    this.waitingChars += text.length;
    return this.waitingChars < this.buf.length ? [] : this.scanWaiting();
  }

  private scanWaiting(): ScanItem[] {
    this.buf += this.waiting.length === 1 ? this.waiting[0] : this.waiting.join('');
    this.waiting = [];
    this.waitingChars = 0;
    const out: ScanItem[] = [];
    this.scan(out);
    this.compact();
    return out;
  }

  /** Signals the end of the file; throws a JsonStructureError if the file stops inside a value. */
  end(): ScanItem[] {
    const out = this.waiting.length ? this.scanWaiting() : [];
    if (this.inString || this.depth > 0) {
      throw new JsonStructureError(
        `the file ends inside ${this.recordStart >= 0 || this.recordTooLarge ? `record ${this.recordCount + 1}` : 'the document'} (truncated?) at line ${this.line}`,
        this.line,
      );
    }
    if (this.shape === undefined) throw new JsonStructureError('the file holds no JSON value', this.line);
    return out;
  }

  get records(): number {
    return this.recordCount;
  }

  private scan(out: ScanItem[]): void {
    const buf = this.buf;
    const length = buf.length;
    let i = this.pos;
    // Where the next quote, backslash and newline are: string content is skipped by searching for them
    // (most of an export's text is inside strings), not by looking at every character.
    let nextQuote = -1;
    let nextBackslash = -1;
    let nextNewline = -1;
    for (; i < length; i++) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        if (nextQuote < i) nextQuote = indexOrEnd(buf, '"', i);
        if (nextBackslash < i) nextBackslash = indexOrEnd(buf, '\\', i);
        const stop = nextQuote < nextBackslash ? nextQuote : nextBackslash;
        if (nextNewline < i) nextNewline = indexOrEnd(buf, '\n', i);
        while (nextNewline < stop) {
          this.line++;
          this.lineStart = nextNewline + 1;
          nextNewline = indexOrEnd(buf, '\n', nextNewline + 1);
        }
        i = stop;
        if (stop >= length) break;
        if (stop === nextBackslash) {
          this.escaped = true;
          continue;
        }
        this.inString = false;
        if (this.keyStart >= 0) {
          this.lastKey = buf.slice(this.keyStart + 1, i);
          this.keyStart = -1;
        }
        continue;
      }
      const code = buf.charCodeAt(i);
      if (code === NEWLINE) {
        this.line++;
        this.lineStart = i + 1;
        continue;
      }
      if (isSpace(code)) continue;

      if (this.depth === 0) {
        this.atTopLevel(code, i, out);
        continue;
      }

      if (this.depth === this.recordDepth && this.recordDepth > 0 && this.recordStart < 0 && isScalarStart(code)) {
        // A scalar where a record should be: skip to the next separator and reject it.
        const end = this.skipScalar(i);
        this.recordCount++;
        out.push({ type: 'reject', index: this.recordCount, line: this.line, reason: `element ${this.recordCount} is not an object` });
        i = end - 1;
        continue;
      }
      if (code === QUOTE) {
        this.inString = true;
        if (this.rootIsObject && this.depth === 1 && this.expectKey) {
          this.keyStart = i;
          this.expectKey = false;
        }
        continue;
      }
      if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
        if (this.depth === this.recordDepth && this.recordDepth > 0) this.startRecord(i, code, out);
        const mayBePage = this.shape === undefined || this.shape === 'graph-page';
        if (this.rootIsObject && this.depth === 1 && code === OPEN_ARRAY && mayBePage && PAGE_KEYS.has(this.lastKey?.toLowerCase() ?? '')) {
          // A Graph page: the records are the elements of `value`, not the page object itself. Only the first
          // document (or a later page) can be one: after records, an object with a `data` array is a record.
          this.shape = 'graph-page';
          this.recordDepth = 2;
          this.recordStart = -1;
        }
        this.depth++;
        if (this.recordStart >= 0 && this.depth - this.recordDepth > this.limits.maxDepth) this.recordTooDeep = true;
        continue;
      }
      if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
        this.depth--;
        if (this.depth === this.recordDepth && (this.recordStart >= 0 || this.recordTooLarge)) this.finishRecord(i, out);
        continue;
      }
      if (code === COMMA) {
        if (this.rootIsObject && this.depth === 1) this.expectKey = true;
        continue;
      }
    }
    this.pos = i;
    if (this.recordStart >= 0 && this.pos - this.recordStart > this.limits.maxRecordChars) {
      // Stop buffering a record we will reject anyway; keep scanning for its end.
      this.recordTooLarge = true;
      this.recordStart = -1;
    }
  }

  private atTopLevel(code: number, i: number, out: ScanItem[]): void {
    if (code === OPEN_ARRAY) {
      // A root array, or one more appended after earlier documents: PowerShell's `ConvertTo-Json | Out-File -Append`
      // writes one array per page into the same file (Extractor-Suite), so `[…][…]` is one export.
      this.shape ??= 'array';
      this.rootIsObject = false;
      this.recordDepth = 1;
      this.depth = 1;
      return;
    }
    if (code === OPEN_OBJECT) {
      // Each top-level object is a record (one object, NDJSON, or the lone object ConvertTo-Json writes for a
      // one-record page between appended arrays), unless it turns out to be a Graph page.
      this.rootIsObject = true;
      this.expectKey = true;
      this.lastKey = undefined;
      if (this.shape === 'graph-page') {
        this.recordDepth = 2;
      } else {
        this.recordDepth = 0;
        this.startRecord(i, code, out);
      }
      this.depth = 1;
      return;
    }
    if (code === BOM) return; // a second file's byte-order mark, left by concatenating exports
    const shown = String.fromCharCode(code);
    throw new JsonStructureError(
      this.shape === undefined ? `not JSON: starts with "${shown}" at line ${this.line}` : `unexpected "${shown}" between records at line ${this.line}`,
      this.line,
    );
  }

  private startRecord(i: number, _code: number, _out: ScanItem[]): void {
    this.recordStart = i;
    this.recordLine = this.line;
    this.recordColumn = i - this.lineStart + 1;
    this.recordTooDeep = false;
    this.recordTooLarge = false;
  }

  private finishRecord(i: number, out: ScanItem[]): void {
    this.recordCount++;
    const index = this.recordCount;
    if (this.recordTooLarge) {
      out.push({
        type: 'reject',
        index,
        line: this.recordLine,
        reason: `record is larger than ${this.limits.maxRecordChars.toLocaleString('en-US')} characters`,
      });
    } else if (this.recordTooDeep) {
      out.push({ type: 'reject', index, line: this.recordLine, reason: `nesting deeper than ${this.limits.maxDepth} levels` });
    } else if (this.depth === 0 && this.shape === 'graph-page') {
      // The closing brace of a page object: not a record.
      this.recordCount--;
    } else {
      if (this.depth === 0 && this.shape === undefined) this.shape = 'objects';
      out.push({ type: 'record', text: this.buf.slice(this.recordStart, i + 1), index, line: this.recordLine, column: this.recordColumn });
    }
    this.recordStart = -1;
    this.recordTooDeep = false;
    this.recordTooLarge = false;
  }

  private skipScalar(from: number): number {
    const buf = this.buf;
    let i = from;
    if (buf.charCodeAt(i) === QUOTE) {
      for (i = i + 1; i < buf.length; i++) {
        const c = buf.charCodeAt(i);
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) return i + 1;
      }
      return i;
    }
    while (i < buf.length) {
      const c = buf.charCodeAt(i);
      if (c === COMMA || c === CLOSE_ARRAY || c === CLOSE_OBJECT || isSpace(c)) break;
      i++;
    }
    return i;
  }

  /** Drops text no record still needs, so memory stays bounded by the largest record. */
  private compact(): void {
    const keepFrom = this.recordStart >= 0 ? this.recordStart : this.keyStart >= 0 ? this.keyStart : this.pos;
    if (keepFrom === 0) return;
    this.buf = this.buf.slice(keepFrom);
    this.pos -= keepFrom;
    this.lineStart -= keepFrom;
    if (this.recordStart >= 0) this.recordStart -= keepFrom;
    if (this.keyStart >= 0) this.keyStart -= keepFrom;
  }
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}
