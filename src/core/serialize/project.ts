/**
 * Layerlab's own project file: versioned JSON holding the graph (names, parameters, positions, shared-layer
 * calls) and the training settings. The autosave and share links use the same format.
 *
 * Reading (`parseProjectJson`), in order:
 * 1. JSON, a Layerlab project, a version from 1 to PROJECT_VERSION (a newer file is refused saying so);
 * 2. migrations from the file's version to the current one (migrations.ts: the file's steps and each layer
 *    kind's `migrations`);
 * 3. the structure, through a zod schema that carries every field of the graph types (a compile-time check
 *    below fails when a field is added to graph/types.ts and not here);
 * 4. the exercise goals (`goals`, version 4: core/goals.ts `readGoals`): a malformed goal is dropped with a note;
 *    the file is never refused for its goals;
 * 5. repairs that keep the user's work rather than refuse it, each with a note: a parameter the kind has and
 *    the file lacks gets its default, an unknown parameter key is dropped, a value no parameter can hold
 *    (not a number, text, true/false, empty, or a list of at most MAX_PARAM_LIST numbers) gets the default,
 *    a training setting outside the one definition (core/training.ts) is brought within it. A stored value
 *    of the right form that `checkParam` refuses (units 0) or a name `checkName` refuses (over
 *    MAX_NAME_LENGTH characters) is kept: the validator flags it on the canvas.
 * Nothing here bounds sizes the app could have written; callers bound the text (MAX_IMPORT_BYTES).
 */
import { z } from 'zod';
import type { Block, Edge, Graph, LayerNode, ParamValue, XY } from '../graph/types';
import { LAYER_DEFS, layerDef } from '../layers/registry';
import type { ParamSpec } from '../layers/params';
import {
  DEFAULT_TRAINING,
  TRAINING_SETTINGS,
  TRAINING_SETTING_KEYS,
  checkTrainingSetting,
  type NumericSetting,
  type TargetKind,
  type TrainingSettings,
} from '../training';
import { firstIssue } from './zodMessage';
import { migrateFile, PROJECT_MIGRATIONS, type JsonObject, type MigrationSource } from './migrations';
import { readGoals, type Goal } from '../goals';

/**
 * The version this build writes. Files of versions 1 … PROJECT_VERSION are read (older ones migrated).
 * 1: the first format. 2: `graph.outputs` (explicit outputs, in order) may be present; a build that reads
 * only version 1 refuses such a file rather than silently dropping the outputs. 3: an edge may read output k of a
 * layer with several (`output`: LSTM with return_state) and an output may name one (`{ node, output }`).
 * 4: an optional top-level `goals` list (exercise mode, core/goals.ts); written only when the project has goals.
 * 5: blocks (Keras nested models, core/graph/blocks.ts): an optional `graph.blocks` list and a node's `block`.
 * 6: frozen layers (Keras trainable=False, core/graph/frozen.ts): a node's optional `trainable: false`; a build that
 * reads only version 5 refuses such a file rather than dropping the flag and counting frozen weights as trainable.
 */
export const PROJECT_VERSION = 6;
export const PROJECT_FORMAT = 'layerlab-project';

export interface Project {
  readonly graph: Graph;
  readonly training: TrainingSettings;
  /** The exercise goals a teacher set (core/goals.ts); absent or empty for none. */
  readonly goals?: readonly Goal[];
}

/** What `parseProjectJson` gives: the project and what was changed to read it, or why it cannot be read. */
export type ProjectReadResult = { ok: true; project: Project; notes: string[] } | { ok: false; reason: string };

/** Longest list a parameter value can be: the most numbers any registered parameter holds. */
const listLength = (s: ParamSpec): number => (s.type === 'intTuple' ? s.length : s.type === 'shape' ? s.maxRank : s.type === 'intList' ? s.maxLength : 0);

/**
 * The most numbers a stored parameter value may list: the largest `length` (intTuple), `maxRank` (shape) or
 * `maxLength` (intList) of any registered kind's parameters, so every value `checkParam` accepts fits.
 */
export const MAX_PARAM_LIST = Math.max(1, ...LAYER_DEFS.flatMap((d) => Object.values(d.params).map(listLength)));

/**
 * Why a stored value cannot be a parameter value (graph/types.ts ParamValue: a finite number, text,
 * true/false, null, or a list of at most MAX_PARAM_LIST finite numbers or nulls), or null when it can.
 * Whether it suits its parameter is `checkParam`'s business (the validator's).
 */
