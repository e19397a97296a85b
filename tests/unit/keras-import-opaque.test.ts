/**
 * Layers Layerlab cannot run (issue 10): a Lambda, TFOpLambda, SlicingOpLambda or a class Layerlab lacks in an
 * imported file becomes an Opaque node (core/layers/opaque.ts) instead of refusing the file. Files: two written by
 * Keras 3.15 (tests/fixtures/keras/gen_keras3_lambda.py; their totals are Keras's `count_params()`), and Keras 2
 * forms written by hand as tf.keras 2 writes them (a Lambda's `function` is a [marshalled code, defaults, closure]
 * list, `output_shape_type` 'raw' or 'lambda').
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importKerasJson,
  analyze,
  checkParam,
  DEFAULT_TRAINING,
  exportKerasJson,
  LAYER_DEFS,
  layerDef,
  parseProjectJson,
  setParam,
  summarize,
  toProjectJson,
  trainingBlock,
  type Graph,
} from '../../src/core';
import { generatePython, generateTypeScript } from '../../src/codegen';
import { buildError } from '../../src/runtime/buildModel';
import { parseField } from '../../src/inspector/ParamField';
import { imported, inp, lay, type Json } from '../helpers/kerasJson';
import { LEAKS } from '../helpers/messages';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../fixtures/keras', name), 'utf8');
const byName = (g: Graph, name: string) => g.nodes.find((n) => n.name === name && !n.layerOf)!;

/** A Keras 2 Lambda layer entry as tf.keras 2.15 writes it. */
const lambda2 = (name: string, from: string, extra: Json = {}): Json =>
  lay(
    'Lambda',
    name,
    {
      function: ['4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAfABkARQAUwApAk7pAgAAAKkAKQHaAXhyAgAAAHIC', null, null],
      function_type: 'lambda',
      module: '__main__',
      output_shape: null,
      output_shape_type: 'raw',
      output_shape_module: null,
      arguments: {},
      ...extra,
    },
    from,
  );

/** A Keras 2 Functional model around `layers`. */
const functional2 = (layers: Json[], inputs: string[], outputs: string[]): Json => ({
  class_name: 'Functional',
  config: { name: 'm', layers, input_layers: inputs.map((n) => [n, 0, 0]), output_layers: outputs.map((n) => [n, 0, 0]) },
  keras_version: '2.15.0',
  backend: 'tensorflow',
});

