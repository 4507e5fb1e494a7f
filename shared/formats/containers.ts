/**
 * Archives around exports: a `.gz` file holds one export, a `.zip` many. Recognised by their magic
 * bytes, inflated as a stream (fflate: pure JS, so the worker and the command line share it), and
 * bounded, because an archive's headers can lie: the bytes actually inflated are counted against a
 * total, a per-entry ratio and an entry count. Nested archives are not opened, but named (see unzipEntries).
 * An Excel workbook is a zip too: it is named as one, never read part by part.
 */
import { Gunzip, Unzip, UnzipInflate, UnzipPassThrough, type UnzipFile } from 'fflate';

export interface ArchiveLimits {
  /** Most bytes inflated from one archive, all entries together. */
  maxTotalBytes: number;
  /** Most inflated bytes per compressed byte of one entry (zip bombs compress ~1000:1). */
  maxRatio: number;
  maxEntries: number;
}

export const defaultArchiveLimits: ArchiveLimits = { maxTotalBytes: 4 * 1024 ** 3, maxRatio: 200, maxEntries: 1000 };

export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** One export to parse: the input itself, or one member of an archive. */
export interface InnerFile {
  /** `name`, or `archive.zip/path/in/archive.json` for zip members. */
  name: string;
  chunks: AsyncIterable<Uint8Array>;
  /** Set when this member is not read because it holds data in a form we do not open (a nested archive, a workbook): why, to show as a failure. */
  refused?: string;
  /** Set when this member is not read because it is plainly not an export: why. */
  skipped?: string;
}

/** What to tell an analyst who picked a workbook, whose parts are XML no export format reads. */
export const WORKBOOK_REFUSAL = 'an Excel workbook: save each sheet as CSV (UTF-8) and import that';

/**
 * The parts of an Office Open XML workbook: `[Content_Types].xml` (every OOXML package has it), the package and
 * document properties, and the workbook under `xl/`. Writers order them differently (Excel puts the content types
 * first, openpyxl last), so they are held back, unread, until the package shows what it is.
 */
function isWorkbookPart(path: string): boolean {
  return path === '[Content_Types].xml' || /^(_rels|docProps|xl|customXml)\//.test(path);
}

type Kind = 'gzip' | 'zip' | 'plain';

function kindOf(head: Uint8Array): Kind {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return 'plain';
}

/** Pulls chunks on demand and can put one back, so the first bytes can be sniffed. */
class Source {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Uint8Array | undefined;
  compressedBytes = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  async next(): Promise<Uint8Array | undefined> {
    if (this.pending) {
      const chunk = this.pending;
      this.pending = undefined;
      return chunk;
    }
    const { done, value } = await this.iterator.next();
    if (done) return undefined;
    this.compressedBytes += value.length;
    return value;
  }

  unshift(chunk: Uint8Array): void {
    this.pending = chunk;
  }

  async *rest(): AsyncGenerator<Uint8Array> {
    for (let chunk = await this.next(); chunk; chunk = await this.next()) yield chunk;
  }
}

/** Yields the exports inside an input: itself when plain, the inflated stream of a .gz, each file of a .zip. */
export async function* openExports(name: string, chunks: AsyncIterable<Uint8Array>, limits: ArchiveLimits = defaultArchiveLimits): AsyncGenerator<InnerFile> {
  const source = new Source(chunks);
  const first = await source.next();
  if (!first) {
    yield { name, chunks: source.rest() };
    return;
  }
  source.unshift(first);
  const kind = kindOf(first);
  if (kind === 'plain') yield { name, chunks: source.rest() };
  else if (kind === 'gzip') yield { name: name.replace(/\.gz$/i, '') || name, chunks: gunzip(source, limits) };
  else yield* unzipEntries(name, source, limits);
}

async function* gunzip(source: Source, limits: ArchiveLimits): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let inflated = 0;
  const inflater = new Gunzip((data) => {
    inflated += data.length;
    out.push(data);
  });
  for (let chunk = await source.next(); chunk; chunk = await source.next()) {
    try {
      inflater.push(chunk, false);
    } catch (error) {
      throw new ArchiveError(`the gzip stream is damaged: ${error instanceof Error ? error.message : String(error)}`);
    }
    checkSize(inflated, source.compressedBytes, limits, 'the gzip file');
    yield* out.splice(0);
  }
  try {
    inflater.push(new Uint8Array(0), true);
  } catch (error) {
    throw new ArchiveError(`the gzip stream ends early (truncated?): ${error instanceof Error ? error.message : String(error)}`);
  }
  yield* out.splice(0);
}

function checkSize(inflated: number, compressed: number, limits: ArchiveLimits, what: string): void {
  if (inflated > limits.maxTotalBytes) throw new ArchiveError(`${what} inflates past ${formatGiB(limits.maxTotalBytes)}: refused as a possible archive bomb`);
  if (inflated > 1024 * 1024 && inflated > compressed * limits.maxRatio) {
    throw new ArchiveError(`${what} inflates more than ${limits.maxRatio} times its compressed size: refused as a possible archive bomb`);
  }
}

