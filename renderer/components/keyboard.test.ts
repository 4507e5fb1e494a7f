import { describe, expect, it } from 'vitest';
import { isPlainKey, moveIndex } from './keyboard.ts';

describe('list keyboard', () => {
  it('moves within the list and stops at its ends', () => {
    expect(moveIndex(0, 1, 3)).toBe(1);
    expect(moveIndex(2, 1, 3)).toBe(2);
    expect(moveIndex(0, -1, 3)).toBe(0);
    expect(moveIndex(1, -1, 3)).toBe(0);
  });

  it('starts at the first row going down and the last going up when nothing is selected', () => {
    expect(moveIndex(-1, 1, 5)).toBe(0);
    expect(moveIndex(-1, -1, 5)).toBe(4);
    expect(moveIndex(-1, 1, 0)).toBe(-1);
    expect(moveIndex(3, 1, 0)).toBe(-1);
  });

  it('leaves Ctrl, Cmd and Alt chords to the browser and the OS', () => {
    expect(isPlainKey({ ctrlKey: false, metaKey: false, altKey: false })).toBe(true);
    expect(isPlainKey({ ctrlKey: true, metaKey: false, altKey: false })).toBe(false);
    expect(isPlainKey({ ctrlKey: false, metaKey: true, altKey: false })).toBe(false);
    expect(isPlainKey({ ctrlKey: false, metaKey: false, altKey: true })).toBe(false);
  });
});