export function paramValueProblem(v: unknown): string | null {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : 'not a finite number';
  if (Array.isArray(v)) {
    if (v.length > MAX_PARAM_LIST) return `a list of ${v.length} entries, but no parameter holds more than ${MAX_PARAM_LIST}`;
    if (!v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))) return 'a list whose entries are not all numbers';
    return null;
  }
  return 'neither a number, text, true/false nor a list of numbers';
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = z.number('must be a finite number');
const plainObject = z.custom<JsonObject>(isObject, 'must be an object');

const xySchema = z.object({ x: finite, y: finite });
const nodeSchema = z.object({
  id: z.string().min(1, 'must not be empty'),
  kind: z.string().min(1, 'must not be empty'),
  name: z.string(),
  params: plainObject,
  position: xySchema,
  layerOf: z.string().min(1, 'must not be empty').optional(),
  block: z.string().min(1, 'must not be empty').optional(),
  /** Frozen layer (version 6): only `false` is written; `true` reads as trainable, the default. */
  trainable: z.boolean('must be true or false').optional(),
});
const blockSchema = z.object({
  id: z.string().min(1, 'must not be empty'),
  name: z.string(),
  collapsed: z.boolean().optional(),
  callOf: z.string().min(1, 'must not be empty').optional(),
  outputs: z
    .array(z.object({ node: z.string(), output: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(63, 'must be at most 63') }))
    .optional(),
  sequential: z.boolean().optional(),
});
/** The most outputs a layer returns (an LSTM: 3; the bound keeps a made-up index from reaching the validator as a huge number). */
const MAX_OUTPUT_INDEX = 63;
const outputIndex = z.number().int('must be a whole number').min(0, 'must be 0 or more').max(MAX_OUTPUT_INDEX, `must be at most ${MAX_OUTPUT_INDEX}`);
const edgeSchema = z.object({ id: z.string().min(1, 'must not be empty'), source: z.string(), target: z.string(), output: outputIndex.optional() });
const graphSchema = z.object({
  name: z.string(),
  nodes: z.array(nodeSchema),
  edges: z.array(edgeSchema),
  /** Explicit output node ids, in order (optional: without it every layer nothing reads is an output). */
  outputs: z.array(z.union([z.string(), z.object({ node: z.string(), output: outputIndex })])).optional(),
  /** Blocks (nested model calls), version 5. */
  blocks: z.array(blockSchema).optional(),
});

// Every field of the graph types must be in the schema, or zod would silently drop it on every load (as it
// once dropped `layerOf`). Adding a field to graph/types.ts without adding it above fails to compile here.
type Missing<T, S> = Exclude<keyof T, keyof S>;
type AllCarried<T, S> = [Missing<T, S>] extends [never] ? true : { missingFromProjectSchema: Missing<T, S> };
const carried: [
  AllCarried<LayerNode, z.infer<typeof nodeSchema>>,
  AllCarried<Edge, z.infer<typeof edgeSchema>>,
  AllCarried<Graph, z.infer<typeof graphSchema>>,
  AllCarried<XY, z.infer<typeof xySchema>>,
  AllCarried<Block, z.infer<typeof blockSchema>>,
] = [true, true, true, true, true];
void carried;

const NODE_KEYS = new Set(Object.keys(nodeSchema.shape));
const EDGE_KEYS = new Set(Object.keys(edgeSchema.shape));
const GRAPH_KEYS = new Set(Object.keys(graphSchema.shape));
const BLOCK_KEYS = new Set(Object.keys(blockSchema.shape));
const FILE_KEYS = new Set(['format', 'version', 'graph', 'training', 'goals']);

/** Serialises a project to the current format (JSON text, one space of indentation); `goals` only when there are some. */
export function toProjectJson(project: Project): string {
  const goals = project.goals?.length ? { goals: project.goals } : {};
  return JSON.stringify({ format: PROJECT_FORMAT, version: PROJECT_VERSION, graph: project.graph, training: project.training, ...goals }, null, 1);
}

/**
 * A value as a note shows it: short JSON, at most three levels deep (deeper lists and objects as `[…]` and
 * `{…}`, so a value nested 100,000 deep costs nothing), never "[object Object]" or "undefined".
 */
function shown(v: unknown): string {
  const out = brief(v, 3);
  return out.length > 60 ? `${out.slice(0, 59)}…` : out;
}

