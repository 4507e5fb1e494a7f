import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSample } from '../../test/samples.ts';
import type { NormalizedRecord, RiskDetectionRecord, RiskyUserRecord, SignInRecord } from '../model/records.ts';
import { zipSync } from 'fflate';
import { cleanFieldText, MAX_FIELD_CHARS, takeFieldNotes } from './fields.ts';
import { parseAll, parseExport, parseInput, type FileSummary, type RecordError } from './parse.ts';

const encode = (text: string) => new TextEncoder().encode(text);

/** parseAll with the bytes read in pieces of one size, as a file is read. */
async function parseInPieces(file: string, bytes: Uint8Array, size: number): Promise<{ records: NormalizedRecord[]; summary: FileSummary }> {
  async function* pieces() {
    for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
  }
  const records: NormalizedRecord[] = [];
  let summary: FileSummary | undefined;
  for await (const event of parseExport(file, pieces())) {
    if (event.type === 'batch') records.push(...event.records);
    if (event.type === 'end') summary = event.summary;
  }
  return { records, summary: summary! };
}

describe('parseExport on the real Graph samples', () => {
  it('reads the Graph riskDetection page: one detection with its user', async () => {
    const { records, summary } = await parseAll('list_risk_detections.json', readSample('identity-protection/list_risk_detections.json'));
    expect(summary).toMatchObject({ format: 'entra-risk-detection', container: 'graph-page', accepted: 1, rejected: 0, unattributed: 0 });
    const detection = records[0] as RiskDetectionRecord;
    expect(detection).toMatchObject({
      kind: 'riskDetection',
      id: 'riskDetection:1',
      riskEventType: 'unfamiliarFeatures',
      riskLevel: 'medium',
      riskState: 'remediated',
      time: Date.UTC(2018, 8, 5, 0, 9, 18, 782),
      timeRaw: '2018-09-05T00:09:18.7822851Z',
    });
    expect(detection.identifiers).toEqual([
      { type: 'objectId', value: 'abcdefab-af90-4edf-ac4c-742ff06735d0' },
      { type: 'upn', value: 'olack@test.com' },
    ]);
  });

  it('reads the Graph riskyUser page: three users keyed on object id', async () => {
    const { records, summary } = await parseAll('list_risky_users.json', readSample('identity-protection/list_risky_users.json'));
    expect(summary).toMatchObject({ format: 'entra-risky-user', accepted: 3, rejected: 0 });
    const users = records as RiskyUserRecord[];
    expect(users.map((user) => user.id)).toEqual(['riskyUser:111', 'riskyUser:222', 'riskyUser:333']);
    expect(users.map((user) => user.riskState)).toEqual(['dismissed', 'remediated', 'dismissed']);
  });

  it('reads the Graph documentation examples of riskDetection and signIn', async () => {
    const detections = await parseAll('graph-riskDetections-list.json', readSample('vendor-doc-examples/graph-riskDetections-list.json'));
    expect(detections.summary).toMatchObject({ format: 'entra-risk-detection', accepted: 1 });
    const signIns = await parseAll('graph-signIns-list.json', readSample('vendor-doc-examples/graph-signIns-list.json'));
    expect(signIns.summary).toMatchObject({ format: 'entra-sign-in', accepted: 1, rejected: 0 });
    const signIn = signIns.records[0] as SignInRecord;
    expect(signIn).toMatchObject({ kind: 'signIn', appDisplayName: 'Graph explorer', success: true, location: { city: 'Redmond', country: 'US' } });
  });
});

