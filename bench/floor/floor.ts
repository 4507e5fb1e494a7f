/**
 * The floors: what this machine's Chromium does with no app code at all, measured in the same run as
 * the app's figures (PERFORMANCE.md §2 and §5 describe the method). Served by the harness, which
 * strips the types with esbuild; `dexie` is Dexie's own dist/dexie.mjs through the page's import map.
 *
 *  - parse: fetch each export file's bytes, decode them (BOM-sniffed UTF-8 / UTF-16) and parse them
 *    with V8's JSON.parse: a whole document for .json, one JSON.parse per line for .ndjson/.jsonl.
 *    CSV is not parsed: it is split on '\n' and its lines counted (a CSV parser costs more; this is a
 *    lower bound). Only decode + parse time is the floor; fetch time is reported beside it.
 *  - naive: the same record count written with Dexie bulkPut, one row per record, five secondary
 *    indexes, batches of 10,000 (PERFORMANCE.md §2.1's ~232-byte record shape).
 *  - chunk: the same records grouped per user and UTC day into rows of at most 1,000 events, keyed
 *    `user|day|part`, no secondary index, bulkPut 20 rows at a time (§5).
 * Write floors time the bulkPut calls only ("put time"); generating the records is excluded but
 * reported as wall time. Each deletes its database first; the harness measures the profile's
 * IndexedDB folder afterwards and then calls drop().
 */
import { Dexie } from 'dexie';

interface FileRef {
  url: string;
  rel: string;
  bytes: number;
}

export interface FileParse {
  rel: string;
  bytes: number;
  kind: 'json' | 'ndjson' | 'csv' | 'skipped';
  encoding?: string;
  records: number;
  fetchMs: number;
  decodeMs: number;
  parseMs: number;
  note?: string;
}

export interface ParseFloor {
  files: FileParse[];
  bytes: number;
  fetchMs: number;
  decodeMs: number;
  /** JSON.parse time plus the CSV line split. */
  parseMs: number;
  jsonRecords: number;
  csvLines: number;
  csvBytes: number;
  skipped: number;
}

function sniffEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  // BOM-less UTF-16 LE: ASCII text with a NUL after every byte.
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return 'utf-16le';
  return 'utf-8';
}

function countRecords(document: unknown): number {
  if (Array.isArray(document)) return document.length;
  if (document && typeof document === 'object') {
    for (const key of ['value', 'data', 'Results', 'results']) {
      const list = (document as Record<string, unknown>)[key];
      if (Array.isArray(list)) return list.length;
    }
  }
  return 1;
}

function parseLines(text: string): number {
  let records = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (line) {
      JSON.parse(line);
      records++;
    }
    start = end + 1;
  }
  return records;
}

async function parse(files: FileRef[]): Promise<ParseFloor> {
  const out: ParseFloor = { files: [], bytes: 0, fetchMs: 0, decodeMs: 0, parseMs: 0, jsonRecords: 0, csvLines: 0, csvBytes: 0, skipped: 0 };
  for (const file of files) {
    const result: FileParse = { rel: file.rel, bytes: file.bytes, kind: 'skipped', records: 0, fetchMs: 0, decodeMs: 0, parseMs: 0 };
    try {
      let t = performance.now();
      const buffer = await (await fetch(file.url)).arrayBuffer();
      result.fetchMs = performance.now() - t;
      t = performance.now();
      const bytes = new Uint8Array(buffer);
      result.encoding = sniffEncoding(bytes.subarray(0, 4));
      let text: string | undefined = new TextDecoder(result.encoding).decode(bytes);
      result.decodeMs = performance.now() - t;
      const ext = file.rel.toLowerCase().split('.').pop() ?? '';
      t = performance.now();
      if (ext === 'csv' || ext === 'tsv') {
        result.kind = 'csv';
        const lines = text.split('\n');
        result.records = lines.length - 1 - (lines.at(-1)?.trim() === '' ? 1 : 0);
        out.csvLines += result.records;
        out.csvBytes += file.bytes;
        result.note = 'split on newlines and counted, not parsed';
      } else if (ext === 'ndjson' || ext === 'jsonl') {
        result.kind = 'ndjson';
        result.records = parseLines(text);
      } else {
        try {
          result.records = countRecords(JSON.parse(text));
          result.kind = 'json';
        } catch {
          // Not one JSON document: JSON lines, or not JSON at all.
          result.records = parseLines(text);
          result.kind = 'ndjson';
        }
      }
      result.parseMs = performance.now() - t;
      text = undefined;
      if (result.kind !== 'csv') out.jsonRecords += result.records;
    } catch (error) {
      result.kind = 'skipped';
      result.note = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      out.skipped++;
    }
    out.files.push(result);
    out.bytes += file.bytes;
    out.fetchMs += result.fetchMs;
    out.decodeMs += result.decodeMs;
    out.parseMs += result.parseMs;
  }
  return out;
}