function brief(v: unknown, depth: number): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'not a number' : v > 0 ? 'infinity' : '−infinity';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 59)}…` : v);
  if (v === null || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (depth === 0) return v.length ? '[…]' : '[]';
    const items = v.slice(0, 8).map((x) => brief(x, depth - 1));
    return `[${items.join(',')}${v.length > 8 ? ',…' : ''}]`;
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    if (depth === 0) return keys.length ? '{…}' : '{}';
    const items = keys.slice(0, 4).map((k) => `${JSON.stringify(k)}:${brief((v as JsonObject)[k], depth - 1)}`);
    return `{${items.join(',')}${keys.length > 4 ? ',…' : ''}}`;
  }
  return typeof v;
}

/** A key or name inside a note: quoted, control characters escaped, truncated. */
const quoted = (s: string): string => {
  const t = s.length > 60 ? `${s.slice(0, 59)}…` : s;
  // eslint-disable-next-line no-control-regex
  return `'${t.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
};

/** A dotted path segment: plain keys as they are, others quoted. */
const seg = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `[${quoted(k)}]`);

/**
 * The parameters of one stored node as this build holds them (step 4 of the module comment).
 * @param where the node's path for notes, e.g. "graph.nodes.3"
 */
function readParams(kind: string, name: string, raw: JsonObject, where: string, notes: string[]): Record<string, ParamValue> {
  const def = layerDef(kind);
  const who = `layer ${quoted(name)}`;
  const entries: [string, ParamValue][] = [];
  const keep = (k: string, v: unknown, fallback: ParamValue | undefined): void => {
    const bad = paramValueProblem(v);
    if (!bad) entries.push([k, v as ParamValue]);
    else if (fallback !== undefined) {
      entries.push([k, fallback]);
      notes.push(`${where}.params.${seg(k)}: ${shown(v)} is ${bad}; ${who} gets ${kind}'s default ${shown(fallback)}.`);
    } else notes.push(`${where}.params.${seg(k)}: ${shown(v)} is ${bad}; dropped from ${who}.`);
  };
  if (!def) {
    // An unknown kind: the validator names it; its values are kept as far as they are values.
    for (const k of Object.keys(raw)) keep(k, raw[k], undefined);
    return Object.fromEntries(entries);
  }
  for (const [k, spec] of Object.entries(def.params)) {
    if (!Object.hasOwn(raw, k)) {
      entries.push([k, spec.default]);
      notes.push(`${where}.params.${seg(k)}: missing; ${who} gets ${kind}'s default ${shown(spec.default)}.`);
    } else keep(k, raw[k], spec.default);
  }
  for (const k of Object.keys(raw))
    if (!Object.hasOwn(def.params, k))
      notes.push(`${where}.params.${seg(k)}: ${kind} has no parameter ${quoted(k)}; dropped from ${who} (it was ${shown(raw[k])}).`);
  return Object.fromEntries(entries);
}

/**
 * A numeric setting brought within its bounds: the nearest allowed value for a finite number (rounded for
 * a whole-number setting), the default for anything else.
 */
function nearestSetting(key: NumericSetting, v: unknown): number {
  const d = TRAINING_SETTINGS[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) return DEFAULT_TRAINING[key];
  if (d.integer) return Math.min(d.max, Math.max(d.min, Math.round(v)));
  if (v > d.max) return d.max;
  return v <= d.min ? DEFAULT_TRAINING[key] : v;
}

