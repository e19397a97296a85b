import type { Context, Pass } from '../context';

/**
 * Outputs (no diagnostics): the graph's explicit list first (existing, placed layers, once each), then every
 * other layer nothing reads, in topological order (`ctx.outputs`); and the entries by id (`ctx.nodeInfo`).
 */
function outputs(ctx: Context): void {
  const { graph, nodes, order, cyclic, entries } = ctx;
  const { indexOf, outStart } = ctx.x;
  const outputs: string[] = (ctx.outputs = []);
  const listedOut = new Set<string>();
  if (graph.outputs)
    for (const id of graph.outputs) {
      const i = indexOf.get(id);
      if (i === undefined || nodes[i].kind === 'Input' || listedOut.has(id) || (cyclic?.[i] ?? 0)) continue;
      listedOut.add(id);
      outputs.push(id);
    }
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    if (nodes[i].kind !== 'Input' && outStart[i + 1] === outStart[i] && !listedOut.has(nodes[i].id)) outputs.push(nodes[i].id);
  }
  const nodeInfo = (ctx.nodeInfo = new Map());
  for (let i = 0; i < nodes.length; i++) nodeInfo.set(nodes[i].id, entries[i]);
}

export const outputsPass: Pass = { name: 'outputs', codes: [], run: outputs };