describe('parseExport on bad input', () => {
  it('rejects a bad record alone, naming file, record, line and field', async () => {
    const page = JSON.stringify(
      {
        value: [
          {
            id: 'a',
            riskEventType: 'x',
            riskLevel: 'low',
            riskState: 'atRisk',
            activityDateTime: '2024-01-01T00:00:00Z',
            userId: 'u1',
            detectionTimingType: 'offline',
            detectedDateTime: '2024-01-01T00:00:00Z',
            userPrincipalName: 'a@b.c',
          },
          { id: 'b', riskEventType: 'x', activityDateTime: 'not a time' },
        ],
      },
      null,
      2,
    );
    const { records, summary } = await parseAll('detections.json', encode(page));
    expect(records).toHaveLength(1);
    expect(summary.errors).toEqual<RecordError[]>([
      { file: 'detections.json', record: 2, line: 14, field: 'activityDateTime', reason: 'unrecognized timestamp "not a time"' },
    ]);
  });

  it('names the closest format when a file is not recognized', async () => {
    const { summary } = await parseAll('odd.json', encode('[{"id":"1","riskLevel":"low","somethingElse":1}]'));
    expect(summary.fatal?.reason).toMatch(/unrecognized export.*closest format: Entra ID Protection risky users/);
  });

  it('keeps the records before a truncation and says where the file stops', async () => {
    const text = readSample('identity-protection/list_risky_users.json');
    const cut = new TextDecoder().decode(text).slice(0, 900);
    const { records, summary } = await parseAll('cut.json', encode(cut));
    expect(records.length).toBeGreaterThan(0);
    expect(summary.fatal?.reason).toMatch(/ends inside .*truncated/);
  });

  it('reports empty and non-JSON files plainly', async () => {
    expect((await parseAll('empty.json', new Uint8Array())).summary.fatal?.reason).toBe('the file is empty');
    const notes = (await parseAll('README.md', encode('# Exports from the tenant\n\nThese are my notes, taken on Monday.'))).summary;
    expect(notes.skipped).toMatch(/not an export: neither JSON nor CSV/);
    expect(notes.fatal).toBeUndefined();
  });

  it('is total: any bytes give records or located errors, never an exception', async () => {
    const base = new TextDecoder().decode(readSample('identity-protection/list_risky_users.json'));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: base.length }),
        fc.integer({ min: 0, max: base.length }),
        fc.string({ maxLength: 8 }),
        async (cut, at, junk) => {
          const mutated = base.slice(0, at) + junk + base.slice(at, Math.max(at, cut));
          const { summary } = await parseAll('mutated.json', encode(mutated));
          for (const error of summary.errors) expect(error.file).toBe('mutated.json');
          expect(summary.accepted + summary.rejected + (summary.fatal ? 1 : 0) + (summary.skipped ? 1 : 0)).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('gives identical records when a file is parsed twice', async () => {
    const bytes = readSample('identity-protection/list_risk_detections.json');
    expect((await parseAll('a.json', bytes)).records).toEqual((await parseAll('a.json', bytes)).records);
  });
});

describe('parseExport across encodings', () => {
  function encodings(text: string): Record<string, Uint8Array> {
    const utf16 = (littleEndian: boolean, bom: boolean) => {
      const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
      const view = new DataView(out.buffer);
      let at = 0;
      if (bom) {
        view.setUint16(0, 0xfeff, littleEndian);
        at = 2;
      }
      for (let i = 0; i < text.length; i++, at += 2) view.setUint16(at, text.charCodeAt(i), littleEndian);
      return out;
    };
    const utf8 = new TextEncoder().encode(text);
    return {
      'utf-8': utf8,
      'utf-8 with BOM': new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]),
      'utf-16le with BOM': utf16(true, true),
      'utf-16be with BOM': utf16(false, true),
      'utf-16le without BOM': utf16(true, false),
    };
  }

  it.each(['identity-protection/list_risky_users.json', 'signin/sign-in_adelete.csv', 'vendor-doc-examples/graph-signIns-list.json'])(
    'gives identical records for %s in every supported encoding',
    async (path) => {
      const text = new TextDecoder().decode(readSample(path));
      const results = await Promise.all(Object.entries(encodings(text)).map(async ([name, bytes]) => [name, (await parseAll('f', bytes)).records] as const));
      const [, reference] = results[0]!;
      expect(reference.length).toBeGreaterThan(0);
      for (const [, records] of results) expect(records).toEqual(reference);
    },
  );
});

