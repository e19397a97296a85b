/**
 * Exercise goals (issue 11, "Exercise mode"): what a teacher asks of a model — an output shape, a parameter budget,
 * the layer kinds allowed, the Functional API, a merge, a shared layer, a loss to train below, a number of layers —
 * and the live check of each against the graph (`checkGoals`). Goals travel in the project file (`goals`, version 4)
 * and therefore in share links; `goalSchema` is the one definition of a goal's form and limits, used by the project
 * reader and by the Goals panel's fields.
 *
 * Pure: no React, no tfjs. Every check reads the validator's analysis (shapes, totals) and the graph; nothing is
 * recomputed here.
 */
import { z } from 'zod';
import type { Dim, Graph, LayerNode } from './graph/types';
import type { Analysis } from './validate/analyze';
import { MAX_EXACT } from './validate/sizes';
import { apiPlan } from './validate/structure';
import { callsByLayer } from './graph/shared';
import { LAYER_DEFS, layerDef } from './layers/registry';
import { formatShape } from './layers/define';
import { formatCount, formatFixed } from './format';
import { firstIssue } from './serialize/zodMessage';

/** The most goals one project holds (a file with more keeps the first MAX_GOALS, with a note). */
export const MAX_GOALS = 20;
/** The most axes an output-shape goal lists after the batch axis (Conv3D's 5-D outputs have 4). */
export const MAX_GOAL_RANK = 6;
/** The largest size one axis of an output-shape goal may name. */
export const MAX_GOAL_DIM = 1_000_000;
/** The largest layer count a goal may name. */
export const MAX_GOAL_LAYERS = 10_000;
/** The largest loss a "train below" goal may name (any larger goal is met by every run that ends finite). */
export const MAX_GOAL_LOSS = 1_000_000;

/**
 * One goal. Kinds:
 * - `outputShape`: the model has one output, of shape (None, ...dims) (`dims`: the axes after the batch axis, as
 *   `keras.Input(shape=…)` writes them; null = None);
 * - `params`: total parameters (trainable + non-trainable, as Keras's summary prints "Total params") ≤ `max`, and
 *   ≥ `min` when given;
 * - `kinds`: every layer is of one of `allowed` (registry kinds, e.g. 'Dense'; Input layers are always allowed);
 * - `functional`: the model needs the Functional API (core `apiPlan` says 'functional');
 * - `merge`: a merge layer (category Merge, taking several inputs: Add, Concatenate, …) merges two or more tensors;
 * - `shared`: a layer is called more than once (a node with `layerOf`);
 * - `loss`: the last finished training run of this model ended with a loss below `below`;
 * - `layers`: at most `max` layers (Inputs not counted; a shared layer counts once, as Keras counts layers).
 */
export type Goal =
  | { readonly kind: 'outputShape'; readonly dims: readonly Dim[] }
  | { readonly kind: 'params'; readonly max: number; readonly min?: number }
  | { readonly kind: 'kinds'; readonly allowed: readonly string[] }
  | { readonly kind: 'functional' }
  | { readonly kind: 'merge' }
  | { readonly kind: 'shared' }
  | { readonly kind: 'loss'; readonly below: number }
  | { readonly kind: 'layers'; readonly max: number };

export type GoalKind = Goal['kind'];

/** The goal kinds in the order the panel's "Add a goal" menu lists them, with the menu's label. */
export const GOAL_KINDS: readonly { readonly kind: GoalKind; readonly label: string }[] = [
  { kind: 'outputShape', label: 'Output shape' },
  { kind: 'params', label: 'Parameter budget' },
  { kind: 'kinds', label: 'Only these layer kinds' },
  { kind: 'functional', label: 'Uses the Functional API' },
  { kind: 'merge', label: 'Uses a merge layer' },
  { kind: 'shared', label: 'Uses a shared layer' },
  { kind: 'loss', label: 'Trains below a loss' },
  { kind: 'layers', label: 'At most N layers' },
];