/** The stored training settings checked against the one definition (core/training.ts), repaired with notes. */
function readTraining(raw: unknown, notes: string[]): TrainingSettings {
  if (raw === undefined) return DEFAULT_TRAINING;
  if (!isObject(raw)) {
    notes.push(`training: ${shown(raw)} is not a set of training settings; the defaults are used.`);
    return DEFAULT_TRAINING;
  }
  const out: Record<string, unknown> = {};
  for (const key of TRAINING_SETTING_KEYS) {
    const v = raw[key];
    if (v === undefined) {
      if (key in DEFAULT_TRAINING) out[key] = DEFAULT_TRAINING[key];
      if (key !== 'data' && key !== 'losses' && key !== 'trialSizes')
        notes.push(`training.${key}: missing; the default ${shown(DEFAULT_TRAINING[key])} is used.`);
      continue;
    }
    const bad = checkTrainingSetting(key, v);
    if (!bad) {
      out[key] = v;
      continue;
    }
    if (key === 'epochs' || key === 'batchSize' || key === 'samples' || key === 'learningRate') {
      out[key] = nearestSetting(key, v);
      notes.push(`training.${key}: ${bad}; ${shown(out[key])} is used instead.`);
    } else if (key === 'losses' && isObject(v)) {
      // Keep every valid entry; drop the others one by one.
      const kept: [string, TargetKind][] = [];
      for (const [name, kind] of Object.entries(v)) {
        const one = checkTrainingSetting('losses', { [name]: kind });
        if (one) notes.push(`training.losses.${seg(name)}: ${one}; that output's loss is chosen from its activation.`);
        else kept.push([name, kind as TargetKind]);
      }
      out.losses = Object.fromEntries(kept);
    } else if (key === 'optimizer') {
      out.optimizer = DEFAULT_TRAINING.optimizer;
      notes.push(`training.optimizer: ${bad}; ${DEFAULT_TRAINING.optimizer} is used instead.`);
    } else notes.push(`training.${key}: ${bad}; the default is used.`);
  }
  for (const k of Object.keys(raw))
    if (!(TRAINING_SETTING_KEYS as readonly string[]).includes(k)) notes.push(`training.${seg(k)}: not a training setting; dropped.`);
  return out as unknown as TrainingSettings;
}

/**
 * The stored blocks (version 5) as this build holds them: a repeated id is refused-by-dropping with a note, a
 * `callOf` naming no other (first-call) block is dropped with a note (the block becomes a nested model of its own).
 */
function readBlocks(parsed: readonly z.infer<typeof blockSchema>[], raw: readonly JsonObject[], notes: string[]): Block[] {
  const seen = new Set<string>();
  const out: Block[] = [];
  parsed.forEach((b, i) => {
    extraKeys(raw[i] ?? {}, BLOCK_KEYS, `graph.blocks.${i}`, notes);
    if (seen.has(b.id)) {
      notes.push(`graph.blocks.${i}: a second block with the id ${quoted(b.id)}; dropped.`);
      return;
    }
    seen.add(b.id);
    out.push({
      id: b.id,
      name: b.name,
      ...(b.collapsed ? { collapsed: true } : {}),
      ...(b.callOf !== undefined ? { callOf: b.callOf } : {}),
      ...(b.outputs?.length ? { outputs: b.outputs.map((t) => ({ node: t.node, output: t.output })) } : {}),
      ...(b.sequential ? { sequential: true } : {}),
    });
  });
  const firsts = new Set(out.filter((b) => b.callOf === undefined).map((b) => b.id));
  return out.map((b) => {
    if (b.callOf === undefined || (firsts.has(b.callOf) && b.callOf !== b.id)) return b;
    notes.push(
      `graph.blocks.${out.indexOf(b)}.callOf: ${quoted(b.callOf)} is not the first call of another block; block ${quoted(b.name)} becomes a nested model of its own.`,
    );
    const { callOf: _gone, ...own } = b;
    return own;
  });
}

/** Notes for keys an object has beyond `known` (they are dropped). */
function extraKeys(o: JsonObject, known: ReadonlySet<string>, where: string, notes: string[]): void {
  for (const k of Object.keys(o))
    if (!known.has(k)) notes.push(`${where}${where ? '.' : ''}${seg(k)}: not part of a version ${PROJECT_VERSION} project; dropped.`);
}

const MIGRATIONS: MigrationSource = { steps: PROJECT_MIGRATIONS, layerMigrations: (kind) => layerDef(kind)?.migrations };

/**
 * Reads a project file of any version from 1 to PROJECT_VERSION (the module comment lists the steps).
 * @param source where migrations come from (tests pass their own; default: this build's)
 * @returns the project and one note per thing changed to read it (empty for a file this build wrote from a
 *   valid project), or the reason it cannot be read, naming where (e.g. "graph.nodes.3.position.x: must be a
 *   finite number") or saying the file is newer than this build. Never throws.
 */
