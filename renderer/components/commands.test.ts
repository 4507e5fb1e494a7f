import { describe, expect, it } from 'vitest';
import { matchScore, rankCommands } from './commands.ts';

const command = (label: string, group: string, keywords?: string) => ({ label, group, keywords });

const palette = [
  command('Dashboard', 'Go to'),
  command('Alerts', 'Go to'),
  command('Activities', 'Go to'),
  command('Users', 'Go to'),
  command('Incidents', 'Go to'),
  command('Show times in local time', 'Preferences', 'time zone utc local clock'),
  command('Switch theme to Dark', 'Preferences', 'theme dark light system appearance'),
  command('Import files…', 'Workspace', 'open add load exports'),
  command('Load demo workspace', 'Workspace', 'sample example northwind'),
  command('Rafael Zeller', 'User', 'rafael.zeller@northwindtraders.example'),
  command('Carlos Moreau', 'User', 'carlos.moreau@northwindtraders.example'),
];
const labels = (query: string) => rankCommands(palette, query).map((entry) => entry.label);

describe('command palette matching', () => {
  it('lists everything, in the given order, for an empty query', () => {
    expect(labels('')).toEqual(palette.map((entry) => entry.label));
    expect(labels('   ')).toHaveLength(palette.length);
  });

  it('puts a label that starts with the query before one that merely contains it', () => {
    expect(labels('a')[0]).toBe('Alerts');
    expect(labels('act')).toEqual(['Activities']);
    // "in" starts Incidents, is a word of "Show times in local time", and only hides inside "northwind" for the rest.
    expect(labels('in')).toEqual(['Incidents', 'Show times in local time', 'Load demo workspace', 'Rafael Zeller', 'Carlos Moreau']);
  });

  it('finds commands by keyword and users by UPN, case-insensitively', () => {
    expect(labels('DARK')).toEqual(['Switch theme to Dark']);
    expect(labels('utc')).toEqual(['Show times in local time']);
    expect(labels('zeller@north')).toEqual(['Rafael Zeller']);
    expect(labels('northwind')).toEqual(['Load demo workspace', 'Rafael Zeller', 'Carlos Moreau']);
  });

  it('needs every word of the query, in any order', () => {
    expect(labels('theme switch')).toEqual(['Switch theme to Dark']);
    expect(labels('moreau rafael')).toEqual([]);
    expect(matchScore(command('Switch theme to Dark', 'Preferences'), 'theme sw')).toBe(1);
    expect(matchScore(command('Switch theme to Dark', 'Preferences'), 'itch')).toBe(2);
    expect(matchScore(command('Users', 'Go to'), 'go users')).toBe(3);
    expect(matchScore(command('Users', 'Go to'), 'settings')).toBeUndefined();
  });

  it('caps the list', () => {
    expect(rankCommands(palette, '', 3)).toHaveLength(3);
  });
});