describe('a Keras 3 file with Lambda layers', () => {
  const text = fixture('keras3_lambda_chain.json');
  const r = imported(text);
  const a = analyze(r.graph);

  it('imports them as opaque nodes with their class, and the totals Keras counts (45)', () => {
    expect(r.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Dense', 'Opaque', 'Opaque', 'Dense']);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals.total).toBe(45);
    const rows = summarize(r.graph, a).rows;
    // One chain: a Sequential summary, without the InputLayer row.
    expect(rows.map((x) => [x.name, x.className, x.outputShape, x.params])).toEqual([
      ['d', 'Dense', [null, 4], 36],
      ['lam', 'Lambda', [null, 2], 0],
      ['lam2', 'Lambda', [null, 2], 0],
      ['out', 'Dense', [null, 3], 9],
    ]);
  });

  it("reads an output shape from the config's output_shape, else from the shape Keras 3 records where a layer reads it", () => {
    expect(byName(r.graph, 'lam').params.output_shape).toEqual([2]);
    // lam2 has no output_shape in its config; 'out' reads its tensor as {"shape": [null, 2], "keras_history": ["lam2", 0, 0]}.
    expect(JSON.parse(byName(r.graph, 'lam2').params.layer_json as string).config.output_shape).toBeUndefined();
    expect(byName(r.graph, 'lam2').params.output_shape).toEqual([2]);
    expect(r.warnings.join(' ')).toContain(
      "Kept 2 layers Layerlab cannot run as placeholders: 'lam' (Lambda, output shape from its output_shape), 'lam2' (Lambda, output shape from the shape the file records for it).",
    );
  });

  it('blocks training with a warning that names the layer and says what still works; the runtime refuses to build', () => {
    const blocked = a.diagnostics.filter((d) => d.code === 'train/blocked');
    expect(blocked.map((d) => [d.severity, d.message])).toEqual([
      ['warning', "Lambda 'lam' runs Python code Layerlab cannot run; shapes, summary, code and export still work, training does not."],
      ['warning', "Lambda 'lam2' runs Python code Layerlab cannot run; shapes, summary, code and export still work, training does not."],
    ]);
    expect(a.valid).toBe(true);
    expect(trainingBlock(a)).toBe(blocked[0].message);
    expect(buildError(a)?.message).toBe(blocked[0].message);
  });

  it('exports each Lambda with its class, module and config as the file wrote them (plus the output shape it lacked)', () => {
    const file = JSON.parse(text) as { config: { layers: Json[] } };
    const out = exportKerasJson(r.graph);
    expect(out.ok).toBe(true);
    const layers = (JSON.parse(out.ok ? out.json : '{}') as { config: { layers: Json[] } }).config.layers;
    for (const name of ['lam', 'lam2']) {
      const theirs = file.config.layers.find((l) => l.name === name)!;
      const ours = layers.find((l) => (l.config as Json).name === name)!;
      expect(ours.class_name).toBe('Lambda');
      expect(ours.module).toBe('keras.layers');
      expect(ours.registered_name).toBeNull();
      // lam2's config has no output_shape: the export adds the one read from the file, which Keras's Lambda takes.
      expect(ours.config).toEqual(name === 'lam' ? theirs.config : { ...(theirs.config as Json), output_shape: [2] });
    }
    // And the export reads back as the same nodes.
    const back = imported(out.ok ? out.json : '');
    expect(back.graph.nodes.filter((n) => n.kind === 'Opaque').map((n) => [n.name, n.params.class_name, n.params.output_shape])).toEqual([
      ['lam', 'Lambda', [2]],
      ['lam2', 'Lambda', [2]],
    ]);
    expect(analyze(back.graph).totals.total).toBe(45);
  });

  it('writes Python with a marked placeholder Lambda of the same output shape; TypeScript is refused with the reason', () => {
    const py = generatePython(r.graph, DEFAULT_TRAINING, 'functional');
    expect(py.ok).toBe(true);
    const code = py.ok ? py.code : '';
    expect(code).toMatch(
      /# TODO: 'lam' was a Lambda layer in the imported file, whose code the file does not\s+# carry\. This placeholder returns zeros of its output shape; replace it with the layer's\s+# code\.\nlam = layers\.Lambda\(/,
    );
    // Called on its one tensor (not a one-item list), as the file called it.
    expect(code).toMatch(
      /lam = layers\.Lambda\(\s*lambda x: keras\.ops\.zeros\(\(keras\.ops\.shape\(x\[0\] if isinstance\(x, list\) else x\)\[0\], 2,\)\),\s*output_shape=\(2,\),\s*name="lam",\s*\)\(d\)/,
    );
    const ts = generateTypeScript(r.graph, DEFAULT_TRAINING, 'functional');
    expect(ts.ok).toBe(false);
    expect(!ts.ok && ts.reason).toBe(
      "TypeScript code is not possible: Lambda 'lam' comes from the imported file and tfjs cannot run it (its code is not in the file). The Python tab writes the model with a marked placeholder in its place.",
    );
  });

  it('keeps the nodes in the project file, parameters unchanged and no repair notes', () => {
    const back = parseProjectJson(toProjectJson({ graph: r.graph, training: DEFAULT_TRAINING }));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.notes).toEqual([]);
    expect(back.project.graph.nodes.map((n) => n.params)).toEqual(r.graph.nodes.map((n) => n.params));
  });
});

