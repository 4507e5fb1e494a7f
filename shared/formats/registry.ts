import type { FormatAdapter } from './adapter.ts';
import { entraRiskDetection } from './adapters/entra-risk-detection.ts';
import { entraRiskyUser } from './adapters/entra-risky-user.ts';
import { entraSignIn } from './adapters/entra-sign-in.ts';
import { activityAdapters } from './adapters/activities/index.ts';
import { alertAdapters } from './adapters/alerts/index.ts';

/** Every format we read. Order breaks ties in detection: more specific formats first. */
export const adapters: readonly FormatAdapter[] = [entraRiskDetection, entraRiskyUser, ...alertAdapters, entraSignIn, ...activityAdapters];

/** A score at or above this means "this is the format"; below it we only name the closest one. */
export const DETECTION_THRESHOLD = 0.6;

export interface Detection {
  adapter: FormatAdapter | undefined;
  closest: { adapter: FormatAdapter; score: number } | undefined;
}

export function detectFormat(fields: ReadonlySet<string>): Detection {
  let best: { adapter: FormatAdapter; score: number } | undefined;
  for (const adapter of adapters) {
    const score = adapter.detect(fields);
    if (!best || score > best.score) best = { adapter, score };
  }
  return { adapter: best && best.score >= DETECTION_THRESHOLD ? best.adapter : undefined, closest: best && best.score > 0 ? best : undefined };
}
