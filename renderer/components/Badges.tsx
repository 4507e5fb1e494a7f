import { sourceLabels, sourceShortLabels, type SourceProduct } from '../../shared/model/records.ts';
import { humanize } from './format.ts';

const severityScale = new Set(['high', 'medium', 'low', 'informational']);

/** Severity and Entra risk level share one colour scale (tokens.css --severity-*). */
export function RiskLevelBadge({ level }: { level: string | undefined }) {
  const value = level ?? 'none';
  return <span className={`badge badge-sev badge-sev-${severityScale.has(value) ? value : 'none'}`}>{humanize(value)}</span>;
}

const stateTone: Record<string, string> = {
  atRisk: 'danger',
  confirmedCompromised: 'danger',
  remediated: 'success',
  dismissed: 'neutral',
  confirmedSafe: 'success',
  none: 'neutral',
};

export function RiskStateBadge({ state }: { state: string | undefined }) {
  const value = state ?? 'none';
  return <span className={`badge badge-outline badge-${stateTone[value] ?? 'neutral'}`}>{humanize(value)}</span>;
}

/** A product's name; `short` for table columns, where a cut-off "Defender fo…" cannot tell MDI from MDCA. */
export function SourceLabel({ source, short = false }: { source: SourceProduct; short?: boolean }) {
  const label = sourceLabels[source] ?? source;
  return short ? (
    <span className="source" title={label}>
      {sourceShortLabels[source] ?? label}
    </span>
  ) : (
    <span className="source">{label}</span>
  );
}

export function ResultBadge({ success, label }: { success: boolean; label?: string }) {
  return <span className={`badge badge-${success ? 'success' : 'danger'}`}>{label ?? (success ? 'Success' : 'Failure')}</span>;
}