describe('an opaque layer whose output shape the file does not say', () => {
  const file = functional2(
    [inp('x', [8]), lay('Dense', 'd', { units: 4 }, 'x'), lambda2('lam', 'd'), lay('Dense', 'out', { units: 3 }, 'lam')],
    ['x'],
    ['out'],
  );
  const r = imported(file);
  const lam = byName(r.graph, 'lam');

  it('is flagged with what to do, and the layers after it have no shape and no error of their own', () => {
    const a = analyze(r.graph);
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.nodeId, d.message])).toEqual([
      [
        'shape/opaque-unknown',
        lam.id,
        "'lam' (Opaque) is a Lambda layer from the imported file, whose output shape the file does not say; enter it in the inspector's output_shape field (without the batch axis, None for an unknown size).",
      ],
    ]);
    expect(a.nodes.get(byName(r.graph, 'out').id)!.outputShape).toBeNull();
    expect(r.warnings.join(' ')).toContain("'lam' (Lambda, output shape unknown: enter it in the inspector)");
  });

  it('works once the user enters it: the shape flows on (None kept) and the next Dense counts its weights', () => {
    const set = setParam(r.graph, lam.id, 'output_shape', [null, 5]);
    expect(set.ok).toBe(true);
    const a = analyze(set.ok ? set.graph : r.graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.nodes.get(lam.id)!.outputShape).toEqual([null, null, 5]);
    expect(a.nodes.get(byName(r.graph, 'out').id)!.weights).toEqual({ trainable: 5 * 3 + 3, nonTrainable: 0 });
    // With a None size the Python placeholder returns its input: zeros need every size.
    const py = generatePython(set.ok ? set.graph : r.graph, DEFAULT_TRAINING, 'functional');
    expect(py.ok && py.code).toMatch(/layers\.Lambda\(lambda x: x, output_shape=\(None, 5\), name="lam"\)/);
  });

  it("ignores a Keras 2 output_shape that is a function (output_shape_type 'lambda') and reads a raw one", () => {
    const fn = imported(
      functional2([inp('x', [8]), lambda2('lam', 'x', { output_shape: ['4wEAAAAA', null, null], output_shape_type: 'lambda' })], ['x'], ['lam']),
    );
    expect(byName(fn.graph, 'lam').params.output_shape).toBeNull();
    const raw = imported(functional2([inp('x', [8]), lambda2('lam', 'x', { output_shape: [2, 4] })], ['x'], ['lam']));
    expect(byName(raw.graph, 'lam').params.output_shape).toEqual([2, 4]);
    expect(analyze(raw.graph).nodes.get(byName(raw.graph, 'lam').id)!.outputShape).toEqual([null, 2, 4]);
  });
});

describe('other classes Layerlab cannot run', () => {
  it("keeps a user's class, with a note that its weights are not counted, and a training block that says why", () => {
    const r = imported(
      functional2([inp('x', [8]), lay('MyAttention', 'mine', { heads: 2, output_shape: [8] }, 'x'), lay('Dense', 'out', { units: 1 }, 'mine')], ['x'], ['out']),
    );
    const n = byName(r.graph, 'mine');
    expect(n.params.class_name).toBe('MyAttention');
    expect(r.warnings.join(' ')).toContain("a custom class's weights, if it has any, are not counted (the file does not say them)");
    const a = analyze(r.graph);
    expect(a.totals.total).toBe(9);
    expect(trainingBlock(a)).toBe(
      "MyAttention 'mine' is a class Layerlab does not have (its code is not in the file); shapes, summary, code and export still work, training does not.",
    );
  });

  it('keeps a TFOpLambda of several inputs with one edge per input, in order', () => {
    const r = imported(
      functional2(
        [
          inp('a', [4]),
          inp('b', [4]),
          lay('TFOpLambda', 'tf.math.add', { function: 'math.add', output_shape: [4] }, 'a', 'b'),
          lay('Dense', 'out', { units: 2 }, 'tf.math.add'),
        ],
        ['a', 'b'],
        ['out'],
      ),
    );
    const op = byName(r.graph, 'tf.math.add');
    expect(r.graph.edges.filter((e) => e.target === op.id).map((e) => r.graph.nodes.find((n) => n.id === e.source)!.name)).toEqual(['a', 'b']);
    expect(analyze(r.graph).nodes.get(op.id)!.outputShape).toEqual([null, 4]);
  });

  it('keeps an unknown class in a Sequential file', () => {
    const r = imported({
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'Dense', config: { name: 'd', units: 4, batch_input_shape: [null, 3] } },
          { class_name: 'Lambda', config: { name: 'lam', function: ['AAAA', null, null], function_type: 'lambda', output_shape: [4] } },
          { class_name: 'Dense', config: { name: 'out', units: 2 } },
        ],
      },
    });
    expect(r.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Dense', 'Opaque', 'Dense']);
    expect(analyze(r.graph).totals.total).toBe(16 + 10);
  });
});

