/**
 * One forward-value case of the Keras oracle (forward.oracle.test.ts): a layer kind with parameters and input
 * shapes, built in tfjs (Layerlab's runtime) and in Keras 3 with the same weights and inputs, outputs compared.
 * Each group of kinds lists its cases in `forward-cases/<group>.ts` as `export const FORWARD_CASES: ForwardCase[]`.
 */
import type { Params, Shape } from '../../src/core';

export interface ForwardCase {
  id: string;
  kind: string;
  params: Params /* core params, partial: defaults filled */;
  inputs: Shape[] /* input shapes, batch dim first, null batch → 2 */;
  training?: false;
}
