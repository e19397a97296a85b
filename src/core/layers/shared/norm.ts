/** What BatchNormalization and LayerNormalization share: parameter schemas, tfjs's rank limit, training issue. */
import type { Shape } from '../../graph/types';
import { formatShape, ShapeError } from '../define';
import { p } from '../params';

/** epsilon (Keras and tfjs default 1e-3 for both layers: keras/src/layers/normalization/*.py, tfjs-layers normalization.ts). */
export const epsilonSpec = () => p.float({ default: 0.001, min: 0, help: 'Small number added to the variance to avoid dividing by zero.' });
/** center: learn beta (default True in Keras and tfjs). */
export const centerSpec = () =>
  p.bool({ default: true, help: 'Learn an offset beta added after normalizing. tfjs 4.22 cannot train the layer with this off.' });
/** scale: learn gamma (default True in Keras and tfjs). */
export const scaleSpec = () =>
  p.bool({ default: true, help: 'Learn a factor gamma applied after normalizing. tfjs 4.22 cannot train the layer with this off.' });

/**
 * Checks tfjs's rank limit: its batchNormalization helper (tfjs-layers normalization.ts, used by both
 * layers) throws "batchNormalization is not implemented for array of rank 5 yet" when the layer runs.
 * @throws ShapeError 'shape/rank' for rank < 2 or > 4.
 */
export function checkNormRank(x: Shape): void {
  if (x.length < 2 || x.length > 4)
    throw new ShapeError(
      'shape/rank',
      `expects an input of rank 2 to 4 but got ${formatShape(x)} (rank ${x.length}); tfjs 4.22 normalizes tensors of rank 4 or less only`,
    );
}

/**
 * The training issue of a normalization layer without center or scale: tfjs 4.22 reads the missing beta or
 * gamma while training ("Cannot read properties of undefined"); inference works.
 */
export const centerScaleIssue =
  (kind: string) =>
  (q: { readonly center: boolean; readonly scale: boolean }): string | null =>
    q.center === false || q.scale === false
      ? `tfjs 4.22 cannot train ${kind} with ${q.center === false ? 'center' : 'scale'} off (it reads the missing ${q.center === false ? 'beta' : 'gamma'} weight), so this model cannot train in the browser; Keras trains it`
      : null;