describe('parseExport on hostile records', () => {
  it('keeps prototype keys as plain data and pollutes nothing', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const row =
      '{"id":"111","riskLevel":"high","riskState":"atRisk","riskLastUpdatedDateTime":"2024-01-01T00:00:00Z","userPrincipalName":"a@b.c","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}';
    const { records } = await parseAll('hostile.json', encode(`[${row}]`));
    expect(records).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    const csv = await parseAll(
      'hostile.csv',
      encode('id,riskLevel,riskState,riskLastUpdatedDateTime,userPrincipalName,__proto__\n111,high,atRisk,2024-01-01T00:00:00Z,a@b.c,x\n'),
    );
    expect(csv.records).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseExport on hostile field values (RELIABILITY.md §3 #15)', () => {
  const row = (fields: Record<string, unknown>) =>
    JSON.stringify({
      id: '111',
      riskLevel: 'high',
      riskState: 'atRisk',
      riskLastUpdatedDateTime: '2024-01-01T00:00:00Z',
      userPrincipalName: 'a@b.c',
      ...fields,
    });

  it('keeps the record with its text cleaned, counts what was cleaned and locates the first', async () => {
    const hostile = 'Ad\u0000min\u0007 \u202Egpj.exe\u202C \uD800 done \uD83D\uDE00';
    const { records, summary } = await parseAll('hostile.json', encode(`[${row({})},\n${row({ id: '222', userDisplayName: hostile })}]`));
    expect(records).toHaveLength(2);
    expect(summary.rejected).toBe(0);
    const cleaned = records.find((record) => record.id.endsWith('222'))!;
    expect(cleaned.displayName).toBe('Admin gpj.exe \uFFFD done \uD83D\uDE00');
    expect(summary.cleaned?.values).toBe(1);
    expect(summary.cleaned?.first).toMatchObject({ file: 'hostile.json', record: 2, line: 2, field: 'userDisplayName' });
    expect(summary.cleaned?.first.reason).toBe(
      '2 control characters removed; 2 bidirectional override characters removed; unpaired surrogates replaced by U+FFFD',
    );
    // The source record keeps what the file held.
    expect((cleaned.raw as { userDisplayName: string }).userDisplayName).toBe(hostile);
  });

  it('cuts a 10 MB value to the field cap, never inside a surrogate pair, and says so', async () => {
    const huge = `${'x'.repeat(MAX_FIELD_CHARS - 1)}\uD83D\uDE00${'y'.repeat(10_000_000)}`;
    const { records, summary } = await parseAll('huge.json', encode(`[${row({ userDisplayName: huge })}]`));
    expect(records).toHaveLength(1);
    const name = records[0]!.displayName!;
    expect(name.length).toBe(MAX_FIELD_CHARS);
    expect(name.endsWith('x…')).toBe(true);
    expect(summary.cleaned?.first.reason).toMatch(/^cut to 65,536 of its 10,065,537 characters/);
  });

  it('leaves ordinary text alone, tabs, line breaks and other scripts included, and notes nothing', async () => {
    const ordinary = 'Línea 1\r\n\tזה בסדר — 日本語 \uD83D\uDE00';
    const { records, summary } = await parseAll('fine.json', encode(`[${row({ userDisplayName: ordinary })}]`));
    expect(records[0]!.displayName).toBe(ordinary);
    expect(summary.cleaned).toBeUndefined();
  });

  const wellFormed = (text: string) => {
    try {
      encodeURIComponent(text);
      return true;
    } catch {
      return false;
    }
  };

  /** Any UTF-16 code units, unpaired surrogates included (fast-check's strings are well formed). */
  const anyCodeUnits = fc
    .array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 0x1b, 0x7f, 0x202e, 0x2066, 0xd800, 0xdfff, 0x41)), { maxLength: 200 })
    .map((units) => String.fromCharCode(...units));

  it('cleans any text it is given, and no cleaned text holds a control, an override or a lone surrogate', () => {
    // eslint-disable-next-line no-control-regex -- the characters the cleaning must remove
    const suspect = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;
    fc.assert(
      fc.property(anyCodeUnits, (text) => {
        const cleaned = cleanFieldText('f', text);
        expect(suspect.test(cleaned)).toBe(false);
        // encodeURIComponent throws on an unpaired surrogate: what breaks exporters and links.
        expect(() => encodeURIComponent(cleaned)).not.toThrow();
        if (wellFormed(text) && !suspect.test(text)) expect(cleaned).toBe(text);
      }),
    );
    takeFieldNotes();
  });
});

