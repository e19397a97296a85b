/**
 * Every key of a Keras layer config is accounted for (issue 8): a parameter passes `checkParam`, a key that
 * changes no shape or count is dropped (noted when set), a setting Layerlab does not model is accepted only
 * at Keras's default — otherwise the file is refused naming the layer, the setting and the value. Also:
 * malformed or absurd values, values nested 10,000 deep, and names Layerlab cannot use (renamed, old → new).
 */
import { describe, expect, it } from 'vitest';
import { analyze, checkName, importKerasJson, MAX_NAME_LENGTH, outputNamesOf } from '../../src/core';

import { inp, lay, type Json } from '../helpers/kerasJson';
import { BIDI, LEAKS } from '../helpers/messages';
const model = (layers: Json[], ins: string[], outs: string[]) =>
  JSON.stringify({
    class_name: 'Functional',
    config: { name: 'm', layers, input_layers: ins.map((n) => [n, 0, 0]), output_layers: outs.map((n) => [n, 0, 0]) },
  });
/** A model Input(shape) → one layer of `cls` with `config`. */
const one = (cls: string, config: Json, shape: number[] = [8]) => model([inp('x', shape), lay(cls, 'l1', config, 'x')], ['x'], ['l1']);

/** A clear message: no leaked placeholders or engine texts. */
function expectClear(text: string) {
  expect(text).not.toMatch(LEAKS);
  expect(text).not.toMatch(BIDI);
}
function refused(text: string): string {
  const r = importKerasJson(text);
  expect(r.ok).toBe(false);
  const reason = r.ok ? '' : r.reason;
  expectClear(reason);
  return reason;
}

const policy = (name: string) => ({ module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null });