export interface WriteOptions {
  records: number;
  users: number;
  days: number;
  /** Epoch ms of the first day's midnight (UTC). */
  startMs: number;
  seed: number;
}

export interface WriteFloor {
  records: number;
  rows: number;
  /** Sum of the bulkPut calls. */
  putMs: number;
  /** Including record generation. */
  wallMs: number;
  /** Records per second over the first and the last tenth of the rows written. */
  firstTenthRate?: number;
  lastTenthRate?: number;
  /** Average JSON size of a record. */
  recordBytes: number;
  /** navigator.storage.estimate().usage after the writes (Chromium updates it lazily: often stale). */
  usageBytes?: number;
}

interface FloorRecord {
  id: string;
  userId: string;
  timestamp: number;
  severity: string;
  source: string;
  type: string;
  title: string;
  meta: { host: string; port: number };
}

const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'];
const TITLES = [
  'Sign-in from an unfamiliar location followed by mailbox access',
  'Password spray attempt against several accounts from one address',
  'Suspicious inbox rule created shortly after a risky sign-in event',
  'Impossible travel between two sign-ins of the same user account',
].map((title) => title.padEnd(60, '.').slice(0, 60));
const DAY_MS = 86_400_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One UTC day's records in time order, users interleaved as in an export. */
function* days(options: WriteOptions): Generator<FloorRecord[]> {
  const random = mulberry32(options.seed);
  const base = Math.floor(options.records / options.days);
  const extra = options.records % options.days;
  let n = 0;
  for (let day = 0; day < options.days; day++) {
    const count = base + (day < extra ? 1 : 0);
    const records: FloorRecord[] = new Array(count);
    for (let i = 0; i < count; i++) {
      n++;
      const pick = Math.floor(random() * 1e9);
      records[i] = {
        id: `9e3779b1-${String(n).padStart(7, '0')}`,
        userId: `user${String(Math.floor(random() * options.users) + 1).padStart(3, '0')}`,
        timestamp: options.startMs + day * DAY_MS + Math.floor(((i + random()) * DAY_MS) / count),
        severity: SEVERITIES[pick % 5]!,
        source: `source${pick % 20}`,
        type: `type_${pick % 40}`,
        title: TITLES[pick % TITLES.length]!,
        meta: { host: `ws-${pick % 10000}`, port: pick % 65536 },
      };
    }
    yield records;
  }
}

function averageJsonBytes(records: FloorRecord[]): number {
  const sample = records.slice(0, 1000);
  return sample.length ? sample.reduce((sum, record) => sum + JSON.stringify(record).length, 0) / sample.length : 0;
}

function rates(batches: { records: number; ms: number }[]): Pick<WriteFloor, 'firstTenthRate' | 'lastTenthRate'> {
  const tenth = Math.max(1, Math.round(batches.length / 10));
  const rate = (list: typeof batches) => list.reduce((sum, batch) => sum + batch.records, 0) / (list.reduce((sum, batch) => sum + batch.ms, 0) / 1000);
  return { firstTenthRate: rate(batches.slice(0, tenth)), lastTenthRate: rate(batches.slice(-tenth)) };
}

