import { useEffect, useRef, useState } from 'react';
import type { DecisionKind, LocalDecision, ScoreReset } from '../../shared/score/risk.ts';
import { bridge } from '../api/bridge.ts';
import { db } from '../db/index.ts';
import { getUserDecisionState, recordDecision, recordReset, revokeDecision, revokeReset, type UserDecisionState } from '../db/score-settings.ts';
import { requestRescore, useImportQueue } from '../import/queue.ts';
import { setAnalystName, usePreferences } from '../state/preferences.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { RiskLevelBadge, RiskStateBadge } from './Badges.tsx';
import { humanize } from './format.ts';
import { QueryView } from './QueryView.tsx';
import { Time } from './Time.tsx';

type Choice = DecisionKind | 'resetScore';

/** When a decision is signed: the wall clock, unlike the data's times (read only in event handlers). */
const now = () => Date.now();

const choices: { value: Choice; label: string; line: string }[] = [
  { value: 'confirmCompromised', label: 'Confirm compromised', line: 'Risk becomes high, state confirmed compromised; the user ranks above everyone.' },
  { value: 'dismissUserRisk', label: 'Dismiss user risk', line: 'Risk becomes none, state dismissed; the user’s open detections stop counting.' },
  { value: 'confirmSafe', label: 'Confirm safe', line: 'One risk detection (or its sign-in) was the user: it stops counting.' },
  { value: 'resetScore', label: 'Reset the score', line: 'Inputs before the newest data are ignored, as after an investigation that found nothing.' },
];

/** The name decisions are signed with: the one the analyst gave, else the OS user where the shell knows it, else "analyst". */
function useSignature(): [string, (name: string) => void] {
  const stored = usePreferences((state) => state.analystName);
  const [fallback, setFallback] = useState('analyst');
  useEffect(() => {
    if (stored) return;
    let live = true;
    void bridge.appInfo().then((info) => live && info.ok && info.value.userName && setFallback(info.value.userName));
    return () => {
      live = false;
    };
  }, [stored]);
  const [name, setName] = useState<string>();
  return [name ?? stored ?? fallback, setName];
}

interface Entry {
  id: string;
  type: 'decision' | 'reset';
  what: string;
  by: string;
  at: number;
  why: string;
  revoked?: { by: string; at: number; why: string };
}

function entriesOf(state: UserDecisionState): Entry[] {
  const label = (decision: LocalDecision) => {
    if (decision.kind !== 'confirmSafe') return choices.find((c) => c.value === decision.kind)!.label;
    const detection = state.detections.find((d) => d.id === decision.target);
    return `Confirm safe: ${detection ? humanize(detection.riskEventType) : decision.target}`;
  };
  const decisions = state.decisions.map((d): Entry => ({ id: d.id, type: 'decision', what: label(d), by: d.by, at: d.at, why: d.why, revoked: d.revoked }));
  const resets = state.resets.map((r: ScoreReset): Entry => ({
    id: r.id,
    type: 'reset',
    what: 'Reset the score',
    by: r.by,
    at: r.recordedAt ?? r.at,
    why: r.why,
    revoked: r.revoked,
  }));
  return [...decisions, ...resets].sort((a, b) => b.at - a.at);
}

/**
 * The user page's local decisions, applied as Entra applies them (SCORING.md): each is signed with who,
 * when and why, shown as local (not applied in the tenant), and can be reset; the scores follow at the
 * next rescoring, which saving asks for.
 */
export function DecisionsPanel({ userId }: { userId: string }) {
  const state = useStoreQuery(() => getUserDecisionState(db, userId), [userId]);
  return (
    <section className="panel" aria-labelledby="decisions-title" data-testid="decisions-panel">
      <header className="panel-header">
        <h2 id="decisions-title">Decisions</h2>
        <span className="muted small">Recorded here only, not applied in the tenant: they steer Sightline’s risk state and priority, and can be reset.</span>
      </header>
      <QueryView state={state}>{(data) => <Decisions userId={userId} state={data} />}</QueryView>
    </section>
  );
}