describe("settings Layerlab does not model are refused by name, at any value but Keras's default", () => {
  const cases: [string, string, RegExp][] = [
    [
      'channels_first',
      one('Conv2D', { filters: 16, kernel_size: [3, 3], data_format: 'channels_first' }, [3, 32, 32]),
      /'l1' \(Conv2D\) uses data_format='channels_first', which Layerlab does not model yet/,
    ],
    // trainable=false is read (a frozen layer: tests/unit/frozen.test.ts); a value that is not true or false is refused.
    ['trainable as text', one('Dense', { units: 4, trainable: 'no' }), /'l1' \(Dense\) uses trainable='no'/],
    ['stateful', one('LSTM', { units: 4, stateful: true }, [5, 3]), /'l1' \(LSTM\) uses stateful=true/],
    [
      'return_state inside Bidirectional (which does not offer it)',
      one('Bidirectional', { layer: { class_name: 'LSTM', config: { name: 'f', units: 3, return_state: true } }, merge_mode: 'concat' }, [5, 3]),
      /'l1' \(LSTM\) uses return_state=true, which Layerlab does not model yet/,
    ],
    ['dtype float16', one('Dense', { units: 4, dtype: 'float16' }), /'l1' \(Dense\) uses dtype='float16'/],
    ['a mixed-precision policy', one('Dense', { units: 4, dtype: policy('mixed_float16') }), /'l1' \(Dense\) uses dtype=a DTypePolicy object/],
    ['grouped convolution', one('Conv2D', { filters: 4, kernel_size: 3, groups: 2 }, [8, 8, 4]), /'l1' \(Conv2D\) uses groups=2/],
    ['dilated depthwise', one('DepthwiseConv2D', { kernel_size: 3, dilation_rate: [2, 2] }, [8, 8, 4]), /'l1' \(DepthwiseConv2D\) uses dilation_rate=\[2, 2\]/],
    ['keepdims', one('GlobalAveragePooling2D', { keepdims: true }, [8, 8, 4]), /'l1' \(GlobalAveragePooling2D\) uses keepdims=true/],
    ['ReLU threshold with a cap (no other kind computes it)', one('ReLU', { threshold: 0.5, max_value: 6 }), /'l1' \(ReLU\) uses threshold=0.5/],
    ['renorm', one('BatchNormalization', { renorm: true }, [8, 8, 4]), /'l1' \(BatchNormalization\) uses renorm=true/],
    ['an unknown setting', one('Dense', { units: 4, frobnicate: 3 }), /'l1' \(Dense\) has the setting frobnicate=3, which Layerlab does not know/],
    [
      'the wrapped LSTM runs backwards',
      one('Bidirectional', { layer: { class_name: 'LSTM', config: { name: 'f', units: 3, go_backwards: true } }, merge_mode: 'concat' }, [5, 3]),
      /'l1' \(LSTM\) uses go_backwards=true/,
    ],
    [
      'a sparse input',
      model([{ ...inp('x', [4]), config: { batch_input_shape: [null, 4], sparse: true, name: 'x' } }, lay('Dense', 'd', { units: 2 }, 'x')], ['x'], ['d']),
      /'x' \(InputLayer\) uses sparse=true/,
    ],
    [
      'a string input',
      model([{ ...inp('x', [4]), config: { batch_input_shape: [null, 4], dtype: 'string', name: 'x' } }, lay('Dense', 'd', { units: 2 }, 'x')], ['x'], ['d']),
      /Input 'x' has dtype='string'/,
    ],
  ];
  it.each(cases)('%s', (_what, text, re) => {
    expect(refused(text)).toMatch(re);
  });

  it.each([
    ['LSTM', {}, 3],
    ['GRU', { reset_after: false }, 2],
    ['SimpleRNN', {}, 2],
  ])('accepts return_state=true on %s (a parameter: the layer returns its output and its states)', (cls, extra, outputs) => {
    const r = importKerasJson(one(cls, { units: 4, return_state: true, ...extra }, [5, 3]));
    if (!r.ok) throw new Error(r.reason);
    const node = r.graph.nodes.find((n) => n.name === 'l1')!;
    expect(node.params.return_state).toBe(true);
    expect(outputNamesOf(node)).toHaveLength(outputs);
  });

  it('accepts the same settings at their defaults, and Keras 3 float32 policies', () => {
    const layers = [
      inp('x', [8, 8, 4]),
      lay('Conv2D', 'c', { filters: 4, kernel_size: 3, data_format: 'channels_last', groups: 1, dilation_rate: [1, 1], dtype: policy('float32') }, 'x'),
      lay('GlobalAveragePooling2D', 'g', { keepdims: false, data_format: 'channels_last' }, 'c'),
      lay(
        'Dense',
        'd',
        {
          units: 2,
          trainable: true,
          kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
          bias_initializer: { class_name: 'Zeros', config: {} },
          kernel_regularizer: null,
          lora_rank: null,
        },
        'g',
      ),
    ];
    const r = importKerasJson(model(layers, ['x'], ['d']));
    if (!r.ok) throw new Error(r.reason);
    expect(r.warnings).toEqual([]);
    expect(analyze(r.graph).totals.total).toBe(4 * 9 * 4 + 4 + 4 * 2 + 2);
  });

  it('drops a regularizer or constraint with a note naming the setting and the layers (counts do not change)', () => {
    const r = importKerasJson(one('Dense', { units: 4, kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } } }));
    if (!r.ok) throw new Error(r.reason);
    expect(r.warnings.join(' ')).toMatch(/kernel_regularizer of 'l1' is not kept/);
  });

  it("reads an integer InputLayer dtype (an Embedding's ids) with a note", () => {
    const text = model(
      [
        { ...inp('ids', [6]), config: { batch_input_shape: [null, 6], dtype: 'int32', name: 'ids' } },
        lay('Embedding', 'e', { input_dim: 50, output_dim: 3 }, 'ids'),
      ],
      ['ids'],
      ['e'],
    );
    const r = importKerasJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect(r.warnings.join(' ')).toMatch(/Input 'ids' has dtype int32/);
  });
});

