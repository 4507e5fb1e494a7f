import { sourceLabels, type SourceProduct } from '../../shared/model/records.ts';
import { humanize } from './format.ts';

const levelTone: Record<string, string> = { high: 'danger', medium: 'warning', low: 'info', informational: 'neutral', none: 'neutral', hidden: 'neutral' };

export function RiskLevelBadge({ level }: { level: string | undefined }) {
  const value = level ?? 'none';
  return <span className={`badge badge-${levelTone[value] ?? 'neutral'}`}>{humanize(value)}</span>;
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

export function SourceLabel({ source }: { source: SourceProduct }) {
  return <span className="source">{sourceLabels[source] ?? source}</span>;
}

export function ResultBadge({ success, label }: { success: boolean; label?: string }) {
  return <span className={`badge badge-${success ? 'success' : 'danger'}`}>{label ?? (success ? 'Success' : 'Failure')}</span>;
}