describe('parseExport on mixed files', () => {
  it('reads each record of a mixed NDJSON file by the format its own fields point to', async () => {
    const detection = JSON.parse(new TextDecoder().decode(readSample('identity-protection/list_risk_detections.json'))).value[0];
    const signIn = JSON.parse(new TextDecoder().decode(readSample('vendor-doc-examples/graph-signIns-list.json'))).value[0];
    const lines = [detection, signIn, { ...detection, id: 'second' }].map((row) => JSON.stringify(row)).join('\n');
    const { records, summary } = await parseAll('mixed.ndjson', encode(lines));
    expect(records.map((record) => record.kind)).toEqual(['riskDetection', 'signIn', 'riskDetection']);
    expect(summary).toMatchObject({ format: 'entra-risk-detection', otherFormats: ['entra-sign-in'], accepted: 3, rejected: 0 });
  });

  it('still rejects a record its file format refuses when its fields point nowhere else', async () => {
    const detection = JSON.parse(new TextDecoder().decode(readSample('identity-protection/list_risk_detections.json'))).value[0];
    const { activityDateTime: _a, detectedDateTime: _d, ...undated } = detection;
    const lines = [detection, { ...undated, id: 'undated' }].map((row) => JSON.stringify(row)).join('\n');
    const { summary } = await parseAll('bad.ndjson', encode(lines));
    expect(summary).toMatchObject({ accepted: 1, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ record: 2, field: 'activityDateTime', reason: 'missing timestamp' });
  });
});

describe('Log Analytics exports of Identity Protection tables', () => {
  it('reads AADUserRiskEvents and AADRiskyUsers portal CSV exports, [UTC] time columns included', async () => {
    const events = [
      'TenantId,Activity,ActivityDateTime [UTC],AdditionalInfo,CorrelationId,DetectedDateTime [UTC],DetectionTimingType,Id,IpAddress,LastUpdatedDateTime [UTC],Location,RequestId,RiskDetail,RiskEventType,RiskLevel,RiskState,Source,TokenIssuerType,UserDisplayName,UserId,UserPrincipalName,TimeGenerated [UTC],OperationName,SourceSystem,Type',
      't1,signin,"9/19/2023, 1:45:17.287 PM","[{""Key"":""userAgent"",""Value"":""Mozilla/5.0""}]",c1,"9/19/2023, 1:47:00.000 PM",realtime,d1,203.0.113.9,"9/19/2023, 1:50:00.000 PM","{""city"":""Lagos"",""countryOrRegion"":""NG""}",r1,none,unfamiliarFeatures,high,atRisk,IdentityProtection,AzureAD,Ada Lovelace,6b0b4e5e-1d5a-4b8a-9c39-0f0e6c1a2b3c,ada@contoso.com,"9/19/2023, 2:00:00.000 PM",User Risk Detection,Azure AD,AADUserRiskEvents',
    ].join('\r\n');
    const detections = await parseAll('AADUserRiskEvents.csv', encode(events));
    expect(detections.summary).toMatchObject({ format: 'entra-risk-detection', accepted: 1, rejected: 0 });
    expect(detections.records[0]).toMatchObject({
      time: Date.UTC(2023, 8, 19, 13, 45, 17, 287),
      riskLevel: 'high',
      location: { city: 'Lagos', country: 'NG' },
    });

    const users = [
      'TenantId,Id,IsDeleted,IsProcessing,RiskDetail,RiskLastUpdatedDateTime [UTC],RiskLevel,RiskState,UserDisplayName,UserPrincipalName,TimeGenerated [UTC],OperationName,CorrelationId,SourceSystem,Type',
      't1,6b0b4e5e-1d5a-4b8a-9c39-0f0e6c1a2b3c,false,false,none,"9/19/2023, 1:50:00.000 PM",high,atRisk,Ada Lovelace,ada@contoso.com,"9/19/2023, 2:00:00.000 PM",Risky user,c2,Azure AD,AADRiskyUsers',
      't1,0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6,true,false,adminDismissedAllRiskForUser,"9/18/2023, 8:00:00.000 AM",none,dismissed,,,"9/19/2023, 2:00:00.000 PM",Risky user,c3,Azure AD,AADRiskyUsers',
    ].join('\r\n');
    const risky = await parseAll('AADRiskyUsers.csv', encode(users));
    expect(risky.summary).toMatchObject({ format: 'entra-risky-user', accepted: 2, rejected: 0, unattributed: 0 });
    expect(risky.records.map((record) => record.identifiers.length)).toEqual([2, 1]);
  });
});

