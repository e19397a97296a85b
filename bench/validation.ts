/**
 * Validation + shape inference of large graphs in Layerlab's core vs building the same model in tfjs (what
 * a builder that asks tfjs for shapes would pay on every edit). Run by bench/run.mjs in Node through Vite's
 * module runner; tfjs runs on its cpu backend (building allocates and initialises every weight).
 *
 * Graphs (Input [64] first, every layer keeps 64 features, a common width):
 * - chain: Dense(64) × (n − 1);
 * - branching: repeated blocks x → Dense(64) a, Dense(64) b → Concatenate → Dense(64) (4 layers a block),
 *   so every fourth layer merges two paths.
 * Timings are medians after warm-up runs (an editor validates on every edit, so the JIT is warm).
 */
import * as tf from '@tensorflow/tfjs';
import { analyze, defaultParams, layerDef, type Graph, type LayerNode } from '../src/core';
import { buildModel } from '../src/runtime/buildModel';

/** Features per layer. */
export const WIDTH = 64;

function node(id: string, kind: string, params: Record<string, unknown> = {}): LayerNode {
  return { id, kind, name: id, params: { ...defaultParams(layerDef(kind)!), ...params }, position: { x: 0, y: 0 } } as LayerNode;
}

/** A chain or branching graph of exactly `layers` nodes (the Input included). */
export function bigGraph(layers: number, shape: 'chain' | 'branching'): Graph {
  const nodes: LayerNode[] = [node('input', 'Input', { shape: [WIDTH] })];
  const edges: { id: string; source: string; target: string }[] = [];
  const link = (a: string, b: string) => edges.push({ id: `e${edges.length}`, source: a, target: b });
  let last = 'input';
  let i = 0;
  const dense = () => {
    const id = `dense_${i++}`;
    nodes.push(node(id, 'Dense', { units: WIDTH }));
    return id;
  };
  while (nodes.length < layers) {
    if (shape === 'branching' && layers - nodes.length >= 4) {
      const a = dense();
      const b = dense();
      link(last, a);
      link(last, b);
      const c = `concat_${i++}`;
      nodes.push(node(c, 'Concatenate'));
      link(a, c);
      link(b, c);
      const d = dense();
      link(c, d);
      last = d;
    } else {
      const d = dense();
      link(last, d);
      last = d;
    }
  }
  return { name: `${shape}_${layers}`, nodes, edges };
}

/** Median of `runs` timings of f (ms), after `warm` warm-up calls. */
function time(f: () => void, runs: number, warm = 1): number {
  for (let i = 0; i < warm; i++) f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

export interface ValidationRow {
  readonly layers: number;
  readonly shape: 'chain' | 'branching';
  /** Median ms of core `analyze` (validation + shapes + parameter counts + diagnostics). */
  readonly coreMs: number;
  /** Median ms of building the tfjs model (cpu backend; weights allocated and initialised), then disposing it. */
  readonly tfjsMs: number;
  /** tfjsMs / coreMs. */
  readonly ratio: number;
  readonly valid: boolean;
}

/** Runs the comparison for 100, 1,000 and 5,000 layers, both shapes. */
export async function runValidationBench(sizes: readonly number[] = [100, 1_000, 5_000]): Promise<ValidationRow[]> {
  await tf.setBackend('cpu');
  const rows: ValidationRow[] = [];
  for (const layers of sizes)
    for (const shape of ['chain', 'branching'] as const) {
      const g = bigGraph(layers, shape);
      const a = analyze(g);
      const coreMs = time(() => void analyze(g), layers >= 5_000 ? 9 : 21, 10);
      const tfjsMs = time(() => buildModel(tf, g, a).dispose(), layers >= 5_000 ? 1 : layers >= 1_000 ? 3 : 5);
      rows.push({ layers, shape, coreMs, tfjsMs, ratio: tfjsMs / coreMs, valid: a.valid });
    }
  return rows;
}
