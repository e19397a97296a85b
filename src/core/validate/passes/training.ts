import { quoteName } from '../describe';
import { report, type Context, type Pass } from '../context';

/**
 * Configurations tfjs 4.22 builds but cannot train (`LayerDef.trainingIssue`, told whether a layer with
 * trainable weights lies upstream): `train/unsupported` warnings, after every error. Only nodes with a
 * known output shape are asked; skipped when no kind in the graph has training rules.
 */
function training(ctx: Context): void {
  if (!ctx.trainingIssues) return;
  const { nodes, order, entries, defs } = ctx;
  const { inStart, inEdge, source } = ctx.x;
  const weightsUpstream = new Uint8Array(nodes.length);
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    let up = false;
    for (let p = inStart[i]; p < inStart[i + 1] && !up; p++) {
      const s = source[inEdge[p]];
      up = weightsUpstream[s] === 1 || (entries[s].weights?.trainable ?? 0) > 0;
    }
    if (up) weightsUpstream[i] = 1;
    const nd = nodes[i];
    const issue = entries[i].outputShape ? defs[i]?.trainingIssue?.(nd.params, up) : null;
    if (issue) report(ctx, { code: 'train/unsupported', severity: 'warning', nodeId: nd.id, message: `${quoteName(nd.name)} (${nd.kind}): ${issue}.` }, i);
  }
}

export const trainingPass: Pass = { name: 'training rules', codes: ['train/unsupported'], run: training };
