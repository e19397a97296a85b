/**
 * The Goals tab (issue 11, exercise mode): the teacher edits goals (Edit goals: add from a menu of kinds, fields for
 * their numbers and lists, remove); the student sees the checklist, each goal ✓ or ✗ with its reason (○ while a loss
 * goal waits for a training run), and "All goals met" or "k of n goals met". Checks run on every edit: core
 * `checkGoals` on the memoised analysis (store/derived.ts), microseconds per goal.
 */
import { useState, type ReactNode } from 'react';
import {
  checkGoals,
  describeGoal,
  formatCount,
  GOAL_KINDS,
  GOAL_LAYER_KINDS,
  goalSchema,
  goalsSummary,
  MAX_GOALS,
  MAX_GOAL_DIM,
  type Analysis,
  type Dim,
  type Goal,
  type GoalKind,
  type GoalStatus,
  type Graph,
} from '../core';
import { firstIssue } from '../core/serialize/zodMessage';
import { useEditor } from '../store/editor';
import { analysisOf } from '../store/derived';
import { trainingOutcome, useGoals } from '../store/goals';
import './goals.css';

/** The kinds of the model's layers (Inputs excluded), in the order they first appear. */
function kindsUsed(graph: Graph): string[] {
  return [...new Set(graph.nodes.filter((n) => n.kind !== 'Input').map((n) => n.kind))];
}

/**
 * A new goal of `kind` that the model on the canvas meets where that is cheap to say: its output shape, its
 * parameter count, its kinds, its layer count (the teacher then tightens it); fixed values otherwise.
 */
export function newGoal(kind: GoalKind, graph: Graph, analysis: Analysis): Goal {
  switch (kind) {
    case 'outputShape': {
      const outs = analysis.outputTensors;
      const shape = outs.length === 1 && outs[0].output === 0 ? analysis.nodes.get(outs[0].node)?.outputShape : null;
      return { kind, dims: shape && shape.length > 1 ? shape.slice(1) : [1] };
    }
    case 'params':
      return { kind, max: analysis.valid && Number.isFinite(analysis.totals.total) ? analysis.totals.total : 1_000_000 };
    case 'kinds': {
      const used = kindsUsed(graph);
      return { kind, allowed: used.length ? used : ['Dense'] };
    }
    case 'loss':
      return { kind, below: 0.5 };
    case 'layers': {
      const n = new Set(graph.nodes.filter((x) => x.kind !== 'Input').map((x) => x.layerOf ?? x.id)).size;
      return { kind, max: Math.max(1, n) };
    }
    default:
      return { kind };
  }
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** "1" or "None, 10" (also "?" for None, brackets allowed) → dims after the batch axis. */
export function parseDims(text: string): Parsed<Dim[]> {
  const body = text.trim().replace(/^[([]\s*|\s*[)\]]$/g, '');
  if (!body) return { ok: false, reason: 'Type the sizes after the batch axis, e.g. 10 or None, 10.' };
  const dims: Dim[] = [];
  for (const part of body.split(',').map((s) => s.trim())) {
    if (/^(none|\?)$/i.test(part)) dims.push(null);
    else if (/^\d+$/.test(part) && Number(part) >= 1 && Number(part) <= MAX_GOAL_DIM) dims.push(Number(part));
    else if (/^\d+$/.test(part)) return { ok: false, reason: `Each size must be from 1 to ${formatCount(MAX_GOAL_DIM)} (got ${part.slice(0, 20)}).` };
    else return { ok: false, reason: `'${part.slice(0, 20)}' is not a size: use whole numbers or None, separated by commas.` };
  }
  return { ok: true, value: dims };
}

const KIND_BY_LOWER = new Map(GOAL_LAYER_KINDS.map((k) => [k.toLowerCase(), k]));

/** "Dense, conv2d" → ['Dense', 'Conv2D'] (registry spelling, case-insensitive), or why not. */
export function parseKinds(text: string): Parsed<string[]> {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) return { ok: false, reason: 'Name at least one layer kind, e.g. Dense, Dropout.' };
  const unknown = parts.filter((p) => !KIND_BY_LOWER.has(p.toLowerCase()));
  if (unknown.length)
    return {
      ok: false,
      reason: `${unknown
        .slice(0, 3)
        .map((u) => `'${u.slice(0, 30)}'`)
        .join(', ')} ${unknown.length === 1 ? 'is not a layer kind' : 'are not layer kinds'} (the palette's names: Dense, Conv2D, Dropout, …).`,
    };
  return { ok: true, value: [...new Set(parts.map((p) => KIND_BY_LOWER.get(p.toLowerCase())!))] };
}

/** A number as typed: "1,000,000" and "1 000 000" read as 1000000. */
function parseNumber(text: string, label: string): Parsed<number> {
  const t = text.replace(/[,\s_]/g, '');
  if (!t) return { ok: false, reason: `Type the ${label}.` };
  const v = Number(t);
  return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, reason: `'${text.slice(0, 20)}' is not a number (${label}).` };
}

