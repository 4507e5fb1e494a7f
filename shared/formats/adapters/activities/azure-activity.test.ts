import { describe, expect, it } from 'vitest';
import { readPowerShellObject } from './azure-activity.ts';

describe("PowerShell's display of an object, as Export-Csv writes nested parts", () => {
  it('reads keys and values, URL keys included', () => {
    expect(readPowerShellObject('@{value=Succeeded; localizedValue=Succeeded}')).toEqual({ value: 'Succeeded', localizedValue: 'Succeeded' });
    expect(readPowerShellObject('@{aud=https://management.core.windows.net/; http://schemas.microsoft.com/identity/claims/objectidentifier=8a2f}')).toEqual({
      aud: 'https://management.core.windows.net/',
      'http://schemas.microsoft.com/identity/claims/objectidentifier': '8a2f',
    });
  });

  it('keeps a semicolon inside a value that no key follows, and empty values', () => {
    expect(readPowerShellObject('@{message=a; b; c; value=}')).toEqual({ message: 'a; b; c', value: '' });
    expect(readPowerShellObject('@{}')).toEqual({});
  });

  it('refuses text that is not such a display', () => {
    expect(readPowerShellObject('Succeeded')).toBeUndefined();
    expect(readPowerShellObject('@{no key here}')).toBeUndefined();
    expect(readPowerShellObject('System.Object[]')).toBeUndefined();
  });
});
