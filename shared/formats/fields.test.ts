import { describe, expect, it } from 'vitest';
import { FieldReader } from './fields.ts';

describe('FieldReader', () => {
  it('reads names in any case, with type suffixes and UTC labels, and prefers the filled one of two spellings', () => {
    const reader = new FieldReader({
      UserPrincipalName: 'a@b.c',
      'CreatedDateTime [UTC]': '2026-10-01',
      Location_dynamic: '',
      Location_string: '{"City":"Oslo"}',
    });
    expect(reader.string('userPrincipalName')).toBe('a@b.c');
    expect(reader.string('createdDateTime')).toBe('2026-10-01');
    expect(reader.object('location')?.string('city')).toBe('Oslo');
    expect(reader.has('LOCATION')).toBe(true);
    expect(reader.names()).toEqual(new Set(['userprincipalname', 'createddatetime', 'location']));
  });

  it('reads each record by its own names when records share some names, their count and the first', () => {
    // Same count and first name: the shapes meet in one bucket and must still be told apart.
    const first = new FieldReader({ Id: '1', UserPrincipalName: 'a@b.c', AppDisplayName: 'Teams' });
    const second = new FieldReader({ Id: '2', IPAddress: '10.0.0.1', AppDisplayName: 'Outlook' });
    const third = new FieldReader({ Id: '3', UserPrincipalName: 'c@d.e', AppDisplayName: 'Teams' });
    expect(
      [first, second, third].map((reader) => [
        reader.string('id'),
        reader.string('userPrincipalName'),
        reader.string('ipAddress'),
        reader.string('appDisplayName'),
      ]),
    ).toEqual([
      ['1', 'a@b.c', undefined, 'Teams'],
      ['2', undefined, '10.0.0.1', 'Outlook'],
      ['3', 'c@d.e', undefined, 'Teams'],
    ]);
    // One shape, values filled in different spellings from record to record.
    const rows = [
      { Status_dynamic: '', Status_string: 'failure' },
      { Status_dynamic: 'success', Status_string: '' },
      { Status_dynamic: null, Status_string: null },
    ];
    expect(rows.map((row) => new FieldReader(row).string('status'))).toEqual(['failure', 'success', undefined]);
  });

  it('gathers flattened columns back into an object, only from filled columns', () => {
    const reader = new FieldReader({ 'Location.City': 'Oslo', 'Location.CountryOrRegion': 'NO', 'Location.State': '', Id: 'x' });
    expect(reader.object('location')?.record).toEqual({ city: 'Oslo', countryorregion: 'NO' });
  });
});
