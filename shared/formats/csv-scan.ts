/**
 * Streams the rows out of CSV exports (RFC 4180: quoted fields with embedded newlines and `""` escapes,
 * CRLF or LF), turning each into an object keyed by the header row, and reporting the physical line where
 * each row starts. Written here rather than taken from a CSV library because the import worker needs an
 * incremental, DOM- and Node-free scanner with physical line numbers that can be fed decoded text chunks.
 */

export type CsvItem =
  { type: 'record'; value: Record<string, string>; index: number; line: number } | { type: 'reject'; index: number; line: number; reason: string };

export class CsvStructureError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvStructureError';
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Chooses the delimiter that splits the header line into the most fields, outside quotes. */
export function sniffDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const delimiter of [',', '\t', ';', '|']) {
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === delimiter) count++;
    }
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/** True when a first line reads like a CSV header: several short column names, not a sentence. */
export function looksLikeCsvHeader(firstLine: string): boolean {
  const delimiter = sniffDelimiter(firstLine);
  const names = splitLine(firstLine, delimiter);
  if (names.length < 2) return false;
  // Column names are short labels; prose has long phrases and ends its sentences.
  return names.every((name) => name.length <= 128 && name.split(' ').length <= 5 && !/[.!?]$/.test(name));
}

/** A line some tools write above a CSV's header, and what it says. */
export interface CsvPreamble {
  /** Characters of the preamble, its line break included. */
  length: number;
  /** The delimiter an Excel `sep=` line names. */
  delimiter?: string;
}

/**
 * Recognises a line written above the header: Windows PowerShell 5.1's Export-Csv writes the type of the objects
 * (`#TYPE System.Management.Automation.PSCustomObject`, `#TYPE Deserialized.…AuditRecord`) unless told
 * `-NoTypeInformation`, and Excel honours (and some tools write) `sep=;` to name the delimiter. Either way the
 * header is the next line. Undefined when the first line is not one of these, or its line break is not here yet.
 */
export function csvPreamble(start: string): CsvPreamble | undefined {
  const end = start.indexOf('\n');
  if (end < 0) return undefined;
  const line = start.slice(0, end).replace(/\r$/, '');
  if (/^#TYPE \S/.test(line)) return { length: end + 1 }; // any type name: generic ones hold spaces and commas
  const sep = /^"?sep=(.)"?$/i.exec(line);
  return sep ? { length: end + 1, delimiter: sep[1] } : undefined;
}

function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.replace(/\r$/, '').trim());
  return out;
}

export class CsvRecordScanner {
  private buf = '';
  private pos = 0;
  private line = 1;
  private header: string[] | undefined;
  private delimiter = 0x2c;
  private rows = 0;
  private safeHeader: boolean | undefined;

  constructor(private readonly maxRowChars = 16 * 1024 * 1024) {}

  get columns(): readonly string[] | undefined {
    return this.header;
  }

  private waiting: string[] = [];
  private waitingChars = 0;

  /**
   * Text arrives in small pieces (decode.ts: strings of 32 KiB stay in V8's young generation, where garbage
   * is cheap). A record longer than a piece would be copied whole (and a CSV row re-read) for every piece that
   * grows it, so while one is incomplete, pieces wait until they add up to as much text as it already holds:
   * growing a record of any size then costs linear time.
   */
  push(text: string): CsvItem[] {
    this.waiting.push(text);
    this.waitingChars += text.length;
    if (this.waitingChars < this.buf.length) return [];
    const out: CsvItem[] = [];
    this.scan(out, false);
    return out;
  }

  end(): CsvItem[] {
    const out: CsvItem[] = [];
    this.scan(out, true);
    return out;
  }

  private takeWaiting(): void {
    if (!this.waiting.length) return;
    this.buf += this.waiting.length === 1 ? this.waiting[0] : this.waiting.join('');
    this.waiting = [];
    this.waitingChars = 0;
  }

