import { totalsProblem } from '../sizes';
import { isFrozen } from '../../graph/frozen';
import { err, report, type Context, type Pass } from '../context';

/**
 * Edge shapes and totals: each edge's shape (the output of its source it reads), the weights over layers with known
 * shapes (a shared layer's once, as Keras counts them), and `size/too-large` when the model's totals pass
 * 2⁵³ − 1 although every layer's figures are below it (`totalsProblem`); `train/frozen` when frozen layers leave no
 * trainable weight (tfjs cannot fit that model).
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
  // Every weight frozen (trainable=False): Keras fits such a model (warning that it has no trainable weights), but tfjs
  // refuses ("variableGrads() expects at least one of the input variables to be trainable"); training is refused so.
  if (trainable === 0 && nonTrainable > 0 && ctx.nodes.some(isFrozen))
    report(
      ctx,
      {
        code: 'train/frozen',
        severity: 'warning',
        message:
          'Every layer with weights is frozen (trainable=False), so training has nothing to change (TensorFlow.js refuses to fit a model without trainable weights): make a layer trainable (inspector: Trainable) to train.',
      },
      undefined,
    );
  const tooLarge = totalsProblem(trainable + nonTrainable, entries, ctx.macsAt);
  if (tooLarge) report(ctx, err('size/too-large', tooLarge), undefined);
}

export const totalsPass: Pass = { name: 'totals', codes: ['size/too-large', 'train/frozen'], run: totals };