function Decisions({ userId, state }: { userId: string; state: UserDecisionState }) {
  const [name, setName] = useSignature();
  // No decision is chosen for the analyst: "Confirm compromised" preselected was recorded for a note that said the opposite.
  const [choice, setChoice] = useState<Choice>();
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [revoking, setRevoking] = useState<string>();
  const [revokeNote, setRevokeNote] = useState('');
  const [rescoring, setRescoring] = useState(false);
  const scoring = useImportQueue((s) => s.scoring);
  const scoringAtSave = useRef<unknown>(undefined);
  useEffect(() => {
    if (rescoring && scoring !== scoringAtSave.current) setRescoring(false);
  }, [scoring, rescoring]);

  const risk = state.score?.risk;
  const entries = entriesOf(state);
  const detections = state.detections.filter((d) => !['confirmedSafe', 'dismissed', 'remediated'].includes(d.riskState));
  const canReset = state.score !== undefined;

  const applied = () => {
    scoringAtSave.current = useImportQueue.getState().scoring;
    setRescoring(true);
    requestRescore();
  };

  const submit = async () => {
    setError(undefined);
    try {
      const signature = { by: name, why: note };
      if (!choice) throw new Error('Choose a decision first.');
      if (choice === 'resetScore') {
        if (!state.score) throw new Error('This user has no score to reset.');
        await recordReset(db, { userId, at: state.score.asOf, recordedAt: now(), ...signature });
      } else await recordDecision(db, { kind: choice, userId, ...(choice === 'confirmSafe' ? { target } : {}), at: now(), ...signature });
      setAnalystName(name);
      setNote('');
      setChoice(undefined);
      applied();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  const revoke = async (entry: Entry) => {
    setError(undefined);
    try {
      const signature = { by: name, at: now(), why: revokeNote };
      if (entry.type === 'reset') await revokeReset(db, entry.id, signature);
      else await revokeDecision(db, entry.id, signature);
      setAnalystName(name);
      setRevoking(undefined);
      setRevokeNote('');
      applied();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <>
      <div className="decision-effect" data-testid="decision-effect" aria-live="polite">
        {risk ? (
          <>
            <p className="card-row">
              <span className="muted">Risk</span> <RiskLevelBadge level={risk.riskLevel} /> <RiskStateBadge state={risk.riskState} />
              <span className="small" data-testid="decision-risk-label">
                {risk.label}
              </span>
            </p>
            {risk.reported && (
              <p className="muted small">
                Reported by the exports: {humanize(risk.reported.riskLevel)}, {humanize(risk.reported.riskState)}.
              </p>
            )}
            <p className="muted small">
              Priority {state.score!.score.toFixed(1)}, rank {state.score!.rank}
              {state.score!.confirmedCompromised ? ' (confirmed compromised: ranked first whatever the score)' : ''}
              {state.score!.resetAt !== undefined ? (
                <>
                  {' '}
                  · reset at <Time value={state.score!.resetAt} />
                </>
              ) : null}
              {rescoring ? ' · rescoring…' : ''}
            </p>
          </>
        ) : (
          <p className="muted small">{rescoring ? 'Rescoring…' : 'No score for this user yet: a decision still applies at the next rescoring.'}</p>
        )}
      </div>

      <form
        className="decision-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        data-testid="decision-form"
      >
        <fieldset className="choice-group">
          <legend>Decide</legend>
          {choices.map((c) => (
            <label key={c.value} className="choice">
              <input
                type="radio"
                name="decision-kind"
                value={c.value}
                checked={choice === c.value}
                disabled={(c.value === 'confirmSafe' && detections.length === 0) || (c.value === 'resetScore' && !canReset)}
                onChange={() => setChoice(c.value)}
                data-testid={`decision-${c.value}`}
              />
              <span>
                {c.label} <span className="muted small">{c.line}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {choice === 'confirmSafe' && (
          <label className="decision-field small">
            Detection judged safe
            <select className="text-input" value={target} onChange={(event) => setTarget(event.target.value)} data-testid="decision-target">
              <option value="">Pick one…</option>
              {detections.map((d) => (
                <option key={d.id} value={d.id}>
                  {humanize(d.riskEventType)} · {d.riskLevel} · {new Date(d.time).toISOString().replace('T', ' ').slice(0, 16)} UTC
                  {d.ipAddress ? ` · ${d.ipAddress}` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="decision-field small">
          Why (required)
          <textarea className="note-input" value={note} onChange={(event) => setNote(event.target.value)} required data-testid="decision-note" />
        </label>
        <div className="decision-submit">
          <label className="decision-field small">
            Decided by
            <input className="text-input" value={name} onChange={(event) => setName(event.target.value)} required data-testid="decision-by" />
          </label>
          <button type="submit" className="button primary" disabled={!choice || !note.trim() || !name?.trim()} data-testid="decision-save">
            {choice ? `Record: ${choices.find((c) => c.value === choice)!.label}` : 'Choose a decision'}
          </button>
        </div>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
      </form>

      {entries.length > 0 && (
        <table className="table compact" aria-label="Decisions on this user" data-testid="decision-log">
          <thead>
            <tr>
              <th scope="col">Decision</th>
              <th scope="col">Who</th>
              <th scope="col">When</th>
              <th scope="col">Why</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} className={entry.revoked ? 'revoked' : undefined}>
                <td>
                  {entry.what} <span className="badge badge-info">local</span>
                </td>
                <td>{entry.by}</td>
                <td className="nowrap">
                  <Time value={entry.at} />
                </td>
                <td className="small">{entry.why}</td>
                <td className="small">
                  {entry.revoked ? (
                    <>
                      Reset by {entry.revoked.by} on <Time value={entry.revoked.at} />: {entry.revoked.why}
                    </>
                  ) : revoking === entry.id ? (
                    <form
                      className="revoke-form"
                      onSubmit={(event) => {
                        event.preventDefault();
                        void revoke(entry);
                      }}
                    >
                      <label className="decision-field">
                        Why reset it (required)
                        <input
                          className="text-input"
                          value={revokeNote}
                          onChange={(event) => setRevokeNote(event.target.value)}
                          required
                          data-testid="revoke-note"
                        />
                      </label>
                      <button type="submit" className="button" disabled={!revokeNote.trim()} data-testid="revoke-save">
                        Reset
                      </button>
                      <button type="button" className="button ghost" onClick={() => setRevoking(undefined)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <>
                      <span className="badge badge-success">in effect</span>{' '}
                      <button
                        type="button"
                        className="button link"
                        onClick={() => {
                          setRevoking(entry.id);
                          setRevokeNote('');
                        }}
                        data-testid="decision-revoke"
                      >
                        Reset…
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