  /** Reads whole rows from `pos`; a row cut by the chunk end is re-read when more text arrives. */
  private scan(out: CsvItem[], final: boolean): void {
    this.takeWaiting();
    const buf = this.buf;
    const length = buf.length;
    let rowStart = this.pos;
    let line = this.line;
    // The next newline at or after the scan position, so quoted text is searched for newlines once, not per field.
    let nextNewline = -1;
    while (rowStart < length) {
      const rowLine = line;
      const fields: string[] = [];
      let fieldStart = rowStart;
      let quoted = false;
      let quotedField = false;
      let i = rowStart;
      let complete = false;
      for (; i < length; i++) {
        const code = buf.charCodeAt(i);
        if (quoted) {
          if (code !== QUOTE) {
            // Jump to the next quote, counting the newlines the quoted text spans.
            const close = buf.indexOf('"', i);
            const stop = close < 0 ? length : close;
            if (nextNewline < i) nextNewline = indexOrEnd(buf, '\n', i);
            while (nextNewline < stop) {
              line++;
              nextNewline = indexOrEnd(buf, '\n', nextNewline + 1);
            }
            i = stop - 1;
            continue;
          }
          if (i + 1 >= length && !final) break;
          if (buf.charCodeAt(i + 1) === QUOTE) i++;
          else quoted = false;
          continue;
        }
        if (code === QUOTE && i === fieldStart) {
          quoted = true;
          quotedField = true;
        } else if (code === this.delimiter) {
          fields.push(fieldValue(buf, fieldStart, i, quotedField));
          fieldStart = i + 1;
          quotedField = false;
        } else if (code === LF) {
          fields.push(fieldValue(buf, fieldStart, i, quotedField));
          line++;
          complete = true;
          i++;
          break;
        }
      }
      if (!complete) {
        if (!final) {
          if (i - rowStart > this.maxRowChars)
            throw new CsvStructureError(`row at line ${rowLine} is larger than ${this.maxRowChars.toLocaleString('en-US')} characters`, rowLine);
          line = rowLine;
          break;
        }
        if (quoted) throw new CsvStructureError(`a quoted field opened at line ${rowLine} is never closed (truncated file?)`, rowLine);
        fields.push(fieldValue(buf, fieldStart, length, quotedField));
        i = length;
      }
      rowStart = i;
      this.emit(fields, rowLine, out);
    }
    this.buf = buf.slice(rowStart);
    this.pos = 0;
    this.line = line;
  }

  private emit(fields: string[], line: number, out: CsvItem[]): void {
    if (fields.length === 1 && fields[0] === '') return;
    if (!this.header) {
      this.header = fields.map((name) => detached(name.trim()));
      return;
    }
    this.rows++;
    if (fields.length !== this.header.length) {
      out.push({ type: 'reject', index: this.rows, line, reason: `row has ${fields.length} fields where the header has ${this.header.length}` });
      return;
    }
    const value: Record<string, string> = {};
    const header = this.header;
    if (this.safeHeader === undefined) this.safeHeader = !header.includes('__proto__') && new Set(header).size === header.length;
    if (this.safeHeader) {
      // The common case: plain assignment keeps every row on one hidden class, which is much faster.
      for (let i = 0; i < header.length; i++) value[header[i]!] = fields[i]!;
    } else {
      header.forEach((name, i) => {
        // The first of two same-named columns wins; an object built this way never gets a prototype key.
        if (!Object.prototype.hasOwnProperty.call(value, name))
          Object.defineProperty(value, name, { value: fields[i]!, enumerable: true, writable: true, configurable: true });
      });
    }
    out.push({ type: 'record', value, index: this.rows, line });
  }

  /** Counts physical lines from `line`: the lines above the header that were not pushed (a preamble) still count. */
  startAtLine(line: number): void {
    this.line = line;
  }

  /** Sets the delimiter from the header line; call before the first push. */
  useDelimiter(delimiter: string): void {
    this.delimiter = delimiter.charCodeAt(0);
  }
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

function fieldValue(buf: string, start: number, end: number, quoted: boolean): string {
  let stop = end;
  if (stop > start && buf.charCodeAt(stop - 1) === CR) stop--;
  if (!quoted) return detached(buf.slice(start, stop));
  // The opening quote is at `start`; the closing one is the last before `stop` (none: a truncated field).
  const close = buf.lastIndexOf('"', stop - 1);
  const inner = buf.slice(start + 1, close > start ? close : stop);
  // Most quoted fields hold no escaped quote: a copy made only to find none was ~6% of an import's allocations.
  return inner.includes('""') ? inner.replaceAll('""', '"') : detached(inner);
}

/**
 * A field as a string of its own. V8 makes a slice of 13 or more characters a view into the text it was
 * cut from, so a field kept anywhere (an identifier in the resolver, an IP in the scoring baseline) would
 * keep its whole block of the file (megabytes) alive: at a million events, hundreds of MiB of the import
 * worker's heap. Concatenating and slicing again copies the characters into a string just their size.
 */
function detached(field: string): string {
  return field.length < 13 ? field : (' ' + field).slice(1);
}