describe('parseExport when the first chunk is short', () => {
  // As Export-Csv writes it: a BOM, then every name quoted, so the first few bytes hold no delimiter at all.
  const csv =
    '\uFEFF"Id","RiskLevel","RiskState","RiskLastUpdatedDateTime","UserPrincipalName"\r\n' +
    '"5c1e6f0a-3b7d-4e2a-9f10-2d8c4b6a7e01","low","atRisk","1/27/2025 10:07:10 AM","a@b.example"\r\n';

  async function parseInChunks(text: string, size: number) {
    const bytes = encode(text);
    async function* chunks() {
      for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
    }
    let summary;
    for await (const event of parseExport('risky.csv', chunks())) if (event.type === 'end') summary = event.summary;
    return summary!;
  }

  it('waits for the whole CSV header before judging the file, even byte by byte', async () => {
    for (const size of [1, 2, 7, 64])
      expect(await parseInChunks(csv, size)).toMatchObject({ format: 'entra-risky-user', container: 'csv', accepted: 1, rejected: 0 });
  });

  it('still skips a note that is plainly not an export, and judges a file with no line break at its end', async () => {
    expect((await parseInChunks('These exports were taken on 2 May.\n', 3)).skipped).toMatch(/not an export/);
    expect((await parseInChunks('just one line without a break', 3)).skipped).toMatch(/not an export/);
  });
});

describe('skipSources: files of a disabled source', () => {
  const detections = () => readSample('identity-protection/list_risk_detections.json');

  it('names the format and skips the records of a disabled source', async () => {
    const { records, summary } = await parseAll('list_risk_detections.json', detections(), { skipSources: ['identity-protection'] });
    expect(records).toEqual([]);
    expect(summary).toMatchObject({ format: 'entra-risk-detection', source: 'identity-protection', accepted: 0, rejected: 0 });
    expect(summary.skipped).toBe('source disabled: Entra ID Protection is turned off in Settings');
    expect(summary.fatal).toBeUndefined();
  });

  it('reads files of the sources still enabled', async () => {
    const { records, summary } = await parseAll('list_risk_detections.json', detections(), { skipSources: ['defender-xdr', 'defender-for-identity'] });
    expect(summary.skipped).toBeUndefined();
    expect(records).toHaveLength(1);
  });

  it('stops reading a large disabled file after detection', async () => {
    const record = (i: number) =>
      JSON.stringify({
        id: `d${i}`,
        riskEventType: 'unfamiliarFeatures',
        riskLevel: 'low',
        riskState: 'atRisk',
        detectedDateTime: '2026-10-01T00:00:00Z',
        userId: `u${i}`,
        userPrincipalName: `u${i}@x.test`,
      });
    const chunks = Array.from({ length: 200 }, (_, c) => encode(Array.from({ length: 100 }, (_, i) => record(c * 100 + i)).join('\n') + '\n'));
    let pulled = 0;
    async function* stream() {
      for (const chunk of chunks) {
        pulled++;
        yield chunk;
      }
    }
    let summary: FileSummary | undefined;
    const batches: number[] = [];
    for await (const event of parseExport('detections.ndjson', stream(), { skipSources: ['identity-protection'] })) {
      if (event.type === 'batch') batches.push(event.records.length);
      if (event.type === 'end') summary = event.summary;
    }
    expect(summary?.skipped).toMatch(/^source disabled/);
    expect(summary?.format).toBe('entra-risk-detection');
    expect(batches).toEqual([]);
    expect(pulled).toBeLessThan(5);
  });

  it('skips one member of an archive and reads the other', async () => {
    const archive = zipSync({ 'detections.json': detections(), 'alerts.json': readSample('vendor-doc-examples/xdr-incidents-list.json') });
    const summaries: FileSummary[] = [];
    async function* one() {
      yield archive;
    }
    for await (const event of parseInput('bundle.zip', one(), { skipSources: ['identity-protection'] }))
      if (event.type === 'end') summaries.push(event.summary);
    expect(summaries.map((summary) => [summary.file, summary.skipped ?? summary.format])).toEqual([
      ['bundle.zip/detections.json', 'source disabled: Entra ID Protection is turned off in Settings'],
      ['bundle.zip/alerts.json', 'xdr-incident'],
    ]);
  });
});

