import { quoteName } from '../describe';
import { report, type Context, type Pass } from '../context';
import { kerasClassOf } from '../../layers/registry';
import type { Analysis } from '../analyze';

/**
 * Configurations tfjs 4.22 builds but cannot train (`LayerDef.trainingIssue`, told whether a layer with
 * trainable weights lies upstream): `train/unsupported` warnings, after every error. Only nodes with a
 * known output shape are asked; skipped when no kind in the graph has training rules. A layer tfjs cannot
 * build at all (`LayerDef.cannotRun`, an opaque node from a file) gets a `train/blocked` warning whatever its
 * shape: "Lambda 'lam' runs Python code Layerlab cannot run; …".
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
    const blocked = defs[i]?.cannotRun?.(nd.params);
    if (blocked)
      report(ctx, { code: 'train/blocked', severity: 'warning', nodeId: nd.id, message: `${kerasClassOf(nd)} ${quoteName(nd.name)} ${blocked}.` }, i);
    const issue = entries[i].outputShape ? defs[i]?.trainingIssue?.(nd.params, up) : null;
    if (issue) report(ctx, { code: 'train/unsupported', severity: 'warning', nodeId: nd.id, message: `${quoteName(nd.name)} (${nd.kind}): ${issue}.` }, i);
  }
}

export const trainingPass: Pass = { name: 'training rules', codes: ['train/unsupported', 'train/blocked'], run: training };

/**
 * Why the graph cannot be built in tfjs or trained although it has no error, or null: the message of its first
 * `train/blocked` warning (a layer Layerlab cannot run, `LayerDef.cannotRun`) or its `train/frozen` warning (every
 * weight frozen: the totals pass). The Train button refuses with it; the runtime's `buildError` refuses to build only
 * for `train/blocked` (a model with every layer frozen builds, and tfjs summarises it).
 */
export function trainingBlock(analysis: Pick<Analysis, 'diagnostics'>): string | null {
  return analysis.diagnostics.find((d) => d.code === 'train/blocked' || d.code === 'train/frozen')?.message ?? null;
}