/**
 * The goal checked against the one schema (core goalSchema): the goal, or the reason its value is refused, as a
 * sentence starting with `label` ("The parameter budget must be a whole number.").
 */
function checked(goal: Goal, label: string): Parsed<Goal> {
  const r = goalSchema.safeParse(goal);
  if (r.success) return { ok: true, value: goal };
  return { ok: false, reason: `${label} ${firstIssue(r.error).replace(/^[\w.]+: /, '')}.` };
}

/**
 * A text field bound to a goal's value: shows the goal's value while not being typed into; each keystroke that reads
 * as a valid goal updates it at once, an invalid one turns the field red with the reason and keeps the last valid goal
 * (the inspector's rule). Leaving the field drops an invalid draft.
 */
function GoalField(props: {
  label: string;
  value: string;
  parse: (text: string) => Parsed<Goal>;
  onGoal: (goal: Goal) => void;
  width?: string;
  testId: string;
  placeholder?: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const text = draft ?? props.value;
  return (
    <span className="goals__field">
      <input
        type="text"
        aria-label={props.label}
        data-testid={props.testId}
        value={text}
        placeholder={props.placeholder}
        style={{ width: props.width ?? '9em' }}
        className={error ? 'invalid' : undefined}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          const r = props.parse(e.target.value);
          if (r.ok) {
            setError(null);
            props.onGoal(r.value);
          } else setError(r.reason);
        }}
        onBlur={() => {
          setDraft(null);
          setError(null);
        }}
      />
      {error ? (
        <span className="goals__field-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

/** The fields of one goal in the editor. */
function GoalEditor({ goal, index, graph }: { goal: Goal; index: number; graph: Graph }) {
  const update = (g: Goal) => useGoals.getState().updateGoal(index, g);
  const id = (what: string) => `goal-${index}-${what}`;
  switch (goal.kind) {
    case 'outputShape':
      return (
        <span className="goals__fields">
          Output shape (None,&nbsp;
          <GoalField
            label="Output shape after the batch axis"
            testId={id('dims')}
            value={goal.dims.map((d) => (d === null ? 'None' : String(d))).join(', ')}
            parse={(t) => {
              const r = parseDims(t);
              return r.ok ? checked({ kind: 'outputShape', dims: r.value }, 'The output shape') : r;
            }}
            onGoal={update}
            width="7em"
          />
          )
        </span>
      );
    case 'params':
      return (
        <span className="goals__fields">
          At most
          <GoalField
            label="Parameter budget"
            testId={id('max')}
            value={formatCount(goal.max)}
            parse={(t) => {
              const r = parseNumber(t, 'parameter budget');
              if (r.ok && goal.min !== undefined && r.value < goal.min)
                return { ok: false, reason: `The parameter budget must not be below the fewest parameters (${formatCount(goal.min)}).` };
              return r.ok ? checked({ kind: 'params', max: r.value, ...(goal.min !== undefined ? { min: goal.min } : {}) }, 'The parameter budget') : r;
            }}
            onGoal={update}
          />
          parameters, at least
          <GoalField
            label="Fewest parameters (optional)"
            testId={id('min')}
            value={goal.min === undefined ? '' : formatCount(goal.min)}
            placeholder="optional"
            parse={(t) => {
              if (!t.trim()) return { ok: true, value: { kind: 'params', max: goal.max } };
              const r = parseNumber(t, 'fewest parameters');
              return r.ok ? checked({ kind: 'params', max: goal.max, min: r.value }, 'The fewest parameters') : r;
            }}
            onGoal={update}
          />
        </span>
      );
    case 'kinds':
      return (
        <span className="goals__fields">
          Only
          <GoalField
            label="Allowed layer kinds"
            testId={id('kinds')}
            value={goal.allowed.join(', ')}
            parse={(t) => {
              const r = parseKinds(t);
              return r.ok ? checked({ kind: 'kinds', allowed: r.value }, 'The allowed kinds') : r;
            }}
            onGoal={update}
            width="22em"
          />
          <button
            type="button"
            className="small-button"
            onClick={() => update({ kind: 'kinds', allowed: kindsUsed(graph).length ? kindsUsed(graph) : ['Dense'] })}
          >
            Use the model's kinds
          </button>
        </span>
      );
    case 'loss':
      return (
        <span className="goals__fields">
          Final loss below
          <GoalField
            label="Loss to train below"
            testId={id('loss')}
            value={String(goal.below)}
            parse={(t) => {
              const r = parseNumber(t, 'loss');
              return r.ok ? checked({ kind: 'loss', below: r.value }, 'The loss') : r;
            }}
            onGoal={update}
            width="6em"
          />
        </span>
      );
    case 'layers':
      return (
        <span className="goals__fields">
          At most
          <GoalField
            label="Most layers"
            testId={id('layers')}
            value={String(goal.max)}
            parse={(t) => {
              const r = parseNumber(t, 'number of layers');
              return r.ok ? checked({ kind: 'layers', max: r.value }, 'The number of layers') : r;
            }}
            onGoal={update}
            width="5em"
          />
          layers (Inputs not counted)
        </span>
      );
    default:
      return <span className="goals__fields">{describeGoal(goal)}</span>;
  }
}

const MARK: Record<'true' | 'false' | 'null', { sign: string; label: string }> = {
  true: { sign: '✓', label: 'met' },
  false: { sign: '✗', label: 'not met' },
  null: { sign: '○', label: 'not checked yet' },
};

function Mark({ status }: { status: GoalStatus }) {
  const m = MARK[String(status.met) as 'true' | 'false' | 'null'];
  return (
    <span className={`goals__mark goals__mark--${String(status.met)}`} role="img" aria-label={m.label} title={m.label}>
      {m.sign}
    </span>
  );
}

/** The goals' statuses for the model on the canvas, checked on every edit and after every training run. */
function useGoalStatuses(): { statuses: GoalStatus[]; graph: Graph; analysis: Analysis } {
  const graph = useEditor((s) => s.graph);
  const goals = useGoals((s) => s.goals);
  const lastRun = useGoals((s) => s.lastRun);
  const analysis = analysisOf(graph);
  return { statuses: checkGoals(goals, graph, analysis, trainingOutcome(lastRun, graph)), graph, analysis };
}

/** The Goals tab's badge: "✓" when every goal is met, else "k/n" (met of all), so a student sees it from any tab. */
export function GoalsBadge() {
  const { statuses } = useGoalStatuses();
  const { allMet } = goalsSummary(statuses);
  const met = statuses.filter((s) => s.met === true).length;
  return (
    <span
      className={`goals__badge goals__badge--${allMet ? 'met' : 'unmet'}`}
      data-testid="goals-badge"
      title={allMet ? 'All goals met' : `${met} of ${statuses.length} goals met`}
    >
      {allMet ? '✓' : `${met}/${statuses.length}`}
    </span>
  );
}

/** The Goals tab of the dock. */
export function GoalsPanel() {
  const { statuses, graph, analysis } = useGoalStatuses();
  const goals = useGoals((s) => s.goals);
  const editing = useGoals((s) => s.editing);
  const summary = goalsSummary(statuses);
  const store = useGoals.getState();

  let body: ReactNode;
  if (!goals.length && !editing)
    body = (
      <div className="goals__empty">
        <p>No goals are set for this model.</p>
        <p className="muted small">
          A teacher sets goals here — an output shape, a parameter budget, the layer kinds allowed, the Functional API, a merge, a shared layer, a loss to train
          below — and shares the model with Export ▾ → Copy share link or as a saved project file. Whoever opens it sees each goal checked as they edit.
        </p>
        <button type="button" className="primary" onClick={() => store.setEditing(true)}>
          Set goals
        </button>
      </div>
    );
  else
    body = (
      <ol className="goals__list" aria-label="Goals">
        {statuses.map((s, i) => (
          <li key={i} className="goals__item" data-testid="goal" data-met={String(s.met)}>
            <Mark status={s} />
            <div className="goals__text">
              {editing ? <GoalEditor goal={s.goal} index={i} graph={graph} /> : <span className="goals__what">{describeGoal(s.goal)}</span>}
              <span className="goals__reason" data-testid="goal-reason">
                {s.reason}
              </span>
            </div>
            {editing ? (
              <button
                type="button"
                className="goals__remove"
                aria-label={`Remove the goal: ${describeGoal(s.goal)}`}
                title="Remove this goal"
                onClick={() => store.removeGoal(i)}
              >
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ol>
    );

  return (
    <div className="goals">
      <div className="goals__head">
        <h2 className="goals__title">Exercise goals</h2>
        {goals.length ? (
          <span className={`goals__summary goals__summary--${summary.allMet ? 'met' : 'unmet'}`} role="status" data-testid="goals-summary">
            {summary.allMet ? `✓ ${summary.text}` : summary.text}
          </span>
        ) : null}
        <span className="toolbar__spacer" />
        {editing ? (
          <>
            <select
              aria-label="Add a goal"
              value=""
              disabled={goals.length >= MAX_GOALS}
              title={goals.length >= MAX_GOALS ? `A project holds at most ${MAX_GOALS} goals` : undefined}
              onChange={(e) => {
                const kind = e.target.value as GoalKind;
                if (kind) store.addGoal(newGoal(kind, graph, analysis));
              }}
            >
              <option value="">Add a goal…</option>
              {GOAL_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
            <button type="button" className="primary" onClick={() => store.setEditing(false)}>
              Done
            </button>
          </>
        ) : goals.length ? (
          <button type="button" onClick={() => store.setEditing(true)} title="Change the goals (teacher)">
            Edit goals
          </button>
        ) : null}
      </div>
      {body}
      {editing && goals.length ? (
        <p className="muted small goals__hint">
          Goals are saved with the model and travel in its share link and project file. Press Done to see the checklist a student sees.
        </p>
      ) : null}
    </div>
  );
}
