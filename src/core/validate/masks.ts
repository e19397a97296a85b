/**
 * Keras masks as tfjs 4.22 runs a model (layers/shared/mask.ts has the per-layer rules). tfjs's executor
 * (tfjs-layers engine/executor.ts `execute`) walks the layers in its own order and, for each layer whose
 * inputs carry a mask, sets `kwargs.mask` to the first input's mask on one `kwargs` object shared by the
 * whole walk: a layer that reads `kwargs.mask` (Softmax, the recurrent layers) gets the last mask set
 * before it, even from another branch. So the rules run in that order, with that "received" mask.
 */
import type { Graph, Shape } from '../graph/types';
import { incoming } from '../graph/topology';
import { ShapeError, type WeightCount } from '../layers/define';
import { layerDef } from '../layers/registry';
import type { Diagnostic } from './diagnostics';

/**
 * The order tfjs's executor runs a model's layers in: for each output in turn, an iterative depth-first
 * walk (inputs pushed in order, so the last input is walked first), each layer listed after its inputs and
 * once. Inputs are fed, never run. Source: tfjs-layers engine/executor.ts
 * `getTopologicalSortAndRecipientCounts` / `…ForOneFetch`.
 */
export function tfjsExecutionOrder(graph: Graph, outputs: readonly string[]): string[] {
  const ins = incoming(graph);
  const fed = graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.id);
  const sorted: string[] = [];
  const listed = new Set<string>();
  for (const fetch of outputs) {
    const visited = new Set(fed);
    const stack = [fetch];
    const marks: number[] = [];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (visited.has(top)) {
        stack.pop();
        continue;
      }
      const topIsMarked = marks[marks.length - 1] === stack.length - 1;
      const inputs = ins.get(top)!.map((e) => e.source);
      if (inputs.length === 0 || topIsMarked) {
        stack.pop();
        visited.add(top);
        if (topIsMarked) marks.pop();
        if (!listed.has(top)) {
          listed.add(top);
          sorted.push(top);
        }
      } else {
        marks.push(stack.length - 1);
        for (const i of inputs) if (!visited.has(i)) stack.push(i);
      }
    }
  }
  return sorted;
}

/**
 * Runs the mask rules over the layers whose shapes are known, in tfjs's execution order, and returns a
 * 'shape/mask' error for each layer tfjs would fail on. A failing layer passes no mask on, so one mistake
 * gives one message.
 */
export function maskDiagnostics(
  graph: Graph, outputs: readonly string[], info: ReadonlyMap<string, { readonly inputShapes: readonly (Shape | null)[]; readonly outputShape: Shape | null; readonly weights: WeightCount | null }>,
): Diagnostic[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const ins = incoming(graph);
  const mask = new Map<string, Shape | null>();
  const out: Diagnostic[] = [];
  let received: Shape | null = null;
  for (const id of tfjsExecutionOrder(graph, outputs)) {
    const n = byId.get(id)!;
    const def = layerDef(n.kind);
    const shapes = info.get(id)?.inputShapes;
    if (!def || !info.get(id)?.outputShape || !shapes || shapes.some((s) => s === null)) continue;
    const masks = ins.get(id)!.map((e) => mask.get(e.source) ?? null);
    if (masks.some((m) => m !== null)) received = masks[0];
    try {
      mask.set(id, def.mask ? def.mask(shapes as Shape[], masks, n.params, received) : null);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      out.push({ code: 'shape/mask', severity: 'error', nodeId: id, message: `'${n.name}' (${n.kind}) ${e.message}.` });
    }
  }
  return out;
}
