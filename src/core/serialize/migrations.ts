/**
 * Project-file migrations: every file Layerlab ever wrote (version 1 … PROJECT_VERSION) is read by upgrading
 * its raw JSON one version at a time, v → v + 1, before it is checked against the current schema (the idea
 * of tldraw's record migrations: a sequence of small, ordered, never-edited steps on plain data).
 *
 * A step has two parts, both optional:
 * - the file's own change (`ProjectMigration.up`: a field renamed, a structure reshaped);
 * - the changes of each layer kind's parameters (`LayerDef.migrations`, see ParamMigration in
 *   layers/define.ts) whose `version` is v + 1, applied to every node of that kind, oldest first.
 * After the last step the reader (project.ts) fills parameters a kind has and the file lacks from their
 * defaults and drops unknown ones, with a note each, so a migration is only needed when an old value must be
 * carried over or reinterpreted. How to add one: ARCHITECTURE.md, "Project file versions".
 *
 * Pure: no I/O; never throws (a step that throws becomes a refusal naming the step).
 */
import type { ParamMigration } from '../layers/define';

/** A JSON object as parsed: nothing is trusted yet. */
export type JsonObject = Record<string, unknown>;

/** One step of the file format: reads version `from`, writes version `from + 1`. */
export interface ProjectMigration {
  /** The version this step reads. */
  readonly from: number;
  /** One line for the notes shown on load, e.g. 'outputs listed explicitly'. */
  readonly description: string;
  /** The file as version `from + 1` has it; absent when only layer kinds changed in that version. */
  up?(file: Readonly<JsonObject>): JsonObject;
}

/**
 * The steps from version 1 to PROJECT_VERSION, one per version, oldest first. Never edit or remove a step
 * once released: files of that version exist.
 */
export const PROJECT_MIGRATIONS: readonly ProjectMigration[] = [
  // Version 2 added the optional `graph.outputs`; a version 1 file has none and reads as it is.
  { from: 1, description: 'explicit outputs (graph.outputs) may be listed' },
  // Version 3 added `output` on edges and `{ node, output }` outputs (layers with several outputs); older files have neither.
  { from: 2, description: 'connections may read one output of a layer with several (LSTM return_state)' },
  // Version 4 added the optional top-level `goals` (exercise mode, core/goals.ts); older files have none.
  { from: 3, description: 'exercise goals (goals) may be listed' },
  // Version 5 added the optional `graph.blocks` and a node's `block` (Keras nested models); older files have neither.
  { from: 4, description: 'blocks (Keras nested models, graph.blocks) may be listed' },
  // Version 6 added a node's optional `trainable: false` (frozen layers); older files have none.
  { from: 5, description: 'layers may be frozen (trainable: false)' },
];

/** Where migrations come from: the file's steps and each layer kind's parameter migrations. */
export interface MigrationSource {
  readonly steps: readonly ProjectMigration[];
  /** The kind's parameter migrations (LayerDef.migrations), or undefined for none / an unknown kind. */
  readonly layerMigrations: (kind: string) => readonly ParamMigration[] | undefined;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A node's name for a note: its Keras name when it has a readable one, truncated. */
const nodeLabel = (n: JsonObject, i: number): string =>
  typeof n.name === 'string' && n.name ? `graph.nodes.${i} ('${n.name.length > 60 ? `${n.name.slice(0, 60)}…` : n.name}')` : `graph.nodes.${i}`;

/**
 * Upgrades a file's raw JSON from version `from` to version `to` (from ≤ to), step by step.
 * @param file the parsed file (not modified: steps return new objects)
 * @param notes receives one line per step applied and per node a layer migration changed
 * @returns the file as version `to` has it (its `version` field set to `to`), or the reason it cannot be
 *   upgraded (a missing step — a bug in this build — or a step that threw on this file). Never throws.
 */
export function migrateFile(
  file: JsonObject,
  from: number,
  to: number,
  source: MigrationSource,
  notes: string[],
): { ok: true; file: JsonObject } | { ok: false; reason: string } {
  let cur: JsonObject = file;
  for (let v = from; v < to; v++) {
    const step = source.steps.find((s) => s.from === v);
    if (!step) return { ok: false, reason: `This Layerlab cannot upgrade version ${v} project files (no migration from version ${v} to ${v + 1}).` };
    try {
      if (step.up) {
        cur = step.up(cur);
        notes.push(`Upgraded the file from version ${v} to ${v + 1}: ${step.description}.`);
      }
      cur = migrateLayers(cur, v + 1, source, notes);
    } catch (e) {
      return {
        ok: false,
        reason: `The version ${v} file could not be upgraded to version ${v + 1} (${step.description}): ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    cur = { ...cur, version: v + 1 };
  }
  return { ok: true, file: cur };
}

/** Applies every layer migration of `version` to the nodes of its kind (nodes that are not objects are left to the schema). */
function migrateLayers(file: JsonObject, version: number, source: MigrationSource, notes: string[]): JsonObject {
  const graph = file.graph;
  if (!isObject(graph) || !Array.isArray(graph.nodes)) return file;
  let changed = false;
  const nodes = graph.nodes.map((n: unknown, i: number) => {
    if (!isObject(n) || typeof n.kind !== 'string' || !isObject(n.params)) return n;
    const ms = (source.layerMigrations(n.kind) ?? []).filter((m) => m.version === version);
    if (!ms.length) return n;
    let params: JsonObject = n.params;
    for (const m of ms) {
      params = m.up(params);
      notes.push(`${nodeLabel(n, i)}: ${n.kind} parameters upgraded to version ${version}: ${m.description}.`);
    }
    changed = true;
    return { ...n, params };
  });
  return changed ? { ...file, graph: { ...graph, nodes } } : file;
}