/** The registry kinds a `kinds` goal may name: every palette kind (the import-only Opaque is not one). */
export const GOAL_LAYER_KINDS: readonly string[] = LAYER_DEFS.map((d) => d.kind);
const KNOWN_KINDS = new Set(GOAL_LAYER_KINDS);

const count = (max: number) =>
  z
    .number('must be a number')
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(max, `must be at most ${formatCount(max)}`);
const dim = z
  .number('must be a number or None')
  .int('must be a whole number')
  .min(1, 'must be 1 or more')
  .max(MAX_GOAL_DIM, `must be at most ${formatCount(MAX_GOAL_DIM)}`)
  .nullable();

/**
 * The form and limits of one goal as stored in a project file. Numbers are whole and bounded (a parameter budget
 * up to 2⁵³ − 1, a loss finite and above 0); `min` ≤ `max` for a budget; a kinds list names 1 to all registry kinds.
 */
export const goalSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('outputShape'),
      dims: z.array(dim).min(1, 'must list at least one axis after the batch axis').max(MAX_GOAL_RANK, `must list at most ${MAX_GOAL_RANK} axes`),
    }),
    z
      .object({ kind: z.literal('params'), max: count(MAX_EXACT), min: count(MAX_EXACT).optional() })
      .refine((g) => g.min === undefined || g.min <= g.max, { message: 'must not be above the budget', path: ['min'] }),
    z.object({
      kind: z.literal('kinds'),
      allowed: z
        .array(z.string().min(1, 'must not be empty').max(60, 'must be at most 60 characters'))
        .min(1, 'must name at least one layer kind')
        .max(GOAL_LAYER_KINDS.length, `must name at most ${GOAL_LAYER_KINDS.length} kinds`),
    }),
    z.object({ kind: z.literal('functional') }),
    z.object({ kind: z.literal('merge') }),
    z.object({ kind: z.literal('shared') }),
    z.object({
      kind: z.literal('loss'),
      below: z
        .number('must be a number')
        .gt(0, 'must be above 0')
        .max(MAX_GOAL_LOSS, `must be at most ${formatCount(MAX_GOAL_LOSS)}`),
    }),
    z.object({ kind: z.literal('layers'), max: count(MAX_GOAL_LAYERS).min(1, 'must be 1 or more') }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `must be one of the goal kinds: ${GOAL_KINDS.map((k) => k.kind).join(', ')}` : undefined) },
);

// A goal kind added to the Goal type and not to the schema (or the other way round) fails to compile here.
type SchemaGoal = z.infer<typeof goalSchema>;
const sameKinds: [Exclude<GoalKind, SchemaGoal['kind']>, Exclude<SchemaGoal['kind'], GoalKind>] extends [never, never] ? true : false = true;
void sameKinds;

/** The output-shape goal's shape as Keras prints it: dims (1, 2) → "(None, 1, 2)". */
export const goalShapeText = (dims: readonly Dim[]): string => formatShape([null, ...dims]);

/** A goal's loss as the teacher typed it (0.5, 0.05, 1e-7 as 0.0000001), at most 6 significant digits. */
const lossText = (v: number): string => String(Number(v.toPrecision(6)));

/** A short list of kind names for a sentence: the first 8, then "and N more". */
function kindList(kinds: readonly string[]): string {
  return kinds.length <= 8 ? kinds.join(', ') : `${kinds.slice(0, 8).join(', ')} and ${kinds.length - 8} more`;
}

/**
 * One line saying what a goal asks, for the checklist and the goal editor, e.g. "Output shape (None, 1)",
 * "At most 1,000,000 parameters", "Only these layer kinds: Dense, Dropout".
 */
