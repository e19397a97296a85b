/**
 * Helpers for the Python code-import tests: Pyodide from node_modules (loaded once per file), a canonical form of a
 * graph for round-trip comparisons, and tfjs's view of an imported graph.
 */
import * as tf from '@tensorflow/tfjs';
import { loadPyodide } from 'pyodide';
import type { Graph, Params } from '../../src/core/graph/types';
import { analyze } from '../../src/core/validate/analyze';
import { layerDef } from '../../src/core/layers/registry';
import { paramApplies } from '../../src/core/layers/args';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { runPythonImport, type PyodideLike } from '../../src/codeimport/python/run';

/** Loads Pyodide from node_modules with its console output silenced; returns it and the time it took (ms). */
export async function loadPython(): Promise<{ pyodide: PyodideLike; ms: number }> {
  const t = performance.now();
  const pyodide = await loadPyodide({ stdout: () => {}, stderr: () => {} });
  return { pyodide, ms: performance.now() - t };
}

/** Imports code that must import: the graph and notes, or a thrown error with the reason and line. */
export async function importOk(pyodide: PyodideLike, code: string): Promise<{ graph: Graph; notes: readonly string[] }> {
  const r = await runPythonImport(pyodide, code);
  if (!r.ok) throw new Error(`import failed${r.line ? ` at line ${r.line}` : ''}: ${r.reason}`);
  return r;
}

/**
 * One form of layers that compute the same function: ThresholdedReLU(theta=0) is ReLU() (x if x > 0 else 0). Layerlab's
 * Python writes ThresholdedReLU(θ) as Keras 3's `ReLU(threshold=θ)` (Keras 3 has no ThresholdedReLU), and the importer
 * reads `ReLU(threshold=0)` back as a plain ReLU, as it reads Keras 3's own files.
 */
function sameFunction(kind: string, params: Params): { kind: string; params: Params } {
  if (kind === 'ThresholdedReLU' && params.theta === 0) return { kind: 'ReLU', params: { max_value: null } };
  // A wrapper's inner parameter the wrapped kind does not have (a Bidirectional LSTM's reset_after) means nothing:
  // no code writes it (core paramApplies), so it cannot come back.
  const def = layerDef(kind);
  return { kind, params: def ? Object.fromEntries(Object.entries(params).filter(([k]) => paramApplies(def, params, k))) : params };
}

/**
 * A graph as comparable data, independent of node ids, positions and graph order: each call keyed `name#k` (the k-th
 * node of that layer name in graph order), with its kind, parameters, inputs (`name#k:output` in input order), output
 * shape(s), weights and whether it is frozen (trainable=False); the model's name, output tensors and totals.
 */
export function canonical(g: Graph) {
  const a = analyze(g);
  const seen = new Map<string, number>();
  const key = new Map<string, string>();
  for (const n of g.nodes) {
    const k = seen.get(n.name) ?? 0;
    seen.set(n.name, k + 1);
    key.set(n.id, `${n.name}#${k}`);
  }
  const nodes = Object.fromEntries(
    [...g.nodes]
      .sort((x, y) => (key.get(x.id)! < key.get(y.id)! ? -1 : 1))
      .map((n) => {
        const info = a.nodes.get(n.id)!;
        const inputs = g.edges.filter((e) => e.target === n.id).map((e) => `${key.get(e.source)}:${e.output ?? 0}`);
        const same = sameFunction(n.kind, n.params);
        const params = Object.fromEntries(Object.entries(same.params).sort(([x], [y]) => x.localeCompare(y)));
        const frozen = n.trainable === false;
        return [key.get(n.id)!, { kind: same.kind, params, inputs, shape: info.outputShape, more: info.moreOutputs, weights: info.weights, frozen }];
      }),
  );
  return {
    name: g.name,
    nodes,
    inputs: a.inputs.map((id) => key.get(id)),
    outputs: a.outputTensors.map((t) => `${key.get(t.node)}:${t.output}`),
    totals: a.totals,
    valid: a.valid,
    errors: a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
  };
}

/** tfjs's own parameter count and output shapes of a graph, built by the runtime (cpu backend). */
export function tfjsView(graph: Graph): { total: number; outputs: (number | null)[][] } {
  const model = buildModel(tf, graph);
  try {
    const shapes = model.outputs.map((o) => [...o.shape]);
    return { total: model.countParams(), outputs: shapes };
  } finally {
    disposeModel(tf, model);
  }
}