export function parseProjectJson(text: string, source: MigrationSource = MIGRATIONS, current = PROJECT_VERSION): ProjectReadResult {
  try {
    return read(text, source, current);
  } catch (e) {
    // Nothing above is expected to throw; if it does, the file is refused in words, never with a crash.
    return { ok: false, reason: `The project file could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function read(text: string, source: MigrationSource, current: number): ProjectReadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `The file is not valid JSON: ${(e as Error).message}` };
  }
  if (!isObject(raw) || raw.format !== PROJECT_FORMAT)
    return {
      ok: false,
      reason: `This is not a Layerlab project file: its "format" is ${isObject(raw) ? shown(raw.format) : 'missing'} (expected "${PROJECT_FORMAT}").`,
    };
  const v = raw.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    return { ok: false, reason: `The project file has no valid version: "version" is ${shown(v)} (expected a whole number from 1 to ${current}).` };
  if (v > current)
    return {
      ok: false,
      reason: `The file is a version ${v} project, newer than this Layerlab (it reads versions 1 to ${current}); update Layerlab to open it.`,
    };

  const notes: string[] = [];
  const m = migrateFile(raw, v, current, source, notes);
  if (!m.ok) return m;
  const file = m.file;
  extraKeys(file, FILE_KEYS, '', notes);

  const r = graphSchema.safeParse(file.graph);
  if (!r.success) return { ok: false, reason: `The project file is malformed at ${firstIssue(r.error, 'graph')}` };
  const rawGraph = file.graph as JsonObject;
  extraKeys(rawGraph, GRAPH_KEYS, 'graph', notes);

  const blocks = readBlocks(r.data.blocks ?? [], (rawGraph.blocks ?? []) as JsonObject[], notes);
  const blockIds = new Set(blocks.map((b) => b.id));
  const ids = new Set<string>();
  for (const [i, n] of r.data.nodes.entries()) {
    if (ids.has(n.id)) return { ok: false, reason: `The project file is malformed at graph.nodes.${i}.id: two nodes have the id ${quoted(n.id)}.` };
    ids.add(n.id);
  }
  const nodes: LayerNode[] = r.data.nodes.map((n, i) => {
    const where = `graph.nodes.${i}`;
    extraKeys((rawGraph.nodes as JsonObject[])[i], NODE_KEYS, where, notes);
    const node: LayerNode = {
      id: n.id,
      kind: n.kind,
      name: n.name,
      params: readParams(n.kind, n.name, n.params, where, notes),
      position: { x: n.position.x, y: n.position.y },
    };
    let out: LayerNode = node;
    if (n.layerOf !== undefined) {
      if (n.layerOf !== n.id && ids.has(n.layerOf)) out = { ...out, layerOf: n.layerOf };
      else notes.push(`${where}.layerOf: ${quoted(n.layerOf)} is not another node of this graph; layer ${quoted(n.name)} becomes a layer of its own.`);
    }
    if (n.trainable === false && n.kind !== 'Input') out = { ...out, trainable: false };
    if (n.block !== undefined) {
      if (blockIds.has(n.block)) out = { ...out, block: n.block };
      else notes.push(`${where}.block: ${quoted(n.block)} is not a block of this graph; layer ${quoted(n.name)} joins the outer model.`);
    }
    return out;
  });
  const edges: Edge[] = [];
  for (const [i, e] of r.data.edges.entries()) {
    extraKeys((rawGraph.edges as JsonObject[])[i], EDGE_KEYS, `graph.edges.${i}`, notes);
    const missing = !ids.has(e.source) ? e.source : !ids.has(e.target) ? e.target : null;
    if (missing !== null) notes.push(`graph.edges.${i}: connection ${quoted(e.id)} refers to a missing node ${quoted(missing)}; dropped.`);
    else edges.push({ id: e.id, source: e.source, target: e.target, ...(e.output ? { output: e.output } : {}) });
  }
  let graph: Graph = { name: r.data.name, nodes, edges };
  const used = new Set(nodes.map((n) => n.block));
  const kept = blocks.filter((b, i) => {
    if (used.has(b.id)) return true;
    notes.push(`graph.blocks.${i}: block ${quoted(b.name)} has no layers; dropped.`);
    return false;
  });
  if (kept.length) graph = { ...graph, blocks: kept };
  if (r.data.outputs) {
    const outputs = r.data.outputs
      .map((o) => (typeof o === 'string' || o.output ? o : o.node))
      .filter((o, i) => {
        const id = typeof o === 'string' ? o : o.node;
        if (ids.has(id)) return true;
        notes.push(`graph.outputs.${i}: ${quoted(id)} is not a node of this graph; dropped from the outputs.`);
        return false;
      });
    if (outputs.length) graph = { ...graph, outputs };
  }
  const training = readTraining(file.training, notes);
  const g = readGoals(file.goals);
  notes.push(...g.notes);
  return { ok: true, project: { graph, training, ...(g.goals.length ? { goals: g.goals } : {}) }, notes };
}
