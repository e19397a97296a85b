/**
 * Issue 11, the three Keras APIs in the code generators: Model subclassing in Python (and TypeScript's refusal), every
 * reason Sequential is impossible (core `apiReasons`), the line ↔ node map each generator records as it writes, and
 * which lines are specific to a form (`formSpecific`). Keras itself runs the subclassed programs in
 * tests/keras/keras.oracle.test.ts (counts and shapes); here Python's own parser reads them when python3 exists.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiPlan, apiReasons, importKerasJson, TEMPLATES, type Graph, type TrainingSettings } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import {
  formSpecific,
  generatePython,
  generateTypeScript,
  KERAS_MODEL_ATTRS,
  pyClassName,
  TFJS_NO_SUBCLASSING,
  type ApiForm,
  type CodeResult,
} from '../../src/codegen';
import { written } from '../helpers/codegen';
import { MULTI_OUTPUT_GRAPHS } from '../helpers/multiOutputGraphs';
import { tpl } from '../helpers/templates';

const SETTINGS: TrainingSettings = { epochs: 2, batchSize: 8, samples: 16, optimizer: 'adam', learningRate: 0.001 };
const sub = (g: Graph) => written(generatePython(g, SETTINGS, 'subclassing'));
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

/** Python's own parser on programs (one python3 process for all): per program, the class definitions, each with its methods and the `self.<attr>` it assigns. */
const PARSE = `
import ast, json, sys
res = []
for src in json.load(sys.stdin):
    tree = ast.parse(src)
    out = []
    for c in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
        attrs = [t.attr for n in ast.walk(c) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Attribute)]
        out.append({"name": c.name, "bases": [ast.unparse(b) for b in c.bases], "methods": [f.name for f in c.body if isinstance(f, ast.FunctionDef)], "attrs": attrs})
    res.append(out)
print(json.dumps(res))`;
function pyClassesAll(srcs: readonly string[]): { name: string; bases: string[]; methods: string[]; attrs: string[] }[][] {
  const r = spawnSync('python3', ['-c', PARSE], { input: JSON.stringify(srcs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 could not parse the code:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The lines of a generated program with their nodes and kinds. */
function linesOf(r: CodeResult) {
  if (!r.ok) throw new Error(r.reason);
  const text = r.code.split('\n');
  expect(text.pop()).toBe('');
  return text.map((line, i) => ({ line, nodes: r.lineNodes[i], kind: r.lineKinds[i] }));
}

/** An encoder-decoder: an LSTM with return_state whose states start the decoder (initial_state), causal self-attention after it. */
const seq2seq = (): Graph =>
  buildGraph('seq2seq', (b) => {
    const src = b.add('Input', { shape: [7, 5] }, 'source');
    const tgt = b.add('Input', { shape: [6, 5] }, 'target');
    const enc = b.add('LSTM', { units: 8, return_state: true }, 'encoder', [src]);
    const dec = b.add('LSTM', { units: 8, return_sequences: true }, 'decoder', [tgt, { node: enc, output: 1 }, { node: enc, output: 2 }]);
    const att = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 4, use_causal_mask: true }, 'self_attention', [dec]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'next_token', [att]);
  });

describe('Model subclassing in Python', () => {
  it('the purchase predictor: a keras.Model subclass named after the model, layers as attributes, inputs unpacked in order', () => {
    const py = sub(tpl('purchase-predictor'));
    expect(py).toContain('class MultiInputPurchasePredictor(keras.Model):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n');
    expect(py).toContain('        self.dense_image_1 = layers.Dense(64, activation="relu", name="dense_image_1")\n');
    expect(py).toContain('        self.concatenate_branches = layers.Concatenate(name="concatenate_branches")\n');
    expect(py).toContain('    def call(self, inputs):\n');
    expect(py).toContain("        # The inputs, in the model's input order: 'image_features_input',\n");
    expect(py).toContain('        image_features_input, text_features_input = inputs\n');
    expect(py).toContain('        concatenate_branches = self.concatenate_branches([dense_image_2, dense_text_2])\n');
    expect(py).toContain('        return output_sigmoid\n\n\nmodel = MultiInputPurchasePredictor(name="multi_input_purchase_predictor")\n');
    // Built once on keras.Input tensors of the input shapes, so that summary() prints shapes and counts.
    expect(py).toContain(
      'model(\n    [\n        keras.Input(shape=(64, 64, 3), name="image_features_input"),\n        keras.Input(shape=(100,), name="text_features_input"),\n    ]\n)\nmodel.summary()\n',
    );
    // The training part is the Functional program's, line for line.
    const functional = written(generatePython(tpl('purchase-predictor'), SETTINGS, 'functional'));
    expect(py.slice(py.indexOf('model.compile('))).toBe(functional.slice(functional.indexOf('model.compile(')));
    expect(py.split('\n')[0]).toBe('# multi_input_purchase_predictor: a Keras model subclass, generated by Layerlab.');
  });

  it('one input is `<input> = inputs`; a chain is built on one keras.Input', () => {
    const py = sub(tpl('product-classifier'));
    expect(py).toMatch(/\n {8}(\w+) = inputs\n {8}conv1 = self\.conv1\(\1\)\n/);
    expect(py).toMatch(/\nmodel\(keras\.Input\(shape=\(64, 64, 3\), name="\w+"\)\)\n/);
  });

  it('a shared layer is one attribute, called at each use; its declaration maps to every call', () => {
    const g = tpl('siamese');
    const py = sub(g);
    expect(py.match(/self\.encoder_hidden = /g)).toHaveLength(1);
    expect(py.match(/= self\.encoder_hidden\(/g)).toHaveLength(2);
    const calls = g.nodes.filter((n) => n.name === 'encoder_hidden').map((n) => n.id);
    expect(calls).toHaveLength(2);
    const decl = linesOf(generatePython(g, SETTINGS, 'subclassing')).find((l) => l.line.includes('self.encoder_hidden = '))!;
    expect(decl.kind).toBe('layer');
    expect([...decl.nodes].sort()).toEqual([...calls].sort());
  });

  it('several outputs of a layer are unpacked, initial states passed by keyword, call arguments kept', () => {
    const py = sub(seq2seq());
    expect(py).toContain('        encoder_output, encoder_state_h, encoder_state_c = self.encoder(source)\n');
    expect(py).toContain('        decoder = self.decoder(target, initial_state=[encoder_state_h, encoder_state_c])\n');
    expect(py).toContain('        self_attention = self.self_attention(decoder, decoder, use_causal_mask=True)\n');
  });

  it('several model outputs are returned as a tuple in the order of the losses', () => {
    const g = MULTI_OUTPUT_GRAPHS.find((x) => x.id === 'shared-states')!.build();
    const py = sub(g);
    const fn = written(generatePython(g, SETTINGS, 'functional'));
    // The Functional model's `outputs=[...]` and the subclass's return name the same tensors in the same order.
    const outputs = /outputs=\[([^\]]+)\]/.exec(fn)![1];
    expect(py).toContain(`        return ${outputs}\n`);
    expect(outputs.split(', ').length).toBeGreaterThan(2);
    expect(py).toContain('# The outputs as a tuple, in the order of the losses below.');
  });

  it('an attribute never takes a name keras.Model already has; the class name is a valid identifier', () => {
    const g = buildGraph('none', (b) => {
      const x = b.add('Input', { shape: [4] }, 'x_in');
      const l = b.add('Dense', { units: 3 }, 'layers', [x]);
      const w = b.add('Dense', { units: 3 }, 'weights', [l]);
      b.add('Dense', { units: 1 }, 'call', [w]);
    });
    const py = sub(g);
    expect(py).toContain('self.layers_ = layers.Dense(3, name="layers")');
    expect(py).toContain('self.weights_ = layers.Dense(3, name="weights")');
    expect(py).toContain('self.call_ = layers.Dense(1, name="call")');
    expect(py).toContain('class NoneModel(keras.Model):');
    for (const a of ['layers', 'weights', 'call', 'name', 'summary', 'fit']) expect(KERAS_MODEL_ATTRS.has(a)).toBe(true);
    expect(['purchase_predictor', 'my-cnn 2', '2nd', '', 'model', 'True'].map(pyClassName)).toEqual([
      'PurchasePredictor',
      'MyCnn2',
      'Model2nd',
      'MyModel',
      'ModelModel',
      'TrueModel',
    ]);
  });

  it('an opaque node (a Lambda from a file) is the same marked placeholder Lambda as in the Functional form', () => {
    const r = importKerasJson(readFileSync(path.join(__dirname, '../fixtures/keras/keras3_lambda_chain.json'), 'utf8'));
    if (!r.ok) throw new Error(r.reason);
    const lam = r.graph.nodes.find((n) => n.kind === 'Opaque')!;
    const py = sub(r.graph);
    const fn = written(generatePython(r.graph, SETTINGS, 'functional'));
    // The Functional form's placeholder arguments, as written there (`lam = layers.Lambda(…)(d)`).
    const args = new RegExp(`\\n${lam.name} = layers\\.Lambda\\(\\n([\\s\\S]*?)\\n\\)\\(`)
      .exec(fn)![1]
      .split('\n')
      .map((l) => l.trim());
    const mine = new RegExp(`\\n {8}self\\.${lam.name} = layers\\.Lambda\\(\\n([\\s\\S]*?)\\n {8}\\)\\n`)
      .exec(py)![1]
      .split('\n')
      .map((l) => l.trim());
    expect(mine).toEqual(args);
    expect(py).toContain(`        # TODO: '${lam.name}' was a Lambda layer in the imported file`);
  });

  it.skipIf(!hasPython)('python3 parses every program: one keras.Model subclass with __init__ and call, an attribute per layer', () => {
    const graphs = [...TEMPLATES.map((t) => t.build()), seq2seq(), ...MULTI_OUTPUT_GRAPHS.map((t) => t.build())];
    const parsed = pyClassesAll(graphs.map(sub));
    for (const [i, g] of graphs.entries()) {
      const classes = parsed[i];
      expect(classes).toHaveLength(1);
      expect(classes[0].bases).toEqual(['keras.Model']);
      expect(classes[0].methods).toEqual(['__init__', 'call']);
      const layers = new Set(g.nodes.filter((n) => n.kind !== 'Input').map((n) => n.layerOf ?? n.id));
      expect(classes[0].attrs).toHaveLength(layers.size);
      expect(new Set(classes[0].attrs).size).toBe(layers.size);
      for (const a of classes[0].attrs) expect(KERAS_MODEL_ATTRS.has(a), `${g.name}: self.${a}`).toBe(false);
    }
  });

  it('TypeScript refuses the subclassing form with the reason; a graph with errors is refused first for its errors', () => {
    const r = generateTypeScript(tpl('purchase-predictor'), SETTINGS, 'subclassing');
    expect(r).toEqual({ ok: false, reason: TFJS_NO_SUBCLASSING });
    expect(TFJS_NO_SUBCLASSING).toMatch(/tfjs has no Model subclassing in its Layers API/);
    expect(TFJS_NO_SUBCLASSING).toMatch(/tf\.model or tf\.sequential/);
    const broken = buildGraph('b', (b) => void b.add('Dense', { units: 2 }, 'alone'));
    const py = generatePython(broken, SETTINGS, 'subclassing');
    expect(py.ok).toBe(false);
    expect(generateTypeScript(broken, SETTINGS, 'subclassing')).toEqual(py);
  });
});

describe('apiReasons: every reason Sequential is impossible', () => {
  const texts = (g: Graph) => apiReasons(g).map((r) => r.text);
  const idOf = (g: Graph, name: string) => g.nodes.find((n) => n.name === name)!.id;

  it('a chain has none', () => {
    expect(apiReasons(tpl('product-classifier'))).toEqual([]);
  });

  it('several inputs, a merge and several outputs, each naming its node', () => {
    const g = buildGraph('m', (b) => {
      const a = b.add('Input', { shape: [4] }, 'a');
      const c = b.add('Input', { shape: [4] }, 'c');
      const m = b.add('Concatenate', {}, 'merge', [a, c]);
      b.add('Dense', { units: 1 }, 'out1', [m]);
      b.add('Dense', { units: 2 }, 'out2', [m]);
    });
    const r = apiReasons(g);
    expect(r.map((x) => x.text)).toEqual([
      "The model has 2 inputs ('a', 'c'): a Sequential model has exactly one input.",
      "'merge' has 2 inputs: a Sequential model is one chain, each layer fed by the one before it.",
      "'merge' feeds 2 layers ('out1', 'out2'): a Sequential model is one chain without branches.",
      "The model has 2 outputs ('out1', 'out2'): a Sequential model has one output, its last layer.",
    ]);
    expect(r.map((x) => x.nodeId)).toEqual([idOf(g, 'c'), idOf(g, 'merge'), idOf(g, 'merge'), idOf(g, 'out2')]);
  });

  it('a shared layer, a layer with several outputs, self-attention', () => {
    const g = buildGraph('s', (b) => {
      const x = b.add('Input', { shape: [5, 4] }, 'x');
      const att = b.add('MultiHeadAttention', { num_heads: 1, key_dim: 2 }, 'att', [x]);
      const l = b.add('LSTM', { units: 3, return_state: true }, 'lstm', [att]);
      const d = b.add('Dense', { units: 3 }, 'shared', [l]);
      b.call(d, [d]);
    });
    const t = texts(g);
    expect(t).toContain("'shared' is a shared layer, called 2 times: a Sequential model calls each layer once, on the output of the one before.");
    expect(t).toContain("'lstm' returns 3 tensors (output, state_h, state_c): every layer of a Sequential model returns one; the Functional API unpacks them.");
    expect(t).toContain(
      "'att' attends over its one input (self-attention): Keras calls it on that tensor twice, as query and value, which a Sequential model cannot write.",
    );
    expect(t).toHaveLength(3);
  });

  it('not one chain, an explicit early output, nothing after the Input, no Input', () => {
    const g = buildGraph('c', (b) => {
      const x = b.add('Input', { shape: [4] }, 'x');
      const h = b.add('Dense', { units: 3 }, 'hidden', [x]);
      b.add('Dense', { units: 1 }, 'last', [h]);
      b.add('Dense', { units: 1 }, 'stray');
    });
    const withEarly: Graph = { ...g, outputs: [idOf(g, 'hidden')] };
    const t = texts(withEarly);
    expect(t).toContain("'stray' is not on the chain from 'x': a Sequential model is one chain.");
    expect(t).toContain("'hidden' is an output although 'last' reads it: a Sequential model has one output, its last layer.");
    const lonely = buildGraph('l', (b) => void b.add('Input', { shape: [4] }, 'x'));
    expect(texts(lonely)).toEqual(["Connect a layer after 'x': a model needs at least one layer."]);
    expect(texts({ ...lonely, nodes: [] })).toEqual(['The model has no Input layer yet.']);
  });

  it("the first reason is apiPlan's, for every template and edge graph", () => {
    const graphs = [...TEMPLATES.map((t) => t.build()), seq2seq(), ...MULTI_OUTPUT_GRAPHS.map((t) => t.build())];
    for (const g of graphs) {
      const plan = apiPlan(g);
      const r = apiReasons(g);
      if (plan.kind === 'sequential') expect(r, g.name).toEqual([]);
      else expect(r[0], g.name).toEqual({ text: plan.reason, ...(plan.nodeId ? { nodeId: plan.nodeId } : {}) });
    }
  });
});

/** Every program of a graph: Python in each form it allows, TypeScript in Sequential and Functional. */
function programs(g: Graph): { label: string; r: CodeResult; lang: 'python' | 'typescript'; form: ApiForm }[] {
  const forms: ApiForm[] = apiPlan(g).kind === 'sequential' ? ['sequential', 'functional', 'subclassing'] : ['functional', 'subclassing'];
  return [
    ...forms.map((form) => ({ label: `${g.name} python ${form}`, r: generatePython(g, SETTINGS, form), lang: 'python' as const, form })),
    ...forms
      .filter((f) => f !== 'subclassing')
      .map((form) => ({ label: `${g.name} typescript ${form}`, r: generateTypeScript(g, SETTINGS, form), lang: 'typescript' as const, form })),
  ];
}

describe('line ↔ node map recorded by the generators', () => {
  it.each(TEMPLATES.map((t) => t.id))('%s: one entry per line, real ids only, every node on a line, comments and imports on none', (id) => {
    const g = tpl(id);
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const { label, r } of programs(g)) {
      const lines = linesOf(r);
      if (!r.ok) continue;
      expect(r.lineNodes.length, label).toBe(lines.length);
      expect(r.lineKinds.length, label).toBe(lines.length);
      for (const l of lines) for (const n of l.nodes) expect(ids.has(n), `${label}: ${n}`).toBe(true);
      const mapped = new Set(lines.flatMap((l) => l.nodes));
      for (const n of g.nodes) expect(mapped.has(n.id), `${label}: node '${n.name}' on no line`).toBe(true);
      for (const l of lines) {
        if (/^\s*(#|\/\/)/.test(l.line) || /^(import|from) /.test(l.line) || l.line.trim() === '') expect(l.nodes, `${label}: ${l.line}`).toEqual([]);
        if (l.kind === 'train' || l.kind === 'other') expect(l.nodes, `${label}: ${l.line}`).toEqual([]);
      }
    }
  });

  it.each(TEMPLATES.map((t) => t.id))("%s: the statement mapped to each layer writes that layer's name (its declaration for a shared call)", (id) => {
    const g = tpl(id);
    for (const { label, r, lang } of programs(g)) {
      const lines = linesOf(r);
      for (const n of g.nodes) {
        const text = lines
          .filter(
            (l) => l.nodes.includes(n.id) && (l.kind === 'layer' || l.kind === 'call' || l.kind === 'input' || (n.kind === 'Input' && l.kind === 'model')),
          )
          .map((l) => l.line)
          .join('\n');
        // An Input's lines declare its shape (a Sequential TypeScript model's first layer carries it as inputShape).
        if (n.kind === 'Input') expect(text, `${label}: ${n.name}`).toMatch(/keras\.Input\(shape=|tf\.input\(\{ shape: |inputShape: /);
        else expect(text, `${label}: ${n.name}`).toContain(lang === 'python' ? `name="${n.name}"` : `name: '${n.name}'`);
      }
    }
  });

  it("the purchase predictor: the Concatenate node's lines hold it in each form, a multi-line statement maps on every line", () => {
    const g = tpl('purchase-predictor');
    const cat = g.nodes.find((n) => n.kind === 'Concatenate')!;
    for (const { label, r } of programs(g)) {
      const lines = linesOf(r);
      // The statements that build or call it: runs of consecutive lines mapped to it, each read as one text.
      const runs: string[] = [];
      lines.forEach((l, i) => {
        if (!l.nodes.includes(cat.id)) return;
        if (i > 0 && lines[i - 1].nodes.includes(cat.id)) runs[runs.length - 1] += `\n${l.line}`;
        else runs.push(l.line);
      });
      expect(runs.length, label).toBeGreaterThan(0);
      for (const run of runs) expect(run, label).toMatch(/concatenate/i);
      expect(
        runs.some((run) => /\.Concatenate\(|\.concatenate\(/.test(run)),
        label,
      ).toBe(true);
    }
    const out = g.nodes.find((n) => n.name === 'output_sigmoid')!;
    const subLines = linesOf(generatePython(g, SETTINGS, 'subclassing'));
    const decl = subLines.filter((l) => l.kind === 'layer' && l.nodes.includes(out.id)).map((l) => l.line.trim());
    expect(decl).toEqual(['self.output_sigmoid = layers.Dense(', '1,', 'activation="sigmoid",', 'name="output_sigmoid",', ')']);
  });

  it('the model statement maps to the output nodes, `inputs=` to the Inputs', () => {
    const g = tpl('purchase-predictor');
    const ins = g.nodes.filter((n) => n.kind === 'Input').map((n) => n.id);
    const out = [g.nodes.find((n) => n.name === 'output_sigmoid')!.id];
    const py = linesOf(generatePython(g, SETTINGS, 'functional'));
    expect(py.find((l) => l.line === 'model = keras.Model(')!.nodes).toEqual(out);
    expect(py.find((l) => l.line.startsWith('    inputs='))).toMatchObject({ kind: 'io', nodes: ins });
    expect(py.find((l) => l.line.startsWith('    outputs='))).toMatchObject({ kind: 'io', nodes: out });
    const ts = linesOf(generateTypeScript(g, SETTINGS, 'functional'));
    expect(ts.find((l) => l.line === 'const model = tf.model({')!.nodes).toEqual(out);
    expect(ts.find((l) => l.line.startsWith('  inputs:'))).toMatchObject({ kind: 'io', nodes: ins });
  });
});

describe('formSpecific: the lines a form adds', () => {
  const marked = (a: CodeResult, b: CodeResult) => {
    const la = linesOf(a);
    linesOf(b);
    if (!a.ok || !b.ok) throw new Error('refused');
    const m = formSpecific(a, b);
    expect(m).toHaveLength(la.length);
    return la.filter((_, i) => m[i]).map((l) => l.line.trim());
  };

  it('Functional against Sequential: the calls on tensors and inputs= / outputs= (Python), and the Inputs in TypeScript', () => {
    const g = tpl('product-classifier');
    const pyF = generatePython(g, SETTINGS, 'functional');
    const pyS = generatePython(g, SETTINGS, 'sequential');
    const py = marked(pyF, pyS);
    const layers = g.nodes.filter((n) => n.kind !== 'Input');
    // Every layer's call, plus inputs= and outputs=; the keras.Input line is in both (Keras 3's Sequential takes one too).
    expect(py.filter((l) => / = layers\./.test(l))).toHaveLength(layers.length);
    expect(py).toContain('inputs=input_layer,');
    expect(py.filter((l) => l.startsWith('outputs='))).toHaveLength(1);
    expect(py.some((l) => l.includes('keras.Input'))).toBe(false);
    expect(py.some((l) => /^model\.(compile|fit|summary)/.test(l) || l.startsWith('#') || l.startsWith('import'))).toBe(false);
    // Sequential against Functional: its list items (layers created, not called) are its own.
    const seq = marked(pyS, pyF);
    expect(seq.filter((l) => l.startsWith('layers.'))).toHaveLength(layers.length);
    const ts = marked(generateTypeScript(g, SETTINGS, 'functional'), generateTypeScript(g, SETTINGS, 'sequential'));
    expect(ts.filter((l) => l.includes('tf.input('))).toHaveLength(1);
  });

  it('subclassing against Functional: the class scaffolding, the attributes and the build call; not the calls, the unpacking or the return', () => {
    const g = tpl('purchase-predictor');
    const s = marked(generatePython(g, SETTINGS, 'subclassing'), generatePython(g, SETTINGS, 'functional'));
    expect(s).toContain('class MultiInputPurchasePredictor(keras.Model):');
    expect(s).toContain('def __init__(self, **kwargs):');
    expect(s).toContain('def call(self, inputs):');
    expect(s).toContain('model = MultiInputPurchasePredictor(name="multi_input_purchase_predictor")');
    expect(s).toContain('self.concatenate_branches = layers.Concatenate(name="concatenate_branches")');
    expect(s).toContain('model(');
    expect(s.some((l) => l.includes('= self.'))).toBe(false);
    expect(s.some((l) => l.startsWith('return') || l.endsWith('= inputs'))).toBe(false);
  });
});
