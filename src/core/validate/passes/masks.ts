import type { Graph } from '../../graph/types';
import { maskDiagnostics } from '../masks';
import { report, type Context, type Pass } from '../context';

/**
 * Keras masks, as tfjs 4.22 runs them (`maskDiagnostics` in validate/masks.ts, over the outputs and the
 * shapes found so far; nothing to do without a Masking or Embedding(mask_zero)): `shape/mask`.
 */
function masks(ctx: Context): void {
  const { graph, x } = ctx;
  const g: Graph = x.edges === graph.edges ? graph : { ...graph, edges: x.edges };
  for (const d of maskDiagnostics(g, ctx.outputs, ctx.nodeInfo)) report(ctx, d, d.nodeId === undefined ? undefined : x.indexOf.get(d.nodeId));
}

export const masksPass: Pass = { name: 'masks', codes: ['shape/mask'], run: masks };