describe('parameter values are checked like the inspector checks them', () => {
  // Written as text: JSON.stringify itself overflows the stack on a value nested this deep.
  const deep = one('Conv2D', { filters: 2, kernel_size: 'DEEP' }, [8, 8, 1]).replace('"DEEP"', `${'['.repeat(10_000)}3${']'.repeat(10_000)}`);
  const cases: [string, string, RegExp][] = [
    ['Dense without units (tfjs refuses; Layerlab used to invent 32)', one('Dense', { activation: 'relu' }), /'l1' \(Dense\) does not say its units/],
    ['units 1e308', one('Dense', { units: 1e308 }), /'l1' \(Dense\) has units=1e\+308, (which Layerlab cannot use: it must be ≤|larger than the 16,777,216)/],
    ['units -4', one('Dense', { units: -4 }), /'l1' \(Dense\) has units=-4, which Layerlab cannot use: it must be ≥ 1/],
    ['units as text', one('Dense', { units: '__proto__' }), /'l1' \(Dense\) has units='__proto__', which Layerlab cannot use/],
    [
      'kernel_size of strings',
      one('Conv2D', { filters: 2, kernel_size: ['3', '3'] }, [8, 8, 1]),
      /'l1' \(Conv2D\) has kernel_size=\['3', '3'\], which Layerlab cannot use/,
    ],
    [
      'kernel_size of lists',
      one('Conv2D', { filters: 2, kernel_size: [[3], [3]] }, [8, 8, 1]),
      /'l1' \(Conv2D\) has kernel_size=\[\[3\], \[3\]\], which Layerlab cannot use/,
    ],
    ['kernel_size nested 10,000 deep', deep, /'l1' \(Conv2D\) has kernel_size=\[\[\[…\]\]\], which is not a number/],
    [
      'a 20-entry target_shape',
      one('Reshape', { target_shape: Array(20).fill(1) }),
      /'l1' \(Reshape\) has target_shape=\[1, 1, 1, 1, 1, 1, 1, 1, … 20 entries\], which Layerlab cannot use: it must list 1 to 6 numbers/,
    ],
    [
      'activation __proto__',
      one('Dense', { units: 2, activation: '__proto__' }),
      /'l1' \(Dense\) has activation='__proto__', which Layerlab cannot use: it must be one of/,
    ],
    [
      'activation as an object (a custom function)',
      one('Dense', { units: 2, activation: { class_name: 'MyAct', config: {} } }),
      /'l1' \(Dense\) has activation=a MyAct object/,
    ],
    ['causal padding on Conv2D', one('Conv2D', { filters: 2, kernel_size: 3, padding: 'causal' }, [8, 8, 1]), /'l1' \(Conv2D\) has padding='causal'/],
    ['dropout rate 1.5', one('Dropout', { rate: 1.5 }), /'l1' \(Dropout\) has rate=1.5, which Layerlab cannot use: it must be < 1/],
    [
      'a name with a bidi override, in the message escaped',
      model([inp('x', [4]), lay('Dense', 'd\u202eevil', { units: 1e308 }, 'x')], ['x'], ['d\u202eevil']),
      /'d\\u202eevil' \(Dense\) has units=1e\+308/,
    ],
  ];
  it.each(cases)('%s: refused naming layer, parameter and value', (_what, text, re) => {
    const t0 = performance.now();
    expect(refused(text)).toMatch(re);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('names Layerlab cannot use are renamed to the nearest valid unique name, saying old → new', () => {
  it('Keras 2 names with / (Keras 3 refuses them)', () => {
    const text = model(
      [inp('x', [4]), lay('Dense', 'block1/conv1', { units: 2 }, 'x'), lay('Dense', 'block1_conv1', { units: 2 }, 'block1/conv1')],
      ['x'],
      ['block1_conv1'],
    );
    const r = importKerasJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect(r.graph.nodes.map((n) => n.name).sort()).toEqual(['block1_conv1', 'block1_conv1_1', 'x']);
    expect(r.warnings.join(' ')).toMatch(/'block1\/conv1' → 'block1_conv1_1'/);
    expect(analyze(r.graph).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('names that are JavaScript built-ins, over the length limit, or with control and bidi characters', () => {
    const long = 'n'.repeat(300);
    const names = [checkName('hasOwnProperty') === null ? 'ok_name' : 'hasOwnProperty', long, 'a\u0000b', 'r\u202etxt.exe'];
    const layers: Json[] = [inp('x', [4])];
    let prev = 'x';
    for (const n of names) {
      layers.push(lay('Dense', n, { units: 2 }, prev));
      prev = n;
    }
    const r = importKerasJson(model(layers, ['x'], [prev]));
    if (!r.ok) throw new Error(r.reason);
    for (const n of r.graph.nodes) {
      expect(checkName(n.name)).toBeNull();
      expect(n.name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    }
    const w = r.warnings.join(' ');
    expectClear(w);
    expect(w).toMatch(/'r\\u202etxt\.exe' → 'r_txt\.exe'/);
    expect(w).toMatch(/'a\\u0000b' → 'a_b'/);
  });

  it('a Sequential whose layers repeat a name: the repeat is renamed (a Sequential has no references to break)', () => {
    const text = JSON.stringify({
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'Dense', config: { name: 'd', units: 3, batch_input_shape: [null, 4] } },
          { class_name: 'Dense', config: { name: 'd', units: 2 } },
        ],
      },
    });
    const r = importKerasJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect(r.graph.nodes.map((n) => n.name)).toEqual(['d_input', 'd', 'd_1']);
    expect(r.warnings.join(' ')).toMatch(/'d' → 'd_1' \(a repeated name\)/);
    expect(analyze(r.graph).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a name that is not text is refused, not shown as [object Object]', () => {
    const text = JSON.stringify({
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'Dense', config: { name: { a: 1 }, units: 3, batch_input_shape: [null, 4] } }] },
    });
    expect(refused(text)).toMatch(/A layer name in the file is an object, not text/);
    const unknownKind = JSON.stringify({
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'Lambda', config: { name: { a: 1 }, batch_input_shape: [null, 4] } }] },
    });
    // A class Layerlab lacks is kept as an opaque node, so its name is read like any other and refused likewise.
    expect(refused(unknownKind)).toMatch(/A layer name in the file is an object, not text/);
  });

  it('node ids stay short whatever the names (a 200-character name is valid, its id is not derived from it)', () => {
    const name = 'a'.repeat(MAX_NAME_LENGTH);
    const r = importKerasJson(
      model(
        [
          inp('x', [4]),
          lay('Dense', name, { units: 2 }, 'x'),
          { ...lay('Dense', 'twice', { units: 2 }, name), inbound_nodes: [[[name, 0, 0, {}]], [[name, 0, 0, {}]]] },
          {
            ...lay('Add', 'sum', {}),
            inbound_nodes: [
              [
                ['twice', 0, 0, {}],
                ['twice', 1, 0, {}],
              ],
            ],
          },
        ],
        ['x'],
        ['sum'],
      ),
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.graph.nodes.some((n) => n.name === name)).toBe(true);
    for (const n of r.graph.nodes) expect(n.id.length).toBeLessThanOrEqual(40);
    for (const e of r.graph.edges) expect(e.id.length).toBeLessThanOrEqual(40);
  });
});