async function usage(): Promise<number | undefined> {
  return (await navigator.storage?.estimate?.())?.usage;
}

/** With `timeLimitMs`, stops after the batch that takes the put time past it: `records` says how many were written. */
async function naive(options: WriteOptions & { timeLimitMs?: number }): Promise<WriteFloor> {
  const name = 'floor-naive';
  await Dexie.delete(name);
  const db = new Dexie(name);
  db.version(1).stores({ events: 'id, userId, timestamp, [userId+timestamp], severity, source' });
  await db.open();
  const table = db.table<FloorRecord, string>('events');
  const started = performance.now();
  const batches: { records: number; ms: number }[] = [];
  let batch: FloorRecord[] = [];
  let recordBytes = 0;
  let written = 0;
  let putMs = 0;
  const flush = async () => {
    const t = performance.now();
    await table.bulkPut(batch);
    const ms = performance.now() - t;
    batches.push({ records: batch.length, ms });
    putMs += ms;
    written += batch.length;
    batch = [];
  };
  const limit = options.timeLimitMs ?? Infinity;
  writing: for (const day of days(options)) {
    recordBytes ||= averageJsonBytes(day);
    for (const record of day) {
      batch.push(record);
      if (batch.length === 10_000) {
        await flush();
        if (putMs > limit) break writing;
      }
    }
  }
  if (batch.length && putMs <= limit) await flush();
  const wallMs = performance.now() - started;
  const result: WriteFloor = {
    records: written,
    rows: written,
    putMs: batches.reduce((sum, entry) => sum + entry.ms, 0),
    wallMs,
    ...rates(batches),
    recordBytes,
    usageBytes: await usage(),
  };
  db.close();
  return result;
}

async function chunk(options: WriteOptions & { maxPerChunk: number; rowsPerPut: number }): Promise<WriteFloor> {
  const name = 'floor-chunk';
  await Dexie.delete(name);
  const db = new Dexie(name);
  db.version(1).stores({ chunks: 'id' });
  await db.open();
  const table = db.table<{ id: string; userId: string; day: number; events: FloorRecord[] }, string>('chunks');
  const started = performance.now();
  const batches: { records: number; ms: number }[] = [];
  let rows: { id: string; userId: string; day: number; events: FloorRecord[] }[] = [];
  let rowCount = 0;
  let recordBytes = 0;
  const flush = async () => {
    const t = performance.now();
    await table.bulkPut(rows);
    batches.push({ records: rows.reduce((sum, row) => sum + row.events.length, 0), ms: performance.now() - t });
    rowCount += rows.length;
    rows = [];
  };
  let dayIndex = 0;
  for (const day of days(options)) {
    recordBytes ||= averageJsonBytes(day);
    const byUser = new Map<string, FloorRecord[]>();
    for (const record of day) {
      const list = byUser.get(record.userId);
      if (list) list.push(record);
      else byUser.set(record.userId, [record]);
    }
    for (const [userId, events] of byUser) {
      for (let part = 0; part * options.maxPerChunk < events.length; part++) {
        rows.push({
          id: `${userId}|${dayIndex}|${part}`,
          userId,
          day: dayIndex,
          events: events.slice(part * options.maxPerChunk, (part + 1) * options.maxPerChunk),
        });
        if (rows.length === options.rowsPerPut) await flush();
      }
    }
    dayIndex++;
  }
  if (rows.length) await flush();
  const wallMs = performance.now() - started;
  const result: WriteFloor = {
    records: options.records,
    rows: rowCount,
    putMs: batches.reduce((sum, entry) => sum + entry.ms, 0),
    wallMs,
    ...rates(batches),
    recordBytes,
    usageBytes: await usage(),
  };
  db.close();
  return result;
}

/** Deletes the write floors' databases: the harness calls it after measuring their folder on disk. */
async function drop(): Promise<void> {
  await Promise.all(['floor-naive', 'floor-chunk'].map((name) => Dexie.delete(name)));
}

const api = { parse, naive, chunk, drop, ready: true };
(globalThis as unknown as { benchFloor: typeof api }).benchFloor = api;
