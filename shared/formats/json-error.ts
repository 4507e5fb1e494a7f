/**
 * Places a record that JSON.parse refused in the file. JSON.parse names the problem but, for its commonest one
 * (`Unexpected token 'N'`: Python's `NaN`, single quotes), not where it is, and where it does give a position,
 * that counts from the record's first character, not the file's. An analyst fixing an export needs the line and
 * column in the file, so the record's text is walked once more (only for refused records) to find the spot.
 */

/** A record's text and where it starts in the file. */
export interface PlacedText {
  text: string;
  line: number;
  column: number;
}

/** Why a refused record is not JSON, at the line (and column) of the file where it stops being JSON. */
export function malformedJson(record: PlacedText, error: unknown): { line: number; reason: string } {
  // V8 appends the record-relative position (and, in newer versions, a line and column of the record): dropped, as misleading.
  const message = (error instanceof Error ? error.message : String(error)).replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, '');
  const offset = jsonErrorOffset(record.text);
  if (offset < 0) return { line: record.line, reason: `malformed JSON: ${message}` };
  const { line, column } = positionIn(record, offset);
  return { line, reason: `malformed JSON at line ${line}, column ${column}: ${message}` };
}

/** The file line and column of an offset into a record's text. */
export function positionIn(record: PlacedText, offset: number): { line: number; column: number } {
  let line = record.line;
  let lastBreak = -1;
  for (let at = record.text.indexOf('\n'); at >= 0 && at < offset; at = record.text.indexOf('\n', at + 1)) {
    line++;
    lastBreak = at;
  }
  return { line, column: lastBreak < 0 ? record.column + offset : offset - lastBreak };
}

class Stop {
  constructor(readonly at: number) {}
}

function stop(at: number): never {
  throw new Stop(at);
}

const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';

/**
 * The offset of the first character that no JSON text could continue with (RFC 8259), `text.length` when the
 * text ends too early, or -1 when it is valid JSON.
 */
export function jsonErrorOffset(text: string): number {
  try {
    walk(text);
    return -1;
  } catch (error) {
    if (error instanceof Stop) return error.at;
    throw error;
  }
}

/** What may come next: a value, a key, a colon, or (after a value) a comma or the close of its container. */
type Expect = 'value' | 'value or ]' | 'key' | 'key or }' | ':' | 'next';

function walk(text: string): void {
  const open: string[] = [];
  let expect: Expect = 'value';
  let i = 0;
  for (;;) {
    while (isSpace(text[i])) i++;
    if (i >= text.length) {
      if (expect === 'next' && open.length === 0) return;
      stop(text.length);
    }
    const ch = text[i]!;
    if (expect === 'next') {
      const container = open.at(-1);
      if (container === undefined) stop(i); // text after a complete value
      if (ch === ',') expect = container === '{' ? 'key' : 'value';
      else if (ch === (container === '{' ? '}' : ']')) open.pop();
      else stop(i);
      i++;
    } else if (expect === ':') {
      if (ch !== ':') stop(i);
      expect = 'value';
      i++;
    } else if (expect === 'key' || expect === 'key or }') {
      if (ch === '}' && expect === 'key or }') {
        open.pop();
        expect = 'next';
        i++;
      } else if (ch === '"') {
        i = stringEnd(text, i);
        expect = ':';
      } else stop(i);
    } else if (ch === ']' && expect === 'value or ]') {
      open.pop();
      expect = 'next';
      i++;
    } else if (ch === '{' || ch === '[') {
      open.push(ch);
      expect = ch === '{' ? 'key or }' : 'value or ]';
      i++;
    } else {
      i = scalarEnd(text, i);
      expect = 'next';
    }
  }
}

function scalarEnd(text: string, i: number): number {
  const ch = text[i];
  if (ch === '"') return stringEnd(text, i);
  if (ch === '-' || isDigit(ch)) return numberEnd(text, i);
  for (const word of ['true', 'false', 'null']) if (ch === word[0]) return literalEnd(text, i, word);
  return stop(i);
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) stop(i);
    if (code !== 0x5c) continue;
    const escape = text[++i];
    if (escape === 'u') {
      for (let k = 1; k <= 4; k++) if (!/^[0-9a-fA-F]$/.test(text[i + k] ?? '')) stop(Math.min(i + k, text.length));
      i += 4;
    } else if (escape === undefined || !'"\\/bfnrt'.includes(escape)) stop(i);
  }
  return stop(text.length);
}

function numberEnd(text: string, start: number): number {
  let i = start;
  if (text[i] === '-') i++;
  if (text[i] === '0') i++;
  else if (isDigit(text[i])) while (isDigit(text[i])) i++;
  else stop(i);
  if (text[i] === '.') {
    i++;
    if (!isDigit(text[i])) stop(i);
    while (isDigit(text[i])) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text[i])) stop(i);
    while (isDigit(text[i])) i++;
  }
  return i;
}

function literalEnd(text: string, start: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (text[start + k] !== word[k]) stop(start + k);
  return start + word.length;
}
