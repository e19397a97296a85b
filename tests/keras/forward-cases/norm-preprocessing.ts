/**
 * Forward-value cases (tests/keras/forward.oracle.test.ts) of GroupNormalization, UnitNormalization, Resizing,
 * CenterCrop, Identity and Subtract, Layerlab's custom tfjs layers: group sizes including −1 (one group per channel)
 * and without center or scale; one axis and several; bilinear and nearest resizing up and down, with and without
 * crop_to_aspect_ratio; CenterCrop of larger, equal and smaller images (Keras then crops to the aspect ratio and
 * resizes); Subtract with equal, broadcast and lower-rank inputs.
 */
import type { ForwardCase } from '../forward-types';

export const FORWARD_CASES: ForwardCase[] = [
  { id: 'GroupNormalization 2 groups of 3 channels', kind: 'GroupNormalization', params: { groups: 2 }, inputs: [[null, 4, 4, 6]] },
  { id: 'GroupNormalization groups -1 (instance)', kind: 'GroupNormalization', params: { groups: -1 }, inputs: [[null, 3, 4]] },
  { id: 'GroupNormalization 1 group, no scale', kind: 'GroupNormalization', params: { groups: 1, scale: false }, inputs: [[null, 5, 4]] },
  {
    id: 'GroupNormalization 4 groups, no center, epsilon 0.1, rank 2',
    kind: 'GroupNormalization',
    params: { groups: 4, center: false, epsilon: 0.1 },
    inputs: [[null, 8]],
  },
  { id: 'UnitNormalization last axis', kind: 'UnitNormalization', params: {}, inputs: [[null, 3, 4]] },
  { id: 'Normalization last axis', kind: 'Normalization', params: {}, inputs: [[null, 3, 4]] },
  { id: 'Normalization axis 1 of rank 4', kind: 'Normalization', params: { axis: 1 }, inputs: [[null, 2, 3, 4]] },
  { id: 'Normalization invert', kind: 'Normalization', params: { invert: true }, inputs: [[null, 5]] },
  { id: 'UnitNormalization axes 1 and 2', kind: 'UnitNormalization', params: { axis: [1, 2] }, inputs: [[null, 3, 4]] },
  { id: 'UnitNormalization axis -2 of rank 4', kind: 'UnitNormalization', params: { axis: [-2] }, inputs: [[null, 2, 3, 4]] },
  { id: 'Resizing bilinear up 3x4 to 5x7', kind: 'Resizing', params: { height: 5, width: 7 }, inputs: [[null, 3, 4, 2]] },
  { id: 'Resizing bilinear down 8x8 to 3x5', kind: 'Resizing', params: { height: 3, width: 5 }, inputs: [[null, 8, 8, 2]] },
  { id: 'Resizing nearest up 3x4 to 6x9', kind: 'Resizing', params: { height: 6, width: 9, interpolation: 'nearest' }, inputs: [[null, 3, 4, 2]] },
  { id: 'Resizing nearest down 7x7 to 3x2', kind: 'Resizing', params: { height: 3, width: 2, interpolation: 'nearest' }, inputs: [[null, 7, 7, 1]] },
  { id: 'Resizing crop to aspect 6x4 to 2x3', kind: 'Resizing', params: { height: 2, width: 3, crop_to_aspect_ratio: true }, inputs: [[null, 6, 4, 2]] },
  {
    id: 'Resizing nearest, crop to aspect 5x9 to 4x4',
    kind: 'Resizing',
    params: { height: 4, width: 4, interpolation: 'nearest', crop_to_aspect_ratio: true },
    inputs: [[null, 5, 9, 1]],
  },
  { id: 'CenterCrop 5x6 to 3x3', kind: 'CenterCrop', params: { height: 3, width: 3 }, inputs: [[null, 5, 6, 2]] },
  { id: 'CenterCrop 4x4 to 4x4', kind: 'CenterCrop', params: { height: 4, width: 4 }, inputs: [[null, 4, 4, 1]] },
  { id: 'CenterCrop smaller 2x3 to 4x4', kind: 'CenterCrop', params: { height: 4, width: 4 }, inputs: [[null, 2, 3, 2]] },
  { id: 'CenterCrop narrower 6x2 to 4x4', kind: 'CenterCrop', params: { height: 4, width: 4 }, inputs: [[null, 6, 2, 1]] },
  { id: 'Identity', kind: 'Identity', params: {}, inputs: [[null, 3, 2]] },
  {
    id: 'Subtract equal shapes',
    kind: 'Subtract',
    params: {},
    inputs: [
      [null, 3, 4],
      [null, 3, 4],
    ],
  },
  {
    id: 'Subtract broadcast a 1',
    kind: 'Subtract',
    params: {},
    inputs: [
      [null, 4, 3],
      [null, 1, 3],
    ],
  },
  {
    id: 'Subtract lower rank second',
    kind: 'Subtract',
    params: {},
    inputs: [
      [null, 4, 3],
      [null, 3],
    ],
  },
];
