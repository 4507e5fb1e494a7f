/**
 * The simulator's output protocol: a stream of operations ("append this text to that file",
 * "close that file") that a caller carries out. The pure generator never touches a disk;
 * scripts/simulate.ts writes the operations through Node streams, tests and the demo collect them
 * in memory. Both see the same text, so both get the same bytes.
 *
 * A `FileSeries` writes one table: the container's header, records with their separators, the
 * footer; it rolls to a numbered part before a file would exceed the size limit, and batches text
 * into large writes.
 */

export type Encoding = 'utf8' | 'utf16le';

export type OutputOp =
  | { type: 'write'; file: string; encoding: Encoding; text: string }
  | { type: 'close'; file: string }
  | { type: 'progress'; day: number; daysDone: number; days: number; records: number };

/** How records sit in a file. */
export interface Container {
  /** Written at the start of every part. */
  header: string;
  /** Between two records. */
  separator: string;
  /** Written at the end of every part. */
  footer: string;
  /** A part with no record at all (replaces header and footer). */
  empty?: string;
}

export function graphPageContainer(context: string): Container {
  const head = `{\n  "@odata.context": ${JSON.stringify(context)},\n  "value": `;
  return { header: `${head}[\n`, separator: ',\n', footer: '\n  ]\n}\n', empty: `${head}[]\n}\n` };
}

export const NDJSON: Container = { header: '', separator: '', footer: '' };

export function csvContainer(header: string): Container {
  return { header, separator: '', footer: '' };
}

export interface FileSpec {
  /** The logical table the file holds (ground truth and counts use it). */
  table: string;
  /** Path without extension, `/`-separated, relative to the output folder. */
  stem: string;
  ext: string;
  /** Roll to `-part002`… when a part would exceed the limit; single files never roll. */
  rolling: boolean;
  encoding: Encoding;
  container: Container;
  /** What the file is, for the README and the ground truth. */
  format: string;
}

export interface FileInfo {
  path: string;
  table: string;
  format: string;
  encoding: Encoding;
  records: number;
  bytes: number;
}

const NON_ASCII = /[^\t\n\r -~]/;

/** Bytes of text in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function byteLength(text: string, encoding: Encoding): number {
  return encoding === 'utf16le' ? text.length * 2 : utf8Length(text);
}

/** Encodes text as the file's bytes (UTF-16 LE by hand: no Buffer in shared code). */
export function encodeText(text: string, encoding: Encoding): Uint8Array {
  if (encoding === 'utf8') return new TextEncoder().encode(text);
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

const FLUSH_CHARS = 1 << 18;

export class FileSeries {
  private part = 0;
  private current: FileInfo | null = null;
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly done: FileInfo[] = [];
  private readonly footerBytes: number;
  private readonly separatorBytes: number;

  constructor(
    readonly spec: FileSpec,
    private readonly maxBytes: number,
    private readonly out: OutputOp[],
  ) {
    this.footerBytes = byteLength(spec.container.footer, spec.encoding);
    this.separatorBytes = byteLength(spec.container.separator, spec.encoding);
  }

  /** Appends one record's text; returns the path of the file it went to. */
  add(text: string): string {
    const bytes = byteLength(text, this.spec.encoding);
    let file = this.current;
    if (file && this.spec.rolling && file.records > 0 && file.bytes + this.separatorBytes + bytes + this.footerBytes > this.maxBytes) {
      this.closePart();
      file = null;
    }
    if (!file) file = this.openPart();
    if (file.records > 0) this.push(this.spec.container.separator, this.separatorBytes);
    this.push(text, bytes);
    file.records++;
    return file.path;
  }

  /** Writes out what is batched (call at natural boundaries, e.g. the end of a day). */
  flush(): void {
    if (!this.current || this.pending.length === 0) return;
    this.out.push({ type: 'write', file: this.current.path, encoding: this.spec.encoding, text: this.pending.join('') });
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Closes the last part; a table that never got a record still gets its (empty) file. */
  finish(): FileInfo[] {
    if (!this.current && this.done.length === 0) {
      const file = this.openPart();
      if (this.spec.container.empty !== undefined) {
        this.pending = [this.spec.container.empty];
        this.pendingChars = this.spec.container.empty.length;
        file.bytes = byteLength(this.spec.container.empty, this.spec.encoding);
        this.flush();
        this.out.push({ type: 'close', file: file.path });
        this.done.push(file);
        this.current = null;
        return this.done;
      }
    }
    if (this.current) this.closePart();
    return this.done;
  }

  /** True until the first record: nothing has been written yet. */
  get isEmpty(): boolean {
    return this.part === 0;
  }

  get currentPath(): string | null {
    return this.current?.path ?? null;
  }

  private pathOf(part: number): string {
    return this.spec.rolling ? `${this.spec.stem}-part${String(part).padStart(3, '0')}.${this.spec.ext}` : `${this.spec.stem}.${this.spec.ext}`;
  }

  private openPart(): FileInfo {
    this.part++;
    const file: FileInfo = {
      path: this.pathOf(this.part),
      table: this.spec.table,
      format: this.spec.format,
      encoding: this.spec.encoding,
      records: 0,
      bytes: 0,
    };
    this.current = file;
    this.push(this.spec.container.header, byteLength(this.spec.container.header, this.spec.encoding));
    return file;
  }

  private closePart(): void {
    const file = this.current;
    if (!file) return;
    if (file.records === 0 && this.spec.container.empty !== undefined) {
      // Only the header was batched: replace it with the empty form.
      this.pending = [this.spec.container.empty];
      this.pendingChars = this.spec.container.empty.length;
      file.bytes = byteLength(this.spec.container.empty, this.spec.encoding);
    } else this.push(this.spec.container.footer, this.footerBytes);
    this.flush();
    this.out.push({ type: 'close', file: file.path });
    this.done.push(file);
    this.current = null;
  }

  private push(text: string, bytes: number): void {
    if (!text) return;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.current) this.current.bytes += bytes;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }
}
