import { describe, expect, it } from 'vitest';
import { defaultPreferences, nextTheme, readPreferences, setAnalystName, setTheme, toggleTimeZone, usePreferences } from './preferences.ts';

describe('preferences', () => {
  it('reads only valid values back from storage, and defaults the rest', () => {
    expect(readPreferences({ timeZone: 'local', theme: 'dark' })).toEqual({ timeZone: 'local', theme: 'dark' });
    expect(readPreferences({ timeZone: 'Europe/Paris', theme: 'purple' })).toEqual(defaultPreferences);
    expect(readPreferences({ theme: 'light' })).toEqual({ timeZone: 'utc', theme: 'light' });
    for (const junk of [null, undefined, 'dark', 42, []]) expect(readPreferences(junk)).toEqual(defaultPreferences);
  });

  it('keeps the analyst name decisions are signed with, trimmed, and forgets a blank one', () => {
    expect(readPreferences({ analystName: '  Ada Lovelace ' })).toEqual({ ...defaultPreferences, analystName: 'Ada Lovelace' });
    expect(readPreferences({ analystName: '   ' })).toEqual(defaultPreferences);
    expect(readPreferences({ analystName: 7 })).toEqual(defaultPreferences);
    expect(readPreferences({ analystName: 'x'.repeat(300) }).analystName).toHaveLength(100);
    setAnalystName(' Grace ');
    expect(usePreferences.getState().analystName).toBe('Grace');
    setAnalystName('');
    expect(usePreferences.getState().analystName).toBeUndefined();
  });

  it('steps the theme System → Light → Dark → System', () => {
    expect([nextTheme('system'), nextTheme('light'), nextTheme('dark')]).toEqual(['light', 'dark', 'system']);
  });

  it('starts in UTC following the OS theme, and changes through its actions', () => {
    expect(usePreferences.getState()).toMatchObject(defaultPreferences);
    toggleTimeZone();
    setTheme('dark');
    expect(usePreferences.getState()).toMatchObject({ timeZone: 'local', theme: 'dark' });
    toggleTimeZone();
    expect(usePreferences.getState().timeZone).toBe('utc');
  });
});
