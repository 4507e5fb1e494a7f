import type { FormatAdapter } from '../../adapter.ts';

/** Alert and incident formats: Graph security alerts and incidents, Defender XDR, Sentinel, Cloud Apps. */
export const alertAdapters: readonly FormatAdapter[] = [];