export function describeGoal(goal: Goal): string {
  switch (goal.kind) {
    case 'outputShape':
      return `Output shape ${goalShapeText(goal.dims)}`;
    case 'params':
      return goal.min !== undefined
        ? `Between ${formatCount(goal.min)} and ${formatCount(goal.max)} parameters`
        : `At most ${formatCount(goal.max)} parameters`;
    case 'kinds':
      return `Only these layer kinds: ${kindList(goal.allowed)}`;
    case 'functional':
      return 'Needs the Functional API (not a plain Sequential chain)';
    case 'merge':
      return 'Uses a merge layer (Add, Concatenate, …) on two or more tensors';
    case 'shared':
      return 'Uses a shared layer (one layer called on two tensors)';
    case 'loss':
      return `Trains to a final loss below ${lossText(goal.below)}`;
    case 'layers':
      return `At most ${formatCount(goal.max)} layer${goal.max === 1 ? '' : 's'} (Inputs not counted)`;
  }
}

/**
 * What the app knows of the last training run that finished (Train tab): its final loss (null when no epoch or
 * batch reported one), whether the loss became NaN or infinite, and whether it ran on the model as it is now
 * (`current`: false once the model changed since the run began, other than by moving nodes).
 */
export interface TrainingOutcome {
  readonly loss: number | null;
  readonly nonFinite: boolean;
  readonly current: boolean;
}

/** One goal's status: met (true), not met (false) or not checkable yet (null: not trained), and why in one sentence. */
export interface GoalStatus {
  readonly goal: Goal;
  readonly met: boolean | null;
  readonly reason: string;
}

const q = (n: LayerNode): string => `'${n.name}'`;
/** Names for a sentence: 'a', 'b' and 'c' (at most 4, then "and N more"). */
function names(ns: readonly LayerNode[]): string {
  const shown = ns.slice(0, 4).map(q);
  const more = ns.length > 4 ? ` and ${ns.length - 4} more` : '';
  return shown.length > 1 && !more ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : `${shown.join(', ')}${more}`;
}

