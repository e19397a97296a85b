/**
 * Keras JSON import of GroupNormalization, UnitNormalization, Resizing, CenterCrop, Identity and Subtract in the
 * form Keras 3's `get_config()` writes them (every key, as printed by keras 3.15.1): read with their parameters,
 * Keras's defaults of the settings Layerlab does not model accepted, other values refused naming layer, setting and
 * value. The round trip of every case through Layerlab's own export is keras-io-kinds'; Keras 3 reopening its own
 * to_json of the generated Python is the Keras oracle's.
 */
import { describe, expect, it } from 'vitest';
import { analyze, importKerasJson } from '../../src/core';
import { inp, lay, type Json } from '../helpers/kerasJson';
import { LEAKS } from '../helpers/messages';

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const init = (cls: string) => ({ module: 'keras.initializers', class_name: cls, config: {}, registered_name: null });

/** Keras 3.15.1's get_config() of each layer (printed by the venv's keras), before the changes a case makes. */
const KERAS3: Record<string, Json> = {
  GroupNormalization: {
    trainable: true,
    dtype: policy,
    groups: 2,
    axis: -1,
    epsilon: 0.001,
    center: true,
    scale: true,
    beta_initializer: init('Zeros'),
    gamma_initializer: init('Ones'),
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
  },
  UnitNormalization: { trainable: true, dtype: policy, axis: -1 },
  Resizing: {
    trainable: true,
    dtype: policy,
    data_format: 'channels_last',
    height: 4,
    width: 5,
    interpolation: 'bilinear',
    crop_to_aspect_ratio: false,
    pad_to_aspect_ratio: false,
    fill_mode: 'constant',
    fill_value: 0.0,
    antialias: false,
  },
  CenterCrop: { trainable: true, dtype: policy, data_format: 'channels_last', height: 3, width: 3 },
  Identity: { trainable: true, dtype: policy },
};

/** A Functional model: Input (8, 8, 4) → one layer of `cls` (Keras 3's config with `changes`). */
const one = (cls: string, changes: Json = {}) =>
  JSON.stringify({
    class_name: 'Functional',
    config: {
      name: 'm',
      layers: [inp('x', [8, 8, 4]), lay(cls, 'l1', { ...KERAS3[cls], ...changes }, 'x')],
      input_layers: [['x', 0, 0]],
      output_layers: [['l1', 0, 0]],
    },
  });

const read = (text: string) => {
  const r = importKerasJson(text);
  if (!r.ok) throw new Error(r.reason);
  const node = r.graph.nodes.find((n) => n.name === 'l1')!;
  return { node, info: analyze(r.graph).nodes.get(node.id)! };
};
const refusal = (text: string) => {
  const r = importKerasJson(text);
  expect(r.ok).toBe(false);
  const reason = r.ok ? '' : r.reason;
  expect(reason).not.toMatch(LEAKS);
  return reason;
};

describe("Keras 3's configs of the kinds open with their parameters", () => {
  it('GroupNormalization: groups, epsilon, center, scale; 8 weights on 4 channels', () => {
    const { node, info } = read(one('GroupNormalization', { epsilon: 0.01, center: false }));
    expect(node.params).toMatchObject({ groups: 2, axis: -1, epsilon: 0.01, center: false, scale: true });
    expect(info.weights).toEqual({ trainable: 4, nonTrainable: 0 });
  });

  it("UnitNormalization: axis written as a number (Keras's default) or as a list", () => {
    expect(read(one('UnitNormalization')).node.params.axis).toEqual([-1]);
    expect(read(one('UnitNormalization', { axis: [1, 2] })).node.params.axis).toEqual([1, 2]);
  });

  it("Resizing: height, width, interpolation, crop_to_aspect_ratio; the other settings at Keras's defaults", () => {
    const { node, info } = read(one('Resizing', { interpolation: 'nearest', crop_to_aspect_ratio: true }));
    expect(node.params).toMatchObject({ height: 4, width: 5, interpolation: 'nearest', crop_to_aspect_ratio: true });
    expect(info.outputShape).toEqual([null, 4, 5, 4]);
  });

  it('CenterCrop, Identity and Subtract', () => {
    expect(read(one('CenterCrop')).info.outputShape).toEqual([null, 3, 3, 4]);
    expect(read(one('Identity')).info.outputShape).toEqual([null, 8, 8, 4]);
    const text = JSON.stringify({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [inp('a', [3, 4]), inp('b', [4]), lay('Subtract', 'l1', { trainable: true, dtype: policy }, 'a', 'b')],
        input_layers: [
          ['a', 0, 0],
          ['b', 0, 0],
        ],
        output_layers: [['l1', 0, 0]],
      },
    });
    expect(read(text).info.outputShape).toEqual([null, 3, 4]);
  });
});

describe('what Layerlab cannot compute is refused with the reason, naming layer, setting and value', () => {
  it.each([
    [
      'GroupNormalization on another axis',
      one('GroupNormalization', { axis: 1 }),
      /'l1' \(GroupNormalization\) has axis=1, which Layerlab cannot use: it must stay -1: Layerlab groups the last axis \(channels last\) only/,
    ],
    [
      'Resizing bicubic',
      one('Resizing', { interpolation: 'bicubic' }),
      /'l1'.*interpolation='bicubic', which TensorFlow\.js 4\.22 cannot compute \(it resizes with 'bilinear' or 'nearest' only\)/,
    ],
    [
      'Resizing padding to the aspect ratio',
      one('Resizing', { pad_to_aspect_ratio: true }),
      /'l1' \(Resizing\) uses pad_to_aspect_ratio=true, which Layerlab does not model yet/,
    ],
    ['Resizing with antialias', one('Resizing', { antialias: true }), /'l1' \(Resizing\) uses antialias=true, which Layerlab does not model yet/],
    ['CenterCrop channels first', one('CenterCrop', { data_format: 'channels_first' }), /'l1' \(CenterCrop\) uses data_format='channels_first'/],
  ])('%s', (_what, text, why) => {
    expect(refusal(text)).toMatch(why);
  });
});
