/**
 * Forward-value cases (tests/keras/forward.oracle.test.ts) of the regularization kinds Layerlab defines as
 * custom tfjs layers. Outside training both are the identity in Keras (spatial_dropout.py → Dropout.call).
 */
import type { ForwardCase } from '../forward-types';

export const FORWARD_CASES: ForwardCase[] = [
  { id: 'SpatialDropout2D rate 0.5', kind: 'SpatialDropout2D', params: { rate: 0.5 }, inputs: [[null, 4, 5, 3]], training: false },
  { id: 'SpatialDropout3D rate 0.25', kind: 'SpatialDropout3D', params: { rate: 0.25 }, inputs: [[null, 2, 3, 4, 2]], training: false },
];