describe('a Lambda inside a shared nested model (Keras 3 file)', () => {
  const r = imported(fixture('keras3_nested_shared_lambda.json'));

  it('flattens it into a shared opaque layer called once per call of the nested model, with Keras’s totals (39)', () => {
    const slices = r.graph.nodes.filter((n) => n.kind === 'Opaque');
    expect(slices.map((n) => [n.name, n.params.output_shape])).toEqual([
      ['t_slice', [3]],
      ['t_slice', [3]],
    ]);
    expect(slices[1].layerOf).toBe(slices[0].id);
    const a = analyze(r.graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals.total).toBe(39);
    expect(a.nodes.get(byName(r.graph, 'diff').id)!.outputShape).toEqual([null, 3]);
  });

  it('takes the output shape of a Lambda without output_shape from where a layer inside the nested model reads it (totals 22)', () => {
    const r2 = imported(fixture('keras3_nested_lambda_no_shape.json'));
    expect(r2.graph.nodes.filter((n) => n.kind === 'Opaque').map((n) => [n.name, n.params.output_shape])).toEqual([
      ['u_slice', [4]],
      ['u_slice', [4]],
    ]);
    const a = analyze(r2.graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals.total).toBe(22);
  });

  it('flattened, writes Python that declares the placeholder once and calls it twice', () => {
    const flat = importKerasJson(fixture('keras3_nested_shared_lambda.json'), { nested: 'flatten' });
    if (!flat.ok) throw new Error(flat.reason);
    expect(flat.graph.blocks).toBeUndefined();
    const py = generatePython(flat.graph, DEFAULT_TRAINING, 'functional');
    const code = py.ok ? py.code : '';
    expect(code.match(/layers\.Lambda\(/g)).toHaveLength(1);
    expect(code.match(/# TODO: 't_slice' was a Lambda layer/g)).toHaveLength(1);
    expect(code).toMatch(/t_slice_layer = layers\.Lambda\(/);
    expect(code).toMatch(/t_slice = t_slice_layer\(t_dense\)\n/);
    expect(code).toMatch(/t_slice_2 = t_slice_layer\(t_dense_2\)\n/);
  });

  it('kept as a nested model (the default), writes the placeholder once, inside the nested model called twice', () => {
    expect(r.graph.blocks?.map((b) => [b.name, b.callOf !== undefined])).toEqual([
      ['tower', false],
      ['tower', true],
    ]);
    const py = generatePython(r.graph, DEFAULT_TRAINING, 'functional');
    const code = py.ok ? py.code : '';
    expect(code.match(/layers\.Lambda\(/g)).toHaveLength(1);
    expect(code.match(/ = tower\(/g)).toHaveLength(2);
  });
});

describe("Keras 3's mask operations", () => {
  it('are left out with a note of their own: Embedding mask_zero → LSTM imports with Keras’s 613', () => {
    // Keras 3.15 writes the mask the LSTM receives as a NotEqual node (module keras.src.ops.numpy), once refused as an unknown kind.
    const r = imported(fixture('keras3_masked_notequal.json'));
    expect(r.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Embedding', 'LSTM', 'Dense']);
    expect(analyze(r.graph).totals.total).toBe(613);
    expect(r.warnings).toEqual([
      "Left out the operation 'not_equal' that Keras 3 writes to pass a mask on (read by no output; the layers make the same mask).",
    ]);
  });
});

describe('the Opaque kind itself', () => {
  it('is never offered in the palette (not among LAYER_DEFS) but is registered for the importer and the validator', () => {
    expect(LAYER_DEFS.some((d) => d.kind === 'Opaque')).toBe(false);
    expect(layerDef('Opaque')?.cannotRun).toBeDefined();
  });

  it("reads the inspector's output_shape field: empty is no shape yet, None an unknown size", () => {
    const spec = layerDef('Opaque')!.params.output_shape;
    expect(parseField(spec, '')).toEqual({ value: null });
    expect(parseField(spec, 'None, 64')).toEqual({ value: [null, 64] });
    expect(parseField(spec, '128')).toEqual({ value: [128] });
  });

  it('checks its kept config as JSON of an object and lets the output shape be empty until given', () => {
    const def = layerDef('Opaque')!;
    expect(checkParam(def.params.layer_json, '{"config":{}}')).toBeNull();
    expect(checkParam(def.params.layer_json, '[1, 2]')).toMatch(/^must be the JSON text of an object/);
    expect(checkParam(def.params.layer_json, '{nope')).not.toMatch(LEAKS);
    expect(checkParam(def.params.output_shape, null)).toBeNull();
    expect(checkParam(def.params.output_shape, [0])).toMatch(/must be positive whole numbers/);
  });
});
