import { totalsProblem } from '../sizes';
import { err, report, type Context, type Pass } from '../context';

/**
 * Edge shapes and totals: each edge's shape (the output of its source it reads), the weights over layers with known
 * shapes (a shared layer's once, as Keras counts them), and `size/too-large` when the model's totals pass
 * 2⁵³ − 1 although every layer's figures are below it (`totalsProblem`).
 */
function totals(ctx: Context): void {
  const { groups, entries, x } = ctx;
  const edgeShapes = (ctx.edgeShapes = new Map());
  for (let j = 0; j < x.edges.length; j++) {
    const k = x.edges[j].output;
    const from = entries[x.source[j]];
    edgeShapes.set(x.edges[j].id, k ? (from.moreOutputs[k - 1] ?? null) : from.outputShape);
  }
  let trainable = 0;
  let nonTrainable = 0;
  if (groups)
    for (const cs of groups) {
      const c = cs.find((c) => entries[c].weights);
      const w = c === undefined ? null : entries[c].weights!;
      trainable += w?.trainable ?? 0;
      nonTrainable += w?.nonTrainable ?? 0;
    }
  else
    for (let i = 0; i < entries.length; i++) {
      const w = entries[i].weights;
      trainable += w?.trainable ?? 0;
      nonTrainable += w?.nonTrainable ?? 0;
    }
  ctx.trainable = trainable;
  ctx.nonTrainable = nonTrainable;
  const tooLarge = totalsProblem(trainable + nonTrainable, entries, ctx.macsAt);
  if (tooLarge) report(ctx, err('size/too-large', tooLarge), undefined);
}

export const totalsPass: Pass = { name: 'totals', codes: ['size/too-large'], run: totals };
