import { quoteName } from '../describe';
import { err, report, type Context, type Pass } from '../context';

/**
 * Inputs and reachability: lists the Input nodes (`ctx.inputs`), then reports a model without one
 * (`graph/no-input`) or each connected node no path from an Input reaches (`graph/unreachable`; nodes on or
 * after a cycle are the cycle's business). An iterative walk from every Input.
 */
function reachability(ctx: Context): void {
  const { nodes, cyclic } = ctx;
  const { inStart, outStart, outEdge, target } = ctx.x;
  const n = nodes.length;
  const inputs: string[] = (ctx.inputs = []);
  const reached = new Uint8Array(n);
  const todo = new Int32Array(n);
  let top = 0;
  for (let i = 0; i < n; i++)
    if (nodes[i].kind === 'Input') {
      inputs.push(nodes[i].id);
      if (!reached[i]) reached[(todo[top++] = i)] = 1;
    }
  while (top > 0) {
    const v = todo[--top];
    for (let j = outStart[v]; j < outStart[v + 1]; j++) {
      const t = target[outEdge[j]];
      if (!reached[t]) reached[(todo[top++] = t)] = 1;
    }
  }
  if (n && !inputs.length)
    report(ctx, err('graph/no-input', 'The model has no Input layer; add one from the palette and connect it to the first layer.'), undefined);
  else if (inputs.length)
    for (let i = 0; i < n; i++)
      if (!reached[i] && inStart[i + 1] > inStart[i] && !cyclic?.[i]) {
        const text = `${quoteName(nodes[i].name)} is not connected to any Input; connect it to a path that starts at an Input layer.`;
        report(ctx, err('graph/unreachable', text, nodes[i].id), i);
      }
}

export const reachabilityPass: Pass = { name: 'inputs and reachability', codes: ['graph/no-input', 'graph/unreachable'], run: reachability };
