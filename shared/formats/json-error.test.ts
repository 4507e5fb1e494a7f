import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, malformedJson, positionIn } from './json-error.ts';

const parseError = (text: string): unknown => {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error(`${text} parsed`);
};

describe('jsonErrorOffset', () => {
  it('points at the first character JSON cannot continue with', () => {
    const cases: [string, string][] = [
      ['{"seconds": NaN}', 'N'], // Python's json.dumps of a float('nan')
      ["{'id': '111'}", "'"], // a Python dict's repr, or hand-written JSON
      ['{"a": 1,}', '}'], // a trailing comma
      ['{"a": 1 "b": 2}', '"b'], // a missing comma
      ['{a: 1}', 'a'], // an unquoted key
      ['{"a": tru}', '}'],
      ['{"a": 01}', '1'],
      ['{"a": "\\x"}', 'x'],
      ['{"a": [1, 2}', '}'],
    ];
    for (const [text, at] of cases) expect(text.slice(jsonErrorOffset(text)).startsWith(at), text).toBe(true);
  });

  it('says a text that ends too early ends there, and finds no error in valid JSON', () => {
    expect(jsonErrorOffset('{"a": [1, 2')).toBe(11);
    expect(jsonErrorOffset('{"a": "open')).toBe(11);
    expect(jsonErrorOffset(' {"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n", {}]} ')).toBe(-1);
  });

  it('agrees with JSON.parse on which texts are valid', () => {
    const text = fc.oneof(
      fc.json(),
      fc
        .json()
        .chain((json) =>
          fc
            .tuple(fc.nat(json.length), fc.constantFrom('NaN', "'", ',', '}', ']', ':', '"', '\\', '\n', 'x', '-'))
            .map(([at, junk]) => json.slice(0, at) + junk + json.slice(at)),
        ),
    );
    fc.assert(
      fc.property(text, (candidate) => {
        let valid = true;
        try {
          JSON.parse(candidate);
        } catch {
          valid = false;
        }
        expect(jsonErrorOffset(candidate) === -1).toBe(valid);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});

describe('malformedJson', () => {
  it('names the line and column in the file, from where the record starts', () => {
    // The third record of a minified array on line 7, starting at column 41.
    const record = { text: '{"id": "x", "seconds": NaN}', line: 7, column: 41 };
    const placed = malformedJson(record, parseError(record.text));
    expect(placed.line).toBe(7);
    expect(placed.reason).toMatch(/^malformed JSON at line 7, column 64: Unexpected token 'N'/);
  });

  it('counts the lines a pretty-printed record spans, and drops the record-relative position', () => {
    const record = { text: '{\n    "id": "x",\n    riskLevel: "low"\n  }', line: 12, column: 3 };
    const placed = malformedJson(record, parseError(record.text));
    expect(placed).toEqual({ line: 14, reason: expect.stringMatching(/^malformed JSON at line 14, column 5: Expected double-quoted property name$/) });
  });

  it('places an offset on the record’s first line from its column, and on later lines from their start', () => {
    expect(positionIn({ text: 'ab\ncd', line: 3, column: 10 }, 1)).toEqual({ line: 3, column: 11 });
    expect(positionIn({ text: 'ab\ncd', line: 3, column: 10 }, 4)).toEqual({ line: 4, column: 2 });
  });
});
