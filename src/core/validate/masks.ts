/**
 * Keras masks as tfjs 4.22 runs a model (layers/shared/mask.ts has the per-layer rules). tfjs's executor
 * (tfjs-layers engine/executor.ts `execute`) walks the layers in its own order and, for each layer whose
 * inputs carry a mask, sets `kwargs.mask` to the first input's mask on one `kwargs` object shared by the
 * whole walk: a layer that reads `kwargs.mask` (Softmax, the recurrent layers) gets the last mask set
 * before it, even from another branch. So the rules run in that order, with that "received" mask.
 */
import type { Edge, Graph, LayerNode, Shape } from '../graph/types';
import { incoming } from '../graph/topology';
import { ShapeError, type WeightCount } from '../layers/define';
import { layerDef } from '../layers/registry';
import type { Diagnostic } from './diagnostics';

/**
 * True for a node that makes a Keras mask out of none (its kind's `startsMask`: Masking, and Embedding with mask_zero). Every other
 * mask rule (layers/shared/mask.ts) passes on, combines or drops the masks of its inputs and, given none,
 * gives none and fails on none; so in a graph without such a node no layer has or receives a mask.
 */
export const startsMask = (n: LayerNode): boolean => layerDef(n.kind)?.startsMask?.(n.params) === true;

/**
 * The order tfjs's executor runs a model's layers in: for each output in turn, an iterative depth-first
 * walk (inputs pushed in order, so the last input is walked first), each layer listed after its inputs and
 * once. Inputs are fed, never run. Source: tfjs-layers engine/executor.ts
 * `getTopologicalSortAndRecipientCounts` / `…ForOneFetch`.
 * @param ins `incoming(graph)`, when the caller already has it.
 */
export function tfjsExecutionOrder(graph: Graph, outputs: readonly string[], ins: ReadonlyMap<string, readonly Edge[]> = incoming(graph)): string[] {
  const fed = graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.id);
  const sorted: string[] = [];
  const listed = new Set<string>();
  for (const fetch of outputs) {
    const visited = new Set(fed);
    const stack = [fetch];
    const marks: number[] = [];
    // The marked layers, each an input of the one marked before it. An input among them would close a cycle
    // (an output outside the graph's acyclic part, or two nodes sharing an id): it is not walked again, so
    // the walk ends.
    const onPath = new Set<string>();
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
        if (topIsMarked) {
          marks.pop();
          onPath.delete(top);
        }
        if (!listed.has(top)) {
          listed.add(top);
          sorted.push(top);
        }
      } else {
        marks.push(stack.length - 1);
        onPath.add(top);
        for (const i of inputs) if (!visited.has(i) && !onPath.has(i)) stack.push(i);
      }
    }
  }
  return sorted;
}

/**
 * Runs the mask rules over the layers whose shapes are known, in tfjs's execution order, and returns a
 * 'shape/mask' error for each layer tfjs would fail on. A failing layer passes no mask on, so one mistake
 * gives one message. Without a node that starts a mask (`startsMask`) there is nothing to run: none.
 * @param ins `incoming(graph)`, when the caller already has it.
 */
export function maskDiagnostics(
  graph: Graph,
  outputs: readonly string[],
  info: ReadonlyMap<string, { readonly inputShapes: readonly (Shape | null)[]; readonly outputShape: Shape | null; readonly weights: WeightCount | null }>,
  ins?: ReadonlyMap<string, readonly Edge[]>,
): Diagnostic[] {
  if (!graph.nodes.some(startsMask)) return [];
  ins ??= incoming(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const mask = new Map<string, Shape | null>();
  const out: Diagnostic[] = [];
  let received: Shape | null = null;
  for (const id of tfjsExecutionOrder(graph, outputs, ins)) {
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