describe('CSV preambles: the line Windows PowerShell 5.1 or Excel writes above the header (test/fixtures/preambles)', () => {
  const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
  const read = (path: string) => new Uint8Array(readFileSync(fixtures + path));
  const text = (path: string) => new TextDecoder().decode(read(path));

  it.each([
    ['preambles/RiskyUsers-typeinfo.csv', 'tools/extractor-suite/RiskyUsers.csv'],
    ['preambles/UAL-typeinfo.csv', 'tools/extractor-suite/UAL-20250126200000.csv'],
    ['preambles/RiskyUsers-sep-semicolon.csv', 'tools/extractor-suite/RiskyUsers.csv'],
  ])('imports %s exactly as %s, however it is chunked', async (derived, source) => {
    const reference = await parseAll(source, read(source));
    expect(reference.summary).toMatchObject({ container: 'csv', rejected: 0 });
    expect(reference.records.length).toBeGreaterThan(0);
    for (const size of [read(derived).length, 1, 7]) {
      const { records, summary } = await parseInPieces(derived, read(derived), size);
      expect(summary).toMatchObject({ format: reference.summary.format, container: 'csv', accepted: reference.summary.accepted, rejected: 0 });
      expect(summary.skipped).toBeUndefined();
      expect(summary.fatal).toBeUndefined();
      expect(records).toEqual(reference.records);
    }
  });

  it('counts the preamble line in the physical line numbers of later errors', async () => {
    // The fixtures hold a preamble, a header and five rows: a ragged row appended is on line 8.
    for (const [file, ragged] of [
      ['preambles/RiskyUsers-typeinfo.csv', '"only one field"\r\n'],
      ['preambles/RiskyUsers-sep-semicolon.csv', '"only one field"\r\n'],
    ] as const) {
      const { summary } = await parseAll(file, encode(text(file) + ragged));
      expect(summary.errors).toEqual<RecordError[]>([{ file, record: 6, line: 8, reason: 'row has 1 fields where the header has 10' }]);
    }
    // A quoted field left open says where it opened, preamble counted.
    const cut = text('preambles/UAL-typeinfo.csv') + '"AzureActiveDirectory","1/26/2025 9:00:00 PM","x","UserLoggedIn","{""never closed\r\n';
    expect((await parseAll('UAL-typeinfo.csv', encode(cut))).summary.fatal).toMatchObject({ line: 6, reason: expect.stringMatching(/opened at line 6/) });
  });

  it('takes the delimiter a sep= line names, even where the header alone would suggest another', async () => {
    // Five semicolons and five commas: sniffing alone would split this header on commas.
    const csv =
      'sep=;\r\nid;riskLevel;riskState;riskLastUpdatedDateTime;userPrincipalName;note, with, a, few, commas, in it\r\n111;high;atRisk;2024-01-01T00:00:00Z;a@b.c;x, y\r\n';
    const { records, summary } = await parseAll('risky.csv', encode(csv));
    expect(summary).toMatchObject({ format: 'entra-risky-user', accepted: 1, rejected: 0 });
    expect(records[0]).toMatchObject({ id: 'riskyUser:111', riskLevel: 'high' });
  });

  it('still skips a file whose preamble stands over no header', async () => {
    const { summary } = await parseAll('notes.csv', encode('#TYPE System.Management.Automation.PSCustomObject\r\nThese were exported on Monday, by hand.\r\n'));
    expect(summary.skipped).toMatch(/^not an export: neither JSON nor CSV \(it starts with "#TYPE/);
  });
});

describe('parseExport when the records detection samples are malformed JSON', () => {
  const users = JSON.parse(new TextDecoder().decode(readSample('identity-protection/list_risky_users.json'))).value as Record<string, unknown>[];
  /** A risky user as Python's json.dumps writes one with a float('nan') in it. */
  const withNaN = (i: number) => JSON.stringify({ ...users[i % users.length], id: `nan-${i}`, score: 0 }).replace('"score":0', '"score": NaN');
  const valid = (i: number) => JSON.stringify({ ...users[i % users.length], id: `ok-${i}` });

  it('recognises the format from the valid records after them, and rejects each malformed one at its line and column', async () => {
    const lines = [...Array.from({ length: 25 }, (_, i) => withNaN(i)), ...Array.from({ length: 5 }, (_, i) => valid(i))];
    const { records, summary } = await parseAll('nan.ndjson', encode(lines.join('\n') + '\n'));
    expect(summary).toMatchObject({ format: 'entra-risky-user', accepted: 5, rejected: 25 });
    expect(summary.fatal).toBeUndefined();
    expect(records.map((record) => record.id)).toEqual(['riskyUser:ok-0', 'riskyUser:ok-1', 'riskyUser:ok-2', 'riskyUser:ok-3', 'riskyUser:ok-4']);
    expect(summary.errors.map((error) => error.line)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(summary.errors[2]).toEqual<RecordError>({
      file: 'nan.ndjson',
      record: 3,
      line: 3,
      reason: expect.stringMatching(new RegExp(`^malformed JSON at line 3, column ${lines[2]!.indexOf('NaN') + 1}: Unexpected token 'N'`)),
    });
  });

  it('uses the valid records of its sample and rejects the malformed ones between them, in a minified array', async () => {
    const text = `[${[withNaN(0), valid(1), withNaN(2), valid(3)].join(',')}]`;
    const { summary } = await parseAll('mixed.json', encode(text));
    expect(summary).toMatchObject({ format: 'entra-risky-user', accepted: 2, rejected: 2 });
    expect(summary.errors.map((error) => [error.record, error.line, error.reason.split(':')[0]])).toEqual([
      [1, 1, `malformed JSON at line 1, column ${text.indexOf('NaN') + 1}`],
      [3, 1, `malformed JSON at line 1, column ${text.lastIndexOf('NaN') + 1}`],
    ]);
  });

  it('fails a file of which no record could be read on the first malformed one, named with its line', async () => {
    const single = `[{'id': '111', 'riskLevel': 'high', 'riskState': 'atRisk', 'userPrincipalName': 'a@b.c'}]`;
    const { summary } = await parseAll('quotes.json', encode(single));
    expect(summary.fatal).toEqual<RecordError>({
      file: 'quotes.json',
      record: 1,
      line: 1,
      reason: "unrecognized export: its first record could not be read (record 1: malformed JSON at line 1, column 3: Expected property name or '}')",
    });
    expect(summary).toMatchObject({ accepted: 0, rejected: 1, errors: [{ file: 'quotes.json', record: 1, line: 1 }] });
  });

  it('judges a file of nothing but malformed records without holding it whole', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => withNaN(i));
    const { summary } = await parseAll('nan.ndjson', encode(lines.join('\n')));
    expect(summary.fatal).toMatchObject({
      record: 1,
      line: 1,
      reason: expect.stringMatching(/^unrecognized export: none of its first \d+ records could be read \(record 1: malformed JSON at line 1/),
    });
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.rejected).toBeLessThan(1000);
  });
});

describe('slash dates: the order is decided per file, from its own dates', () => {
  // Extractor-Suite's RiskyUsers.csv columns, with RiskLastUpdatedDateTime written in the machine's culture.
  const riskyUsers = (dates: string[]) =>
    encode(
      [
        '"Id","IsDeleted","IsProcessing","RiskDetail","RiskLastUpdatedDateTime","RiskLevel","RiskState","UserDisplayName","UserPrincipalName"',
        ...dates.map(
          (date, i) =>
            `"${(i + 1).toString(16).padStart(8, '0')}-3b7d-4e2a-9f10-2d8c4b6a7e01","False","False","none","${date}","high","atRisk","User ${i}","user${i}@contoso.com"`,
        ),
      ].join('\r\n'),
    );
  const times = (records: NormalizedRecord[]) => records.map((record) => new Date(record.time).toISOString().slice(0, 10));

  it('reads a day-first file day first, its first rows too, once a later row shows a day past the 12th', async () => {
    // en-GB: the first 30 rows are ambiguous (5 March), row 31 can only be day first.
    const dates = [...Array.from({ length: 30 }, () => '05/03/2025 10:00:00'), '13/03/2025 09:00:00', '01/04/2025 08:00:00'];
    const { records, summary } = await parseAll('RiskyUsers.csv', riskyUsers(dates));
    expect(summary).toMatchObject({ accepted: 32, rejected: 0, dateOrder: 'day-first' });
    expect(summary.dateOrderGuessed).toBeUndefined();
    expect(times(records)).toEqual([...Array(30).fill('2025-03-05'), '2025-03-13', '2025-04-01']);
  });

  it('reads a month-first file month first, and rejects a row that contradicts it, naming the order', async () => {
    const dates = ['03/05/2025 10:00:00 AM', '03/13/2025 9:00:00 AM', '14/03/2025 10:00:00', '04/01/2025 8:00:00 PM'];
    const { records, summary } = await parseAll('RiskyUsers.csv', riskyUsers(dates));
    expect(summary).toMatchObject({ accepted: 3, rejected: 1, dateOrder: 'month-first' });
    expect(times(records)).toEqual(['2025-03-05', '2025-03-13', '2025-04-01']);
    expect(summary.errors[0]).toMatchObject({ record: 3, line: 4 });
    expect(summary.errors[0]!.reason).toMatch(/14\/03\/2025.*read month first/);
  });

  it('reads a file whose dates never tell month first, and says it guessed', async () => {
    const { records, summary } = await parseAll('RiskyUsers.csv', riskyUsers(['05/03/2025 10:00:00', '06/03/2025 10:00:00']));
    expect(summary).toMatchObject({ accepted: 2, dateOrder: 'month-first', dateOrderGuessed: true });
    expect(times(records)).toEqual(['2025-05-03', '2025-06-03']);
  });

  it('decides the same however the bytes are cut, and leaves files without slash dates alone', async () => {
    const dates = [...Array.from({ length: 25 }, (_, i) => `${String((i % 12) + 1).padStart(2, '0')}/03/2025 10:00:00`), '28/03/2025 10:00:00'];
    const whole = await parseAll('RiskyUsers.csv', riskyUsers(dates));
    for (const size of [1, 7, 100]) {
      const pieces = await parseInPieces('RiskyUsers.csv', riskyUsers(dates), size);
      expect(times(pieces.records)).toEqual(times(whole.records));
    }
    expect(whole.summary.dateOrder).toBe('day-first');
    const iso = await parseAll('RiskyUsers.csv', riskyUsers(['2025-03-05T10:00:00Z']));
    expect(iso.summary.dateOrder).toBeUndefined();
    expect(times(iso.records)).toEqual(['2025-03-05']);
  });
});
