/* eslint-disable @typescript-eslint/no-explicit-any -- the hostile files are made by mutating parsed JSON of any shape. */
/**
 * At least 100 malformed or hostile files: each is refused with a clear message (or, for odd but
 * valid names, imported with the names kept as plain text), and the importer never throws.
 */
import { describe, expect, it } from 'vitest';
import { analyze, checkName, importKerasJson, MAX_IMPORT_BYTES } from '../../src/core';
import { LEAKS } from '../helpers/messages';
import { tpl } from '../helpers/templates';
import { exported } from '../helpers/kerasJson';

const base = exported(tpl('purchase-predictor'));
const baseObj = () => JSON.parse(base);
const seqBase = JSON.parse(exported(tpl('product-classifier')));

/** A clear message: a sentence, no leaked placeholders. */
function expectClear(reason: string) {
  expect(reason.length).toBeGreaterThan(15);
  expect(reason).not.toMatch(LEAKS);
}

const cases: [string, string][] = [];
// 1. Truncated JSON at 40 points.
for (let i = 1; i <= 40; i++) cases.push([`truncated at ${i}/41`, base.slice(0, Math.floor((base.length * i) / 41))]);
// 2. Wrong types at the top and in layers.
const mutations: [string, (o: any) => void][] = [
  ['class_name is a number', (o) => (o.class_name = 5)],
  ['class_name missing', (o) => delete o.class_name],
  ['config is a string', (o) => (o.config = 'x')],
  ['config is null', (o) => (o.config = null)],
  ['layers is an object', (o) => (o.config.layers = {})],
  ['layers missing', (o) => delete o.config.layers],
  ['a layer is a number', (o) => (o.config.layers[2] = 7)],
  ['a layer config is a list', (o) => (o.config.layers[3].config = [])],
  ['a layer class_name is null', (o) => (o.config.layers[3].class_name = null)],
  ['inbound_nodes is a string', (o) => (o.config.layers[3].inbound_nodes = 'a')],
  ['inbound node entry is a number', (o) => (o.config.layers[3].inbound_nodes = [[5]])],
  ['inbound node is a number', (o) => (o.config.layers[3].inbound_nodes = [5])],
  ['inbound refers to a missing layer', (o) => (o.config.layers[3].inbound_nodes = [[['nope', 0, 0, {}]]])],
  ['a layer without inbound nodes', (o) => (o.config.layers[3].inbound_nodes = [])],
  ['a read of a call that does not exist', (o) => (o.config.layers[3].inbound_nodes[0][0][1] = 5)],
  ['a second output tensor', (o) => (o.config.layers[3].inbound_nodes[0][0][2] = 1)],
  ['two layers with one name', (o) => (o.config.layers[3].name = o.config.layers[2].name)],
  ['a layer with no name', (o) => (delete o.config.layers[3].name, delete o.config.layers[3].config.name)],
  ['input_layers missing', (o) => delete o.config.input_layers],
  ['model class Lambda', (o) => (o.class_name = 'Lambda')],
  ['nested model', (o) => (o.config.layers[4].class_name = 'Sequential')],
  ['input shape is a string', (o) => (o.config.layers[0].config.batch_input_shape = 'big')],
  ['input shape missing', (o) => delete o.config.layers[0].config.batch_input_shape],
  ['input shape has a zero', (o) => (o.config.layers[0].config.batch_input_shape = [null, 0, 64, 3])],
  ['input shape negative', (o) => (o.config.layers[0].config.batch_input_shape = [null, -64, 64, 3])],
  ['input shape absurd', (o) => (o.config.layers[0].config.batch_input_shape = [null, 1e12, 1e12, 3])],
  ['input shape fractional', (o) => (o.config.layers[0].config.batch_input_shape = [null, 6.5, 64, 3])],
  ['input shape rank 9', (o) => (o.config.layers[0].config.batch_input_shape = [null, 1, 1, 1, 1, 1, 1, 1, 1])],
  ['input shape with a zero size', (o) => (o.config.layers[0].config.batch_input_shape = [null, 0, 64, 3])],
  ['input shape only batch', (o) => (o.config.layers[0].config.batch_input_shape = [null])],
  ['input shape is an object', (o) => (o.config.layers[0].config.batch_input_shape = { a: 1 })],
  ['an empty model', (o) => (o.config.layers = [])],
  ['6,000 layers', (o) => (o.config.layers = Array.from({ length: 6000 }, () => o.config.layers[2]))],
  ['inbound_nodes is null', (o) => (o.config.layers[3].inbound_nodes = null)],
  [
    'Keras 3 tensor without keras_history',
    (o) => (o.config.layers[3].inbound_nodes = [{ args: [{ class_name: '__keras_tensor__', config: {} }], kwargs: {} }]),
  ],
  ['Keras 3 node with no tensors', (o) => (o.config.layers[3].inbound_nodes = [{ args: [], kwargs: {} }])],
  ['output_layers is a string', (o) => (o.config.output_layers = 'out')],
  ['input shape of strings', (o) => (o.config.layers[0].config.batch_input_shape = [null, 'a', 'b'])],
  // Model inputs and outputs (issue 8).
  ['output_layers names a missing layer', (o) => (o.config.output_layers = [['nope', 0, 0]])],
  ['an output listed twice', (o) => o.config.output_layers.push(['output_sigmoid', 0, 0])],
  ['an output tensor index 1', (o) => (o.config.output_layers = [['output_sigmoid', 0, 1]])],
  ['an output call that does not exist', (o) => (o.config.output_layers = [['output_sigmoid', 4, 0]])],
  ['an output that is an InputLayer', (o) => (o.config.output_layers = [['text_features_input', 0, 0]])],
  ['output_layers empty', (o) => (o.config.output_layers = [])],
  ['output_layers entry of wrong types', (o) => (o.config.output_layers = [[5, 'a', null]])],
  ['output_layers node index NaN-like', (o) => (o.config.output_layers = [['output_sigmoid', Infinity, 0]])],
  ['input_layers names a Dense', (o) => (o.config.input_layers = [['dense_combined', 0, 0]])],
  ['input_layers lists one input twice', (o) => (o.config.input_layers = [o.config.input_layers[0], o.config.input_layers[0], o.config.input_layers[1]])],
  ['an InputLayer that feeds the output but is not listed', (o) => (o.config.input_layers = [o.config.input_layers[0]])],
  ['input_layers a dict with a bad entry', (o) => (o.config.input_layers = { a: ['image_features_input', 0, 0], b: { x: 1 } })],
  // Settings and values (issue 8).
  // trainable=false is read (a frozen layer, tests/unit/frozen.test.ts); trainable as text is not.
  ['trainable as text', (o) => (o.config.layers[3].config.trainable = 'false')],
  ['channels_first', (o) => (o.config.layers[1].config.data_format = 'channels_first')],
  ['a float16 layer', (o) => (o.config.layers[10].config.dtype = 'float16')],
  ['Dense without units', (o) => delete o.config.layers[10].config.units],
  ['units 1e308', (o) => (o.config.layers[10].config.units = 1e308)],
  ['units as an object', (o) => (o.config.layers[10].config.units = { valueOf: 3 })],
  ['activation __proto__', (o) => (o.config.layers[10].config.activation = '__proto__')],
  ['activation constructor', (o) => (o.config.layers[11].config.activation = 'constructor')],
  ['a Dropout rate of 7', (o) => (o.config.layers[5].config.rate = 7)],
  ['an unknown setting', (o) => (o.config.layers[10].config.use_magic = true)],
  ['concatenate axis as text', (o) => (o.config.layers[9].config.axis = 'last')],
  // Nested models (issue 8).
  [
    'a nested model whose layers are numbers',
    (o) =>
      (o.config.layers[4] = {
        name: 'dense_text_1',
        class_name: 'Sequential',
        config: { name: 'dense_text_1', layers: [5, 6] },
        inbound_nodes: o.config.layers[4].inbound_nodes,
      }),
  ],
  [
    'a nested model whose layer has trainable as a number',
    (o) =>
      (o.config.layers[4] = {
        name: 'dense_text_1',
        class_name: 'Sequential',
        config: {
          name: 'dense_text_1',
          trainable: false,
          layers: [{ class_name: 'Dense', config: { name: 'inner', units: 3, batch_input_shape: [null, 3], trainable: 0 } }],
        },
        inbound_nodes: o.config.layers[4].inbound_nodes,
      }),
  ],
];
for (const [what, f] of mutations) {
  const o = baseObj();
  f(o);
  cases.push([what, JSON.stringify(o)]);
}
// 3. Cycles in inbound_nodes.
{
  const o = baseObj();
  const names = o.config.layers.map((l: any) => l.name);
  const d1 = o.config.layers.find((l: any) => l.name === 'dense_image_1');
  d1.inbound_nodes = [[['dense_image_2', 0, 0, {}]]];
  cases.push(['a cycle in inbound_nodes', JSON.stringify(o)]);
  const o2 = baseObj();
  const self = o2.config.layers.find((l: any) => l.name === 'dense_combined');
  self.inbound_nodes = [[['dense_combined', 0, 0, {}]]];
  cases.push(['a layer reading itself', JSON.stringify(o2)]);
  expect(names.length).toBeGreaterThan(3);
}
// Sequential models nested 8 deep, and a kernel_size nested 10,000 deep (written as text: JSON.stringify overflows on it).
{
  let inner: any = { class_name: 'Dense', config: { name: 'd0', units: 2, batch_input_shape: [null, 3] } };
  for (let i = 1; i <= 8; i++) inner = { class_name: 'Sequential', config: { name: `s${i}`, layers: [inner] } };
  cases.push(['Sequential models nested 8 deep', JSON.stringify({ class_name: 'Sequential', config: { name: 'outer', layers: [inner] } })]);
  const o = JSON.parse(JSON.stringify(seqBase));
  o.config.layers[1].config.kernel_size = 'DEEP';
  cases.push(['kernel_size nested 10,000 deep', JSON.stringify(o).replace('"DEEP"', `${'['.repeat(10_000)}3${']'.repeat(10_000)}`)]);
  const o2 = JSON.parse(JSON.stringify(seqBase));
  o2.config.layers[1].config.kernel_size = 'DEEP';
  cases.push(['kernel_size a deep object', JSON.stringify(o2).replace('"DEEP"', `${'{"a":'.repeat(5_000)}3${'}'.repeat(5_000)}`)]);
  cases.push([
    'a nested Sequential without an input shape first in a Sequential',
    JSON.stringify({
      class_name: 'Sequential',
      config: {
        name: 'o',
        layers: [{ class_name: 'Sequential', config: { name: 'base', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2 } }] } }],
      },
    }),
  ]);
}
// 4. Sequential oddities.
const seqMutations: [string, (o: any) => void][] = [
  ['sequential with no layers', (o) => (o.config.layers = [])],
  ['sequential without input shape', (o) => o.config.layers.shift()],
  ['sequential InputLayer not first', (o) => o.config.layers.push(o.config.layers[0])],
  ['sequential layer with unknown class', (o) => (o.config.layers[2].class_name = 'SpatialDropout2D')],
  ['sequential config is a number', (o) => (o.config = 3)],
  ['sequential layers hold strings', (o) => (o.config.layers = ['a', 'b'])],
];
for (const [what, f] of seqMutations) {
  const o = JSON.parse(JSON.stringify(seqBase));
  f(o);
  cases.push([what, JSON.stringify(o)]);
}
// 5. Not a model at all.
for (const [what, text] of [
  ['empty file', ''],
  ['just null', 'null'],
  ['a number', '42'],
  ['a string', '"model"'],
  ['an array', '[1,2,3]'],
  ['an empty object', '{}'],
  ['a project file', '{"format":"layerlab-project","version":1,"graph":{"name":"m","nodes":[],"edges":[]}}'],
  ['HTML', '<html><script>alert(1)</script></html>'],
  ['binary garbage', '\u0000\u0001\u0002PK\u0003\u0004'],
  ['modelTopology null', '{"modelTopology": null}'],
  ['modelTopology a string', '{"modelTopology": "Sequential"}'],
  ['model_config a list', '{"modelTopology": {"model_config": []}}'],
  ['deep nesting', '['.repeat(5000) + ']'.repeat(5000)],
  ['a 50 MB file', `{"class_name":"Sequential","config":{"layers":[],"pad":"${'x'.repeat(50 * 1024 * 1024)}"}}`],
] as [string, string][])
  cases.push([what, text]);