describe("Keras 3's ReLU spelling of other kinds (keras.asKind)", () => {
  const kindOf = (config: Json) => {
    const r = importKerasJson(one('ReLU', config));
    if (!r.ok) throw new Error(r.reason);
    const n = r.graph.nodes.find((x) => x.name === 'l1')!;
    return { kind: n.kind, params: n.params, warnings: r.warnings };
  };
  it('ReLU(threshold=θ) is ThresholdedReLU(θ), as Layerlab writes it for Keras 3; ReLU(negative_slope=α) is LeakyReLU(α)', () => {
    expect(kindOf({ threshold: 0.5, negative_slope: 0, max_value: null })).toEqual({ kind: 'ThresholdedReLU', params: { theta: 0.5 }, warnings: [] });
    expect(kindOf({ threshold: 0, negative_slope: 0.2, max_value: null })).toEqual({ kind: 'LeakyReLU', params: { negative_slope: 0.2 }, warnings: [] });
    expect(kindOf({ threshold: 0, negative_slope: 0, max_value: 6 })).toEqual({ kind: 'ReLU', params: { max_value: 6 }, warnings: [] });
  });
  it('a ReLU that is none of them (capped with a threshold, or slope and threshold) is still refused by name', () => {
    expect(refused(one('ReLU', { threshold: 0.5, max_value: 6 }))).toMatch(/threshold=0\.5.*does not model yet/);
    expect(refused(one('ReLU', { threshold: 0.5, negative_slope: 0.1 }))).toMatch(/does not model yet/);
  });
});
