import { describe, expect, it } from 'vitest';
import { FORMAT_LABELS, formatLabel } from './labels.ts';
import { adapters } from './registry.ts';

describe('format labels', () => {
  it('name every adapter, and only adapters', () => {
    expect(Object.keys(FORMAT_LABELS).sort()).toEqual(adapters.map((adapter) => adapter.id).sort());
    for (const adapter of adapters) expect(formatLabel(adapter.id)).toBe(adapter.label);
  });

  it('show an unknown id as it is', () => {
    expect(formatLabel('some-future-format')).toBe('some-future-format');
  });
});
