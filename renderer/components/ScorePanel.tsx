import { useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { featureLabels } from '../../shared/score/baseline.ts';
import { ALGORITHM_VERSION, INPUT_CAP, RED_PERCENTILE, WINDOW_DAYS, ZETA_1_5 } from '../../shared/score/constants.ts';
import type { LedgerEntry } from '../../shared/score/score.ts';
import type { ScoreRow, TrendRow } from '../db/schema.ts';
import { formatNumber, humanize, ordinal } from './format.ts';
import { Time } from './Time.tsx';

const bandTone: Record<string, string> = { critical: 'danger', high: 'danger', elevated: 'warning', guarded: 'info', low: 'neutral' };

export function BandBadge({ band }: { band: string }) {
  return <span className={`badge badge-${bandTone[band] ?? 'neutral'}`}>{humanize(band)}</span>;
}

/** Percentile among users with a score above 0; red at the 90th and above, as the retired score showed it. */
/** `97th percentile`; `short` (a column headed Percentile) leaves the word out. */
export function Percentile({ value, short = false }: { value: number; short?: boolean }) {
  const text = value > 0 ? `${ordinal(Math.round(value))}${short ? '' : ' percentile'}` : '—';
  return <span className={['nowrap', value >= RED_PERCENTILE && 'error-text strong'].filter(Boolean).join(' ')}>{text}</span>;
}

const flagNames: Record<string, string> = {
  firstForUser: 'first for user',
  uncommonForUser: 'uncommon for user',
  uncommonInOrg: 'uncommon in org',
  firstInOrg: 'first in org',
};

/**
 * The raised flags as chips that wrap side by side: the name only, so the column stays narrow; which
 * features raised each one is on hover here and spelled out in the row's "Why".
 */
function FlagChips({ entry }: { entry: LedgerEntry }) {
  const raised = (Object.keys(entry.flags) as (keyof LedgerEntry['flags'])[]).filter((flag) => entry.flags[flag]);
  if (!raised.length) return <span className="muted">none</span>;
  return (
    <ul className="flag-chips">
      {raised.map((flag) => {
        const evidence = entry.flagEvidence[flag]?.map((feature) => featureLabels[feature]).join(', ');
        return (
          <li key={flag} className="flag-chip" title={evidence ? `${flagNames[flag] ?? flag}: ${evidence}` : undefined}>
            {flagNames[flag] ?? flag}
          </li>
        );
      })}
    </ul>
  );
}

type SortKey = 'contribution' | 'time' | 'base';

/** The daily trend: hovering a day says what entered or left the user's top inputs. */
function Trend({ trend }: { trend: TrendRow }) {
  const points = trend.days.map((day, i) => {
    const before = new Set((trend.days[i - 1]?.top ?? []).map((input) => input.recordId));
    const now = new Set(day.top.map((input) => input.recordId));
    return {
      day: day.day,
      score: Math.round(day.score * 10) / 10,
      entered: day.top.filter((input) => !before.has(input.recordId)).map((input) => input.label),
      left: (trend.days[i - 1]?.top ?? []).filter((input) => !now.has(input.recordId)).map((input) => input.label),
    };
  });
  return (
    <div className="trend-chart" data-testid="score-trend" role="img" aria-label="Daily investigation priority, one point per day of data">
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="day" tick={{ fontSize: 11, fill: 'var(--text-muted)' }} minTickGap={24} />
          <YAxis domain={[0, 100]} tick={{ fontSize: 11, fill: 'var(--text-muted)' }} />
          <Tooltip
            content={({ active, payload }) => {
              const point = active ? (payload?.[0]?.payload as (typeof points)[number] | undefined) : undefined;
              if (!point) return null;
              return (
                <div className="chart-tooltip">
                  <strong>
                    {point.day}: {point.score}
                  </strong>
                  {point.entered.length > 0 && <p>Entered: {point.entered.join('; ')}</p>}
                  {point.left.length > 0 && <p>Left: {point.left.join('; ')}</p>}
                  {!point.entered.length && !point.left.length && <p className="muted">No change in the top inputs</p>}
                </div>
              );
            }}
          />
          <Line type="monotone" dataKey="score" stroke="var(--accent)" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * The user page's investigation priority: the score, its band and percentile, the daily trend, and
 * the ledger, where every point traces to a record, its flags and the constants.
 */
export function ScorePanel({ score, trend, scoredUsers }: { score?: ScoreRow; trend?: TrendRow; scoredUsers: number }) {
  const [sort, setSort] = useState<SortKey>('contribution');
  const inputs = useMemo(() => {
    const list = [...(score?.inputs ?? [])];
    if (sort === 'time') list.sort((a, b) => b.time - a.time);
    else if (sort === 'base') list.sort((a, b) => b.base - a.base || b.contribution - a.contribution);
    else list.sort((a, b) => b.contribution - a.contribution);
    return list;
  }, [score, sort]);

  if (!score)
    return (
      <section className="panel" aria-labelledby="priority-title" data-testid="score-panel">
        <h2 id="priority-title">Investigation priority</h2>
        <p className="muted">
          {scoredUsers ? 'Nothing in this user’s recent records counts towards a priority.' : 'Scores are computed after an import finishes.'}
        </p>
      </section>
    );
  const sortButton = (key: SortKey, label: string) => (
    <button type="button" className="button link" aria-pressed={sort === key} onClick={() => setSort(key)}>
      {label}
    </button>
  );
  return (
    <section className="panel" aria-labelledby="priority-title" data-testid="score-panel">
      <header className="panel-header">
        <h2 id="priority-title">Investigation priority</h2>
        <span className="muted small">
          {ALGORITHM_VERSION} · as of <Time value={score.asOf} /> · {WINDOW_DAYS}-day window
        </span>
      </header>
      <p className="score-line">
        <span className="score-value" data-testid="score-value">
          {score.score.toFixed(1)}
        </span>{' '}
        <BandBadge band={score.band} /> <Percentile value={score.percentile} />
        <span className="muted small">
          {' '}
          · rank {formatNumber(score.rank)} of {formatNumber(scoredUsers)}
          {score.confirmedCompromised ? ' · confirmed compromised: ranked first whatever the score' : ''}
        </span>
      </p>
      {trend && trend.days.length > 1 && <Trend trend={trend} />}
      <p className="muted small">
        Each input is worth v = base × m × d (at most {INPUT_CAP}); the score adds them largest first as 100 · Σ v<sub>i</sub> / i<sup>1.5</sup> / ({INPUT_CAP}{' '}
        · {ZETA_1_5}).
      </p>
      <table className="table" data-testid="score-ledger" aria-label="Score ledger">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Input</th>
            <th scope="col">{sortButton('time', 'When')}</th>
            <th scope="col">{sortButton('base', 'Base')}</th>
            <th scope="col" className="ledger-flags">
              Flags
            </th>
            <th scope="col">m</th>
            <th scope="col">d</th>
            <th scope="col">{sortButton('contribution', 'Points')}</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {inputs.map((entry) => (
            <tr key={entry.recordId}>
              <td className="numeric">{entry.rank}</td>
              <td className="ledger-input">
                {entry.label} <span className="muted small">({humanize(entry.kind)})</span>
              </td>
              <td className="nowrap">
                <Time value={entry.time} bare />
              </td>
              <td className="numeric">{entry.base}</td>
              <td className="ledger-flags">
                <FlagChips entry={entry} />
              </td>
              <td className="numeric">{entry.m.toFixed(2)}</td>
              <td className="numeric" title={`${entry.k} other users`}>
                {entry.d.toFixed(2)}
              </td>
              <td className="numeric">
                <strong>{entry.contribution.toFixed(2)}</strong>
              </td>
              <td className="small ledger-why">{entry.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {score.notCounted.length > 0 && (
        <details className="not-counted" data-testid="score-not-counted">
          <summary>{formatNumber(score.notCounted.length)} not counted, and why</summary>
          <ul>
            {score.notCounted.map((entry) => (
              <li key={entry.recordId}>
                <Time value={entry.time} bare /> {entry.label}: {entry.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
