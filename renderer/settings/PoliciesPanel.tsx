import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import {
  canonicalPolicies,
  DEFAULT_POLICIES,
  detectionSetting,
  samePolicies,
  type AlertServiceSetting,
  type Exclusions,
  type IdentityProtectionPolicy,
  type PolicySettings,
  type Threshold,
} from '../../shared/score/policies.ts';
import type { WhatIf } from '../../shared/score/whatif.ts';
import { formatNumber, plural } from '../components/format.ts';
import { db } from '../db/index.ts';
import type { UserRow } from '../db/schema.ts';
import type { PolicyPreview } from '../db/scoring.ts';
import { loadPolicies, savePolicies } from '../db/score-settings.ts';
import { requestPolicyPreview, requestRescore, useImportQueue } from '../import/queue.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { QueryView } from '../components/QueryView.tsx';

const thresholds: Threshold[] = ['low', 'medium', 'high'];
const thresholdText: Record<Threshold, string> = {
  low: 'Low: receive all alerts',
  medium: 'Medium: medium and high',
  high: 'High: only high-severity alerts',
};

const identityPolicies: { key: 'leakedCredentials' | 'riskySignIn'; title: string; line: string }[] = [
  {
    key: 'leakedCredentials',
    title: 'Leaked credentials',
    line: 'The user’s valid credentials have been leaked (found on the dark web, in paste sites or by researchers).',
  },
  { key: 'riskySignIn', title: 'Risky sign-in', line: 'Aggregates risky sign-in detections: sign-ins likely not performed by the user.' },
];

const serviceChoices: { value: AlertServiceSetting; label: string; line: string }[] = [
  { value: 'relevant', label: 'Relevant alerts only', line: 'What the two policies above admit (the default).' },
  { value: 'all', label: 'All risk detections', line: 'Every detection and alert of Identity Protection, whatever the policies say.' },
  { value: 'off', label: 'Off', line: 'No Identity Protection alert enters the queue or the scores.' },
];

const exclusionFields: { key: keyof Exclusions; label: string; hint: string }[] = [
  { key: 'users', label: 'Users', hint: 'UPNs, SIDs or object ids' },
  { key: 'devices', label: 'Devices', hint: 'device names' },
  { key: 'ips', label: 'IP addresses', hint: 'exact addresses' },
];

const splitList = (text: string) => [...new Set(text.split(/[\s,;]+/).filter(Boolean))];

/** How many alerts a policy hides (or marks) now, and, when the draft changes that, how many it would. */
function PolicyCount({ id, preview, whatIf, excluded }: { id: string; preview?: PolicyPreview; whatIf?: WhatIf; excluded?: boolean }) {
  if (!preview) return <span className="muted small">counting…</span>;
  const now = (excluded ? preview.excludedByPolicy : preview.hiddenByPolicy)[id] ?? 0;
  const verb = excluded ? 'marks excluded' : 'hides';
  const after = whatIf ? (whatIf.hiddenAfter[id] ?? 0) : undefined;
  return (
    <span className="policy-count small" data-testid={`policy-count-${id}`}>
      <span className={now ? 'badge badge-warning' : 'badge badge-neutral'}>
        {verb} {plural(now, 'alert')}
      </span>
      {after !== undefined && !excluded && after !== now && (
        <span className="policy-change">
          {' '}
          → would hide <strong>{formatNumber(after)}</strong>
        </span>
      )}
    </span>
  );
}

/**
 * Settings → Policies: Identity Protection's two policies and alert service, Defender for Identity's
 * detection policies with their exclusions. Every change is previewed (which alerts it hides or shows,
 * whose score and rank it moves) before it is saved; saving rescores the stored data, with no re-import.
 */
export function PoliciesPanel() {
  const saved = useStoreQuery(() => loadPolicies(db), []);
  return (
    <section className="panel" aria-labelledby="policies-title" data-testid="policies-panel">
      <header className="panel-header">
        <h2 id="policies-title">Policies</h2>
        <span className="muted small">What enters the alerts queue and the investigation priority. Stored data follows at once, with no re-import.</span>
      </header>
      <QueryView state={saved}>{(settings) => <PolicyEditor saved={settings} />}</QueryView>
    </section>
  );
}