/** The first error of the analysis as a short clause, for goals that need a valid model. */
function firstError(analysis: Analysis): string {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0]?.message ?? 'the model has errors';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length === 2 ? '' : 's'})` : '';
  return `${first.replace(/\.$/, '')}${more}`;
}

/** The layers of the graph (Inputs excluded), one per Keras layer: a shared layer's calls count once. */
function layersOf(graph: Graph): LayerNode[] {
  return [...callsByLayer(graph).values()].map((calls) => calls[0]).filter((n) => n.kind !== 'Input');
}

function checkOne(goal: Goal, graph: Graph, analysis: Analysis, training: TrainingOutcome | undefined): GoalStatus {
  const status = (met: boolean | null, reason: string): GoalStatus => ({ goal, met, reason });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const empty = graph.nodes.every((n) => n.kind === 'Input');
  switch (goal.kind) {
    case 'outputShape': {
      const want = goalShapeText(goal.dims);
      if (empty) return status(false, `the model has no layers yet; the goal is one output of shape ${want}`);
      const outs = analysis.outputTensors;
      const shapeOf = (t: (typeof outs)[number]) => {
        const info = analysis.nodes.get(t.node);
        return (t.output === 0 ? info?.outputShape : info?.moreOutputs[t.output - 1]) ?? null;
      };
      if (outs.length !== 1) {
        const list = outs.map((t) => {
          const s = shapeOf(t);
          return `'${byId.get(t.node)?.name ?? t.node}' ${s ? formatShape(s) : '(shape unknown)'}`;
        });
        return status(false, `the model has ${outs.length} outputs (${list.join(', ')}); the goal is one output of shape ${want}`);
      }
      const node = byId.get(outs[0].node);
      const got = shapeOf(outs[0]);
      if (!got) return status(false, `the output${node ? ` ${q(node)}` : ''} has no shape yet: ${firstError(analysis)}`);
      const same = got.length === goal.dims.length + 1 && goal.dims.every((d, i) => d === got[i + 1]);
      const text = formatShape(got);
      return same ? status(true, `output shape ${text} = goal ${want}`) : status(false, `output shape ${text} ≠ goal ${want}`);
    }
    case 'params': {
      if (empty) return status(false, 'the model has no layers yet');
      if (!analysis.valid) return status(false, `the parameter count is not final while the model has errors: ${firstError(analysis)}`);
      const total = analysis.totals.total;
      const shown = Number.isFinite(total) ? formatCount(total) : 'more than 2⁵³ − 1';
      if (total > goal.max) return status(false, `total ${shown} parameters > budget ${formatCount(goal.max)}`);
      if (goal.min !== undefined && total < goal.min) return status(false, `total ${shown} parameters < minimum ${formatCount(goal.min)}`);
      return status(
        true,
        goal.min !== undefined
          ? `total ${shown} parameters, within ${formatCount(goal.min)} … ${formatCount(goal.max)}`
          : `total ${shown} parameters ≤ budget ${formatCount(goal.max)}`,
      );
    }
    case 'kinds': {
      const allowed = new Set(goal.allowed);
      const layers = layersOf(graph);
      const off = layers.filter((n) => !allowed.has(n.kind));
      const allowedText = kindList(goal.allowed);
      if (!off.length)
        return status(true, layers.length ? `every layer is one of the allowed kinds: ${allowedText}` : `no layers yet; allowed: ${allowedText}`);
      const kinds = [...new Set(off.map((n) => n.kind))];
      return status(false, `uses ${kindList(kinds)} (${names(off)}), not in the allowed kinds: ${allowedText}`);
    }
    case 'functional': {
      if (!graph.nodes.some((n) => n.kind === 'Input')) return status(false, 'the model has no Input layer yet');
      if (empty) return status(false, 'the model has no layers yet');
      const plan = apiPlan(graph);
      // apiPlan's sentence, worded as the other reasons are (lower case, no final stop).
      if (plan.kind === 'functional') return status(true, plan.reason.replace(/^The /, 'the ').replace(/\.$/, ''));
      return status(false, 'the model is one chain, which the Sequential API writes: it needs a branch, a merge, several inputs or outputs, or a shared layer');
    }
    case 'merge': {
      const merges = graph.nodes.filter((n) => {
        const def = layerDef(n.kind);
        return def?.category === 'Merge' && def.inputs.max > 1;
      });
      const fan = (n: LayerNode) => graph.edges.filter((e) => e.target === n.id).length;
      const used = merges.find((n) => fan(n) >= 2);
      if (used) return status(true, `${q(used)} (${used.kind}) merges ${fan(used)} tensors`);
      if (merges.length)
        return status(
          false,
          `${q(merges[0])} (${merges[0].kind}) merges ${fan(merges[0])} tensor${fan(merges[0]) === 1 ? '' : 's'}; a merge needs two or more`,
        );
      return status(false, 'no merge layer (Add, Concatenate, Multiply, …) in the model');
    }
    case 'shared': {
      for (const calls of callsByLayer(graph).values())
        if (calls.length > 1) return status(true, `${q(calls[0])} is called ${calls.length} times (one set of weights)`);
      return status(false, 'no layer is called more than once: select a layer and press "Call this layer again" in the inspector');
    }
    case 'loss': {
      const goalText = lossText(goal.below);
      if (!training) return status(null, `not trained yet: train the model (Train tab) to check the final loss against ${goalText}`);
      if (!training.current) return status(null, 'the model changed since its last training run: train it again to check the loss');
      if (training.nonFinite) return status(false, 'the last training run stopped: its loss became infinite or not a number');
      if (training.loss === null) return status(null, 'the last training run ended before reporting a loss: train it again');
      const got = formatFixed(training.loss);
      return training.loss < goal.below ? status(true, `final loss ${got} < goal ${goalText}`) : status(false, `final loss ${got} ≥ goal ${goalText}`);
    }
    case 'layers': {
      const n = layersOf(graph).length;
      const text = `${formatCount(n)} layer${n === 1 ? '' : 's'}`;
      return n <= goal.max ? status(true, `${text} ≤ ${formatCount(goal.max)}`) : status(false, `${text} > at most ${formatCount(goal.max)}`);
    }
  }
}

/**
 * Checks every goal against the model.
 * @param goals the project's goals
 * @param analysis core `analyze(graph)` (the app passes its memoised analysis)
 * @param training the last finished training run, or undefined when none finished (loss goals are then null)
 * @returns one status per goal, in order: met true / false, or null for a loss goal not checkable yet, with a
 *   specific reason ("total 1,204,318 parameters > budget 1,000,000", "output shape (None, 10) ≠ goal (None, 5)").
 *   Never throws for a graph the validator analysed.
 */
export function checkGoals(goals: readonly Goal[], graph: Graph, analysis: Analysis, training?: TrainingOutcome): GoalStatus[] {
  return goals.map((g) => checkOne(g, graph, analysis, training));
}

/** "All goals met", or how many are: "3 of 5 goals met" (a goal not checkable yet is not met). */
export function goalsSummary(statuses: readonly GoalStatus[]): { readonly allMet: boolean; readonly text: string } {
  const met = statuses.filter((s) => s.met === true).length;
  const allMet = statuses.length > 0 && met === statuses.length;
  return { allMet, text: allMet ? 'All goals met' : `${met} of ${statuses.length} goal${statuses.length === 1 ? '' : 's'} met` };
}

/** What `readGoals` gives: the goals kept and one note per goal or kind dropped. */
export interface GoalsRead {
  readonly goals: Goal[];
  readonly notes: string[];
}

/**
 * Reads a project file's `goals` (untrusted JSON): each entry is checked against `goalSchema`; an entry that fails
 * is dropped with a note naming it ("goals.2.max: must be a whole number; this goal is dropped."), kinds a `kinds`
 * goal names that this build does not have are dropped from it with a note, entries past MAX_GOALS are dropped with
 * a note. Never refuses: a file is never refused for its goals.
 * @param where the path for notes ('goals')
 */
export function readGoals(raw: unknown, where = 'goals'): GoalsRead {
  const notes: string[] = [];
  if (raw === undefined) return { goals: [], notes };
  if (!Array.isArray(raw)) return { goals: [], notes: [`${where}: not a list of goals; no goals are set.`] };
  const goals: Goal[] = [];
  for (const [i, entry] of raw.entries()) {
    if (goals.length >= MAX_GOALS) {
      notes.push(`${where}: ${formatCount(raw.length)} goals, more than the ${MAX_GOALS} a project holds; goals ${i + 1} to ${raw.length} are dropped.`);
      break;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      notes.push(`${where}.${i}: not a goal (an object with a "kind"); this goal is dropped.`);
      continue;
    }
    const r = goalSchema.safeParse(entry);
    if (!r.success) {
      notes.push(`${firstIssue(r.error, `${where}.${i}`)}; this goal is dropped.`);
      continue;
    }
    const g = r.data as Goal;
    if (g.kind === 'kinds') {
      const unknown = g.allowed.filter((k) => !KNOWN_KINDS.has(k));
      const known = [...new Set(g.allowed.filter((k) => KNOWN_KINDS.has(k)))];
      if (unknown.length) {
        const list = unknown
          .slice(0, 4)
          .map((k) => `'${k.length > 40 ? `${k.slice(0, 39)}…` : k}'`)
          .join(', ');
        if (!known.length) {
          notes.push(
            `${where}.${i}.allowed: ${list} ${unknown.length === 1 ? 'is not a layer kind' : 'are not layer kinds'} Layerlab has; this goal is dropped.`,
          );
          continue;
        }
        notes.push(
          `${where}.${i}.allowed: ${list} ${unknown.length === 1 ? 'is not a layer kind' : 'are not layer kinds'} Layerlab has; dropped from the allowed kinds.`,
        );
      }
      goals.push({ kind: 'kinds', allowed: known });
      continue;
    }
    goals.push(g);
  }
  return { goals, notes };
}