describe('hostile and malformed model files', () => {
  it('has at least 100 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases.map(([w, t]) => [w, t] as const))('%s: refused with a clear message', (_what, text) => {
    let r: ReturnType<typeof importKerasJson> | undefined;
    expect(() => (r = importKerasJson(text))).not.toThrow();
    expect(r!.ok).toBe(false);
    if (!r!.ok) expectClear(r!.reason);
  });

  it('keeps layers of kinds Layerlab cannot run as opaque nodes and names them all in one note (they were refused before)', () => {
    const o = baseObj();
    o.config.layers[4].class_name = 'SlicingOpLambda';
    o.config.layers[5].class_name = 'TFOpLambda';
    const names = [o.config.layers[4].config.name, o.config.layers[5].config.name];
    const r = importKerasJson(JSON.stringify(o));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const kept = r.graph.nodes.filter((n) => n.kind === 'Opaque');
    expect(kept.map((n) => [n.name, n.params.class_name])).toEqual([
      [names[0], 'SlicingOpLambda'],
      [names[1], 'TFOpLambda'],
    ]);
    const note = r.warnings.find((w) => w.startsWith('Kept 2 layers Layerlab cannot run'));
    expect(note).toContain(`'${names[0]}' (SlicingOpLambda, output shape unknown: enter it in the inspector)`);
    expect(note).toContain(`'${names[1]}' (TFOpLambda`);
    expect(note).not.toMatch(LEAKS);
  });

  it('refuses a 50 MB file before parsing it, saying the limit', () => {
    const r = importKerasJson('x'.repeat(MAX_IMPORT_BYTES + 1));
    expect(!r.ok && r.reason).toMatch(/MB; Layerlab opens model topology files up to 10 MB/);
  });

  it('names a cycle', () => {
    const o = baseObj();
    o.config.layers.find((l: any) => l.name === 'dense_image_1').inbound_nodes = [[['dense_image_2', 0, 0, {}]]];
    const r = importKerasJson(JSON.stringify(o));
    expect(!r.ok && r.reason).toMatch(/cycle \('dense_image_\d' → .* → 'dense_image_\d'\)/);
  });

  it('renames names full of quotes and markup to valid ones, saying old → new (nothing is interpreted)', () => {
    const o = baseObj();
    const evil = `x"'<img src=x onerror=alert(1)>`;
    const layer = o.config.layers.find((l: any) => l.name === 'dense_combined');
    layer.name = evil;
    layer.config.name = evil;
    for (const l of o.config.layers) for (const n of l.inbound_nodes) for (const t of n) if (t[0] === 'dense_combined') t[0] = evil;
    const r = importKerasJson(JSON.stringify(o));
    if (!r.ok) throw new Error(r.reason);
    expect(r.graph.nodes.some((n) => n.name === evil)).toBe(false);
    expect(r.graph.nodes.every((n) => checkName(n.name) === null)).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/Renamed 1 layer .*'x"'<img src=x onerror=alert\(1\)>' → 'x_+img_src_x_onerror_alert_1'/);
    expect(analyze(r.graph).diagnostics.map((d) => d.code)).not.toContain('name/invalid');
  });
});
