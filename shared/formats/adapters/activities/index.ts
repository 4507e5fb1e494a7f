import type { FormatAdapter } from '../../adapter.ts';

/** Activity formats: Defender for Identity hunting tables, Cloud Apps, the unified audit log, directory audit, workload sign-ins. */
export const activityAdapters: readonly FormatAdapter[] = [];
