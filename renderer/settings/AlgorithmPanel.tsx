import { SCORING_CONSTANTS } from '../../shared/score/constants.ts';
import { humanize } from '../components/format.ts';

const c = SCORING_CONSTANTS;
const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * Settings → Investigation priority: the algorithm's version and every constant it uses, as
 * `shared/score/constants.ts` holds them, so an analyst can recompute any point of a ledger by hand.
 */
export function AlgorithmPanel() {
  const bands = [...c.bands].reverse();
  return (
    <section className="panel" aria-labelledby="algorithm-title" data-testid="algorithm-panel">
      <header className="panel-header">
        <h2 id="algorithm-title">Investigation priority</h2>
        <span className="muted small">Sightline’s own, open score: not Microsoft’s retired one.</span>
      </header>
      <dl className="fields">
        <div className="field">
          <dt>Algorithm</dt>
          <dd className="mono" data-testid="algorithm-version">
            {c.algorithmVersion}
          </dd>
        </div>
        <div className="field">
          <dt>Window</dt>
          <dd>{c.windowDays} days before the newest record in the workspace (exports are offline: the wall clock would make every score 0)</dd>
        </div>
        <div className="field">
          <dt>Base points</dt>
          <dd>
            {Object.entries(c.basePoints)
              .map(([level, points]) => `${level} ${points}`)
              .join(' · ')}{' '}
            · a flagged activity with no severity {c.activityBasePoints} · an unknown severity {c.unknownSeverityPoints}
          </dd>
        </div>
        <div className="field">
          <dt>Multiplier m</dt>
          <dd>
            1 +{' '}
            {Object.entries(c.flagWeights)
              .map(([flag, weight]) => `${weight} × ${humanize(flag).toLowerCase()}`)
              .join(' + ')}{' '}
            (1 ≤ m ≤ 2.5)
          </dd>
        </div>
        <div className="field">
          <dt>Baselines</dt>
          <dd>
            look back {c.baselineLookbackDays} days, and need {c.baselineMinDays} days of history before anything is called first or uncommon; uncommon for the
            user: on at most {percent(c.uncommonForUserShare)} of their active days; uncommon in the organisation: seen for under{' '}
            {percent(c.uncommonInOrgShare)} of users
          </dd>
        </div>
        <div className="field">
          <dt>Discount d</dt>
          <dd>1 / (1 + log₁₀(1 + k)), k = other users with the same alert title or detection type in the window</dd>
        </div>
        <div className="field">
          <dt>Score</dt>
          <dd>
            v = min({c.inputCap}, base × m × d); score = 100 · Σ v<sub>i</sub> / i<sup>1.5</sup> / ({c.inputCap} × {c.zeta}), largest first
          </dd>
        </div>
        <div className="field">
          <dt>Bands</dt>
          <dd>
            {bands.map((band) => `${humanize(band.band).toLowerCase()} from ${band.from}`).join(' · ')}; percentile red from {c.redPercentile}
          </dd>
        </div>
        <div className="field">
          <dt>Ageing</dt>
          <dd>low-risk detections older than {c.lowRiskAgeOutDays} days are marked aged out, as Entra ages them out</dd>
        </div>
      </dl>
    </section>
  );
}