function PolicyEditor({ saved }: { saved: PolicySettings }) {
  const [draft, setDraft] = useState<PolicySettings>(saved);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [open, setOpen] = useState<string>();
  const [saving, setSaving] = useState<'idle' | 'saving' | 'saved'>('idle');
  const dataVersion = useImportQueue((state) => state.dataVersion);
  const scoring = useImportQueue((state) => state.scoring);
  const savedScoring = useRef<unknown>(undefined);
  const changed = !samePolicies(draft, saved);

  // A stored change (this panel's save) resets the draft to what is stored; a mere re-query does not.
  const savedKey = JSON.stringify(saved);
  const lastSaved = useRef(savedKey);
  useEffect(() => {
    if (lastSaved.current === savedKey) return;
    lastSaved.current = savedKey;
    setDraft(saved);
    setTexts({});
  }, [saved, savedKey]);

  // The preview follows the draft, a moment after the last move; an answer is kept with the draft it
  // answers, so one for an older draft is never shown as this one's.
  const key = `${dataVersion}|${changed ? JSON.stringify(canonicalPolicies(draft)) : 'saved'}`;
  const [answer, setAnswer] = useState<{ key: string; preview?: PolicyPreview; error?: string }>();
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      requestPolicyPreview(changed ? draft : undefined).then(
        (preview) => live && setAnswer({ key, preview }),
        (error: unknown) => live && setAnswer((last) => ({ key, preview: last?.preview, error: error instanceof Error ? error.message : String(error) })),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, changed, draft]);
  const pending = answer?.key !== key;
  // The counts of the last answer stay on screen while the next is worked out.
  const preview = answer?.preview;
  const previewError = pending ? undefined : answer?.error;

  useEffect(() => {
    if (saving === 'saving' && scoring !== savedScoring.current) setSaving('saved');
  }, [scoring, saving]);

  const whatIf = changed && !pending ? preview?.whatIf : undefined;
  const setIdentity = (key: 'leakedCredentials' | 'riskySignIn', change: Partial<IdentityProtectionPolicy>) => {
    setSaving('idle');
    setDraft((d) => ({ ...d, [key]: { ...d[key], ...change } }));
  };
  const setDetection = (id: string, change: (setting: ReturnType<typeof detectionSetting>) => ReturnType<typeof detectionSetting>) => {
    setSaving('idle');
    setDraft((d) => ({ ...d, detections: { ...d.detections, [id]: change(detectionSetting(d, id)) } }));
  };
  const save = async () => {
    savedScoring.current = useImportQueue.getState().scoring;
    setSaving('saving');
    await savePolicies(db, draft);
    requestRescore();
  };
  const discard = () => {
    setDraft(saved);
    setTexts({});
    setSaving('idle');
  };

  return (
    <div className="policies">
      <h3 className="policy-group-title">Identity Protection</h3>
      <ul className="policy-list">
        {identityPolicies.map(({ key, title, line }) => {
          const policy = draft[key];
          const index = thresholds.indexOf(policy.threshold);
          return (
            <li key={key} className="policy-row" data-testid={`policy-${key}`}>
              <div className="policy-name">
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={policy.enabled}
                    onChange={(event) => setIdentity(key, { enabled: event.target.checked })}
                    data-testid={`policy-${key}-enabled`}
                  />
                  <strong>{title}</strong>
                </label>
                <p className="muted small">{line}</p>
              </div>
              <div className="policy-threshold">
                <label htmlFor={`threshold-${key}`} className="small">
                  Threshold: <strong>{thresholdText[policy.threshold]}</strong>
                </label>
                <input
                  id={`threshold-${key}`}
                  type="range"
                  min={0}
                  max={2}
                  step={1}
                  value={index}
                  disabled={!policy.enabled}
                  aria-valuetext={thresholdText[policy.threshold]}
                  onChange={(event) => setIdentity(key, { threshold: thresholds[Number(event.target.value)]! })}
                  data-testid={`policy-${key}-threshold`}
                />
                <div className="range-scale small muted" aria-hidden="true">
                  <span>Low</span>
                  <span>Medium</span>
                  <span>High</span>
                </div>
              </div>
              <PolicyCount id={`ip:${key}`} preview={preview} whatIf={whatIf} />
            </li>
          );
        })}
        <li className="policy-row" data-testid="policy-alertService">
          <fieldset className="choice-group policy-service">
            <legend>Alert service</legend>
            <p className="muted small">Which Identity Protection alerts Sightline takes in at all.</p>
            {serviceChoices.map((choice) => (
              <label key={choice.value} className="choice">
                <input
                  type="radio"
                  name="alert-service"
                  value={choice.value}
                  checked={draft.alertService === choice.value}
                  onChange={() => {
                    setSaving('idle');
                    setDraft((d) => ({ ...d, alertService: choice.value }));
                  }}
                  data-testid={`alert-service-${choice.value}`}
                />
                {choice.label}
                <span className="muted small">{choice.line}</span>
              </label>
            ))}
          </fieldset>
          <PolicyCount id="ip:alertService" preview={preview} whatIf={whatIf} />
        </li>
      </ul>

      <h3 className="policy-group-title">Defender for Identity detections</h3>
      <p className="muted small">
        One policy per alert type in the workspace. Turning one off hides its alerts; an excluded user, device or IP keeps its alerts in the queue, marked, and
        out of the scores.
      </p>
      {!preview ? (
        <p className="muted small">Listing the detections…</p>
      ) : preview.detections.length === 0 ? (
        <p className="muted small">No Defender for Identity alerts in this workspace yet.</p>
      ) : (
        <table className="table compact" aria-label="Defender for Identity detection policies" data-testid="detection-policies">
          <thead>
            <tr>
              <th scope="col">Detection</th>
              <th scope="col">Alerts</th>
              <th scope="col">Exclusions</th>
              <th scope="col">Effect now</th>
            </tr>
          </thead>
          <tbody>
            {preview.detections.map((detection) => {
              const setting = detectionSetting(draft, detection.id);
              const count = setting.exclusions.users.length + setting.exclusions.devices.length + setting.exclusions.ips.length;
              const expanded = open === detection.id;
              return (
                <tr key={detection.id} data-testid={`detection-${detection.id}`}>
                  <td>
                    <label className="choice">
                      <input
                        type="checkbox"
                        checked={setting.enabled}
                        onChange={(event) => setDetection(detection.id, (s) => ({ ...s, enabled: event.target.checked }))}
                        aria-label={`${detection.title}: enabled`}
                      />
                      {detection.title}
                    </label>
                  </td>
                  <td className="numeric">{formatNumber(detection.alerts)}</td>
                  <td>
                    <button type="button" className="button link" aria-expanded={expanded} onClick={() => setOpen(expanded ? undefined : detection.id)}>
                      {count ? plural(count, 'exclusion') : 'Add exclusions'}
                    </button>
                    {expanded && (
                      <div
                        className="exclusions"
                        onKeyDown={(event) => {
                          if (event.key !== 'Escape') return;
                          event.stopPropagation();
                          setOpen(undefined);
                        }}
                      >
                        {exclusionFields.map((field) => {
                          const key = `${detection.id}:${field.key}`;
                          return (
                            <label key={field.key} className="exclusion-field small">
                              {field.label} <span className="muted">({field.hint}, separated by commas)</span>
                              <input
                                type="text"
                                className="text-input"
                                value={texts[key] ?? setting.exclusions[field.key].join(', ')}
                                onChange={(event) => {
                                  const text = event.target.value;
                                  setTexts((t) => ({ ...t, [key]: text }));
                                  setDetection(detection.id, (s) => ({ ...s, exclusions: { ...s.exclusions, [field.key]: splitList(text) } }));
                                }}
                                data-testid={`exclusions-${field.key}`}
                              />
                            </label>
                          );
                        })}
                      </div>
                    )}
                  </td>
                  <td>
                    <PolicyCount id={detection.id} preview={preview} whatIf={whatIf} />{' '}
                    {(preview.excludedByPolicy[detection.id] ?? 0) > 0 && <PolicyCount id={detection.id} preview={preview} excluded />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <div className="policy-effect" aria-live="polite" data-testid="policy-whatif">
        <h3 className="policy-group-title">Effect before saving</h3>
        {saving === 'saving' ? (
          <p className="muted">Saved. Rescoring the workspace…</p>
        ) : previewError ? (
          <p className="error-text">The preview failed: {previewError}</p>
        ) : !changed ? (
          saving === 'saved' ? (
            <p data-testid="policy-saved">Saved and applied: the alerts queue and every score now follow these policies.</p>
          ) : (
            <p className="muted">No unsaved changes. Move a slider or a switch to see what it would change before saving.</p>
          )
        ) : pending || !whatIf ? (
          <p className="muted">Working out the effect…</p>
        ) : (
          <WhatIfSummary whatIf={whatIf} />
        )}
        <div className="form-actions">
          <button
            type="button"
            className="button primary"
            disabled={!changed || pending || saving === 'saving'}
            onClick={() => void save()}
            data-testid="policies-save"
          >
            Save and apply
          </button>
          <button type="button" className="button" disabled={!changed} onClick={discard}>
            Discard changes
          </button>
          {samePolicies(draft, DEFAULT_POLICIES) ? null : (
            <button type="button" className="button ghost" onClick={() => setDraft(DEFAULT_POLICIES)}>
              Back to the defaults
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

/** The draft's effect: alerts hidden and shown, and the users whose score and rank would move most. */
function WhatIfSummary({ whatIf }: { whatIf: WhatIf }) {
  const movers = whatIf.users.slice(0, 10);
  const names = useStoreQuery(async () => {
    const rows = await db.users.bulkGet(movers.map((m) => m.userId));
    return new Map(rows.filter((row): row is UserRow => !!row).map((row) => [row.id, row.displayName || row.upn || row.id]));
  }, [movers.map((m) => m.userId).join('|')]);
  const parts = [
    whatIf.hide && `hide ${plural(whatIf.hide, 'alert')}`,
    whatIf.show && `show ${plural(whatIf.show, 'alert')} now hidden`,
    whatIf.exclude && `mark ${plural(whatIf.exclude, 'alert')} excluded`,
    whatIf.include && `lift the exclusion of ${plural(whatIf.include, 'alert')}`,
  ].filter(Boolean);
  const label = useMemo(() => (names.status === 'ready' ? names.data : new Map<string, string>()), [names]);
  return (
    <>
      <p data-testid="policy-whatif-summary">
        {parts.length ? `Saving would ${parts.join(', ')}` : 'Saving would change no alert'}
        {whatIf.users.length === 0
          ? ', and move no user’s score or rank.'
          : whatIf.users.length === 1
            ? ', and move 1 user’s score or rank.'
            : `, and move ${formatNumber(whatIf.users.length)} users’ scores or ranks.`}
      </p>
      {movers.length > 0 && (
        <table className="table compact" aria-label="Users whose priority would move" data-testid="policy-movers">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Score now</th>
              <th scope="col">After saving</th>
              <th scope="col">Rank now</th>
              <th scope="col">After saving</th>
            </tr>
          </thead>
          <tbody>
            {movers.map((m) => (
              <tr key={m.userId}>
                <td>
                  <Link to={`/users/${encodeURIComponent(m.userId)}`}>{label.get(m.userId) ?? m.userId}</Link>
                </td>
                <td className="numeric">{m.scoreBefore.toFixed(1)}</td>
                <td className="numeric">
                  <strong>{m.scoreAfter.toFixed(1)}</strong> <Delta value={m.scoreAfter - m.scoreBefore} />
                </td>
                <td className="numeric">{formatNumber(m.rankBefore)}</td>
                <td className="numeric">
                  <strong>{formatNumber(m.rankAfter)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {whatIf.users.length > movers.length && <p className="muted small">…and {plural(whatIf.users.length - movers.length, 'more user')}.</p>}
    </>
  );
}

function Delta({ value }: { value: number }) {
  if (Math.abs(value) < 0.05) return null;
  return <span className={value > 0 ? 'delta delta-up' : 'delta delta-down'}>{`${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`}</span>;
}