function formatGiB(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/**
 * The members of a zip, one at a time: each member's chunks must be read (or abandoned) before the next
 * member is asked for, because a zip is read front to back.
 */
async function* unzipEntries(archiveName: string, source: Source, limits: ArchiveLimits): AsyncGenerator<InnerFile> {
  const entries: { file: UnzipFile; chunks: Uint8Array[]; done: boolean; error?: Error; compressedAtStart: number }[] = [];
  let inflatedTotal = 0;
  let ended = false;
  const unzip = new Unzip((file) => {
    if (entries.length >= limits.maxEntries) throw new ArchiveError(`the zip holds more than ${limits.maxEntries} files`);
    const entry = { file, chunks: [] as Uint8Array[], done: false, error: undefined as Error | undefined, compressedAtStart: source.compressedBytes };
    entries.push(entry);
    if (file.name.endsWith('/')) {
      entry.done = true;
      return;
    }
    file.ondata = (error, data, final) => {
      if (error) entry.error = error;
      else {
        inflatedTotal += data.length;
        entry.chunks.push(data);
      }
      if (final) entry.done = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);

  const pump = async (): Promise<void> => {
    const chunk = await source.next();
    try {
      if (chunk) unzip.push(chunk, false);
      else {
        unzip.push(new Uint8Array(0), true);
        ended = true;
      }
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      throw new ArchiveError(`the zip is damaged: ${error instanceof Error ? error.message : String(error)}`);
    }
    checkSize(inflatedTotal, source.compressedBytes, { ...limits, maxRatio: Infinity }, 'the zip');
  };

  /** Drops what is left of a member, so the next one can be found. */
  const skip = async (entry: (typeof entries)[number]): Promise<void> => {
    while (!entry.done && !entry.error && !ended) {
      entry.chunks.length = 0;
      await pump();
    }
    entry.chunks.length = 0;
  };
  /** The first bytes of a member (read until there are four, or it ends), so its content can be sniffed. */
  const firstBytes = async (entry: (typeof entries)[number]): Promise<Uint8Array> => {
    const size = () => entry.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    while (size() < 4 && !entry.done && !entry.error && !ended) await pump();
    return Uint8Array.from(entry.chunks.flatMap((chunk) => [...chunk.subarray(0, 4)]).slice(0, 4));
  };

  const workbookParts: string[] = [];
  let next = 0;
  for (;;) {
    while (entries.length <= next && !ended) await pump();
    const entry = entries[next++];
    if (!entry) break;
    if (entry.file.name.endsWith('/')) continue;
    const name = `${archiveName}/${entry.file.name}`;
    if (entry.file.compression !== 0 && entry.file.compression !== 8) {
      throw new ArchiveError(`${name} uses compression method ${entry.file.compression} (encrypted or unsupported): extract it first`);
    }
    if (isWorkbookPart(entry.file.name)) {
      workbookParts.push(entry.file.name);
      await skip(entry);
      if (workbookParts.includes('[Content_Types].xml') && workbookParts.some((part) => part.startsWith('xl/'))) {
        // Named once, for the whole file: the rest of the package is not read.
        yield { name: archiveName, chunks: empty(), refused: WORKBOOK_REFUSAL };
        return;
      }
      continue;
    }
    if (kindOf(await firstBytes(entry)) !== 'plain') {
      // An archive inside the archive (found by its bytes, whatever its name) is named, not opened: RELIABILITY.md
      // rules nested archives out, and its limits hold per archive. A second layer would multiply the ratio
      // (200 × 200) and would need one byte budget across both layers. A `.json.gz` member is no exception: the
      // analyst extracts the zip and imports the .gz itself, which is read directly.
      await skip(entry);
      const refused = /\.xls[xmb]$/i.test(entry.file.name)
        ? WORKBOOK_REFUSAL
        : `nested archive not opened: ${entry.file.name} (extract it, then import what it holds)`;
      yield { name, chunks: empty(), refused };
      continue;
    }
    async function* chunks(): AsyncGenerator<Uint8Array> {
      let inflated = 0;
      for (;;) {
        if (entry!.error) throw new ArchiveError(`${name} could not be inflated (damaged or encrypted): ${entry!.error.message}`);
        const ready = entry!.chunks.splice(0);
        for (const chunk of ready) {
          inflated += chunk.length;
          checkSize(inflated, Math.max(1, source.compressedBytes - entry!.compressedAtStart), limits, name);
          yield chunk;
        }
        if (entry!.done) return;
        if (ended) throw new ArchiveError(`${name} ends early: the zip is truncated`);
        await pump();
      }
    }
    yield { name, chunks: chunks() };
    // Whatever the consumer did not read of this member is drained, so the next one can be found.
    await skip(entry);
  }
  // Parts held back in case the zip was a workbook, which it was not: each is an XML file, no export.
  for (const part of workbookParts) yield { name: `${archiveName}/${part}`, chunks: empty(), skipped: 'not an export: a part of an Office document' };
}

async function* empty(): AsyncGenerator<Uint8Array> {}
