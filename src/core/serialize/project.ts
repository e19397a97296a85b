/**
 * Layerlab's own project file: versioned JSON holding the graph (names, parameters, positions)
 * and the training settings. The autosave uses the same format. Reading goes through a schema
 * (zod) so a malformed file is refused with one message saying where it is malformed.
 */
import { z } from 'zod';
import type { Graph } from '../graph/types';
import { DEFAULT_TRAINING, type TrainingSettings } from '../training';
import { firstIssue } from './zodMessage';

/** The version this build writes. Older versions are migrated on read (none yet: 1 is the first). */
export const PROJECT_VERSION = 1;
export const PROJECT_FORMAT = 'layerlab-project';

export interface Project {
  readonly graph: Graph;
  readonly training: TrainingSettings;
}

const dimValue = z.union([z.number(), z.boolean(), z.string(), z.null(), z.array(z.union([z.number(), z.null()])).max(16)]);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const id = z.string().min(1).max(200);

const graphSchema = z.object({
  name: z.string().max(200),
  nodes: z
    .array(
      z.object({
        id,
        kind: z.string().min(1).max(100),
        name: z.string().max(200),
        params: z.record(z.string().max(100), dimValue),
        position: z.object({ x: finite, y: finite }),
      }),
    )
    .max(10_000),
  edges: z.array(z.object({ id, source: id, target: id })).max(50_000),
});

const trainingSchema = z.object({
  epochs: z.number().int().min(1).max(10_000),
  batchSize: z.number().int().min(1).max(1_000_000),
  samples: z.number().int().min(1).max(10_000_000),
  optimizer: z.enum(['adam', 'sgd', 'rmsprop']),
  learningRate: z.number().positive().max(10),
  data: z.enum(['task', 'noise']).optional(),
  losses: z.record(z.string().max(200), z.enum(['classes', 'binary', 'regression'])).optional(),
});

const fileSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  graph: graphSchema,
  training: trainingSchema.optional(),
});

/** Serialises a project to the current format (pretty-printed JSON text). */
export function toProjectJson(project: Project): string {
  return JSON.stringify({ format: PROJECT_FORMAT, version: PROJECT_VERSION, graph: project.graph, training: project.training }, null, 1);
}

/**
 * Reads a project file.
 * @returns the project, or a reason naming where the text is malformed
 *   (e.g. "graph.nodes.3.position.x: must be a finite number"). Never throws.
 */
export function parseProjectJson(text: string): { ok: true; project: Project } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `The file is not valid JSON: ${(e as Error).message}` };
  }
  const v = (raw as { version?: unknown } | null)?.version;
  if (typeof v === 'number' && v > PROJECT_VERSION)
    return { ok: false, reason: `The file is a version ${v} project, newer than this Layerlab (version ${PROJECT_VERSION}); update Layerlab to open it.` };
  const r = fileSchema.safeParse(raw);
  if (!r.success) {
    return { ok: false, reason: `The project file is malformed at ${firstIssue(r.error)}` };
  }
  const { graph, training } = r.data;
  const ids = new Set(graph.nodes.map((n) => n.id));
  if (ids.size !== graph.nodes.length) return { ok: false, reason: 'The project file is malformed: two nodes share an id.' };
  const dangling = graph.edges.find((e) => !ids.has(e.source) || !ids.has(e.target));
  if (dangling) return { ok: false, reason: `The project file is malformed: connection '${dangling.id}' refers to a missing node.` };
  return { ok: true, project: { graph: graph as Graph, training: training ?? DEFAULT_TRAINING } };
}
