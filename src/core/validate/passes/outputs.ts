import { outputRef, type TensorRef } from '../../graph/types';
import type { Context, Pass } from '../context';

/**
 * Outputs (no diagnostics): the graph's explicit list first (existing, placed layers, once each), then every
 * other layer nothing reads, in topological order (`ctx.outputs`, node ids); the model's output tensors
 * (`ctx.outputTensors`): a listed entry's tensor, and every output of a layer nothing reads (an LSTM with
 * return_state that nothing reads outputs its sequence and its states; a listed output of a layer whose
 * argument no longer returns it is left out); and the entries by id (`ctx.nodeInfo`).
 */
function outputs(ctx: Context): void {
  const { graph, nodes, order, cyclic, entries, defs } = ctx;
  const { indexOf, outStart } = ctx.x;
  const outputs: string[] = (ctx.outputs = []);
  const tensors: TensorRef[] = (ctx.outputTensors = []);
  const countOf = (i: number): number => {
    const m = defs[i]?.multiOutput;
    if (!m) return 1;
    try {
      return m.names(ctx.owner ? nodes[ctx.owner[i]].params : nodes[i].params).length;
    } catch {
      return 1;
    }
  };
  const listedOut = new Set<string>();
  const listedTensor = new Set<string>();
  if (graph.outputs)
    for (const entry of graph.outputs) {
      const { node: id, output } = outputRef(entry);
      const i = indexOf.get(id);
      if (i === undefined || nodes[i].kind === 'Input' || (cyclic?.[i] ?? 0) || output >= countOf(i) || listedTensor.has(`${output}:${id}`)) continue;
      listedTensor.add(`${output}:${id}`);
      tensors.push({ node: id, output });
      if (listedOut.has(id)) continue;
      listedOut.add(id);
      outputs.push(id);
    }
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    if (nodes[i].kind !== 'Input' && outStart[i + 1] === outStart[i] && !listedOut.has(nodes[i].id)) {
      outputs.push(nodes[i].id);
      for (let k = 0, n = countOf(i); k < n; k++) tensors.push({ node: nodes[i].id, output: k });
    }
  }
  const nodeInfo = (ctx.nodeInfo = new Map());
  for (let i = 0; i < nodes.length; i++) nodeInfo.set(nodes[i].id, entries[i]);
}

export const outputsPass: Pass = { name: 'outputs', codes: [], run: outputs };
