/**
 * Keras 3 as the oracle for blocks (Keras nested models, core/graph/blocks.ts): the generated Python (Functional
 * form: each nested model written as `keras.Model(...)`, then called; Model subclassing: each nested model built
 * functionally in `__init__` as an attribute, called in `call`) of graphs with blocks runs in real Keras 3
 * (tests/keras/runner.py), and every row of the core's summary must equal Keras's model: the layer's class
 * (`Functional` for a block), the output shape of each call (a list for a block with several outputs), its
 * parameters (a nested model's summed), its "Connected to" cells (not for a subclass, which records none; nor its
 * InputLayer rows), and the totals and the printed total.
 * The Sequential form too where the outer model is a chain (core `outerApiPlan`: `keras.Sequential([keras.Input(...),
 * res_block, ...])`), whose summary Keras prints without InputLayer row and connections.
 * Graphs: a residual block called once, the same block called twice with shared weights, a block with two inputs
 * and two outputs, a block inside a branching model, and a block repeated as copies.
 * Run: `npx vitest run --config tests/keras/vitest.config.ts tests/keras/blocks.oracle.test.ts`. Skipped, saying
 * how to get it, without the Keras environment (scripts/keras-env.sh).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERAS_AVAILABLE, KERAS_PYTHON, runKerasPrograms } from './python';
import { analyze, DEFAULT_TRAINING, exportKeras3Json, exportKerasJson, importKerasJson, summarize, type Graph } from '../../src/core';
import { generatePython } from '../../src/codegen';
import { blockGraphs } from '../helpers/blockGraphs';

const PYTHON = KERAS_PYTHON;
const available = KERAS_AVAILABLE;

interface KerasModel {
  layers: { name: string; class: string; shapes: unknown[]; connected: string[]; trainable: number; non_trainable: number }[];
  total: number;
  printed_total: number | null;
  /** Keras's class of the model: Functional, Sequential, or the subclass's name. */
  class: string;
  /** A keras.Model subclass (runner.py `describe_subclassed`): no InputLayer rows, no connections, shapes as traced. */
  subclassed?: boolean;
}
type KerasResult = { id: string; ok: true; model: KerasModel } | { id: string; ok: false; error: string };

/** Runs programs (see runner.py) in one Keras process; results by id. */
function runKeras(programs: { id: string; kind: 'python' | 'json'; text: string }[]): Map<string, KerasResult> {
  return runKerasPrograms<KerasResult>(programs);
}

/** Every difference between the core's summary of `g` and Keras's model (empty when they agree); Keras's layers are matched by name. */
function differences(g: Graph, k: KerasModel): string[] {
  const a = analyze(g);
  const summary = summarize(g, a);
  // A subclassed model keeps no InputLayer (its call receives the tensors) and records no connections. A model the
  // core summarises as Sequential (an outer chain, nested models as links) lists no InputLayer and prints no
  // connections; the Functional program of it has its InputLayer, left out here.
  const rows = summary.rows.filter((r) => !k.subclassed || r.className !== 'InputLayer');
  const layers = k.layers.filter((l) => !summary.sequential || l.class !== 'InputLayer');
  const connections = !k.subclassed && !summary.sequential && k.class !== 'Sequential';
  const out: string[] = [];
  if (JSON.stringify(layers.map((l) => l.name)) !== JSON.stringify(rows.map((r) => r.name)))
    out.push(`rows ${JSON.stringify(rows.map((r) => r.name))}, Keras ${JSON.stringify(layers.map((l) => l.name))}`);
  for (const row of rows) {
    const theirs = layers.find((l) => l.name === row.name);
    if (!theirs) {
      out.push(`${row.name}: missing in Keras`);
      continue;
    }
    if (theirs.class !== row.className) out.push(`${row.name}: class ${theirs.class}, core ${row.className}`);
    // One shape per call in Keras; the core's row gives the shape every call has (a list for several outputs).
    const ours = JSON.stringify(row.outputShapes ?? row.outputShape);
    for (const s of theirs.shapes) if (JSON.stringify(s) !== ours) out.push(`${row.name}: shape ${JSON.stringify(s)}, core ${ours}`);
    if (theirs.trainable + theirs.non_trainable !== row.params) out.push(`${row.name}: ${theirs.trainable + theirs.non_trainable} params, core ${row.params}`);
    if (connections && JSON.stringify(theirs.connected) !== JSON.stringify(row.connectedTo))
      out.push(`${row.name}: connected to ${JSON.stringify(theirs.connected)}, core ${JSON.stringify(row.connectedTo)}`);
  }
  if (k.total !== a.totals.total) out.push(`total ${k.total}, core ${a.totals.total}`);
  if (k.printed_total !== a.totals.total) out.push(`printed total ${k.printed_total}, core ${a.totals.total}`);
  return out;
}

describe.skipIf(!available)('Keras 3 builds the generated Python of graphs with blocks, as the core summarises them', () => {
  it('every row: class, output shape of each call, parameters, Connected to; the totals', () => {
    const cases = blockGraphs();
    // Sequential where the outer model is a chain (core outerApiPlan); the generator refuses it otherwise, saying why.
    const forms = ['functional', 'subclassing', 'sequential'] as const;
    const formsOf = (g: Graph) => forms.filter((f) => f !== 'sequential' || summarize(g, analyze(g)).sequential);
    const programs = cases.flatMap(([id, g]) =>
      formsOf(g).map((form) => {
        const c = generatePython(g, DEFAULT_TRAINING, form);
        if (!c.ok) throw new Error(`${id} ${form}: ${c.reason}`);
        // The model-building part and its summary (the runner captures the printed total).
        return { id: `${id} ${form}`, kind: 'python' as const, text: c.code.slice(0, c.code.indexOf('model.compile(')) };
      }),
    );
    const results = runKeras(programs);
    const problems: string[] = [];
    // Two of the graphs are outer chains: the block called once, and the block with its copy.
    expect(cases.filter(([, g]) => formsOf(g).includes('sequential')).map(([id]) => id)).toEqual([
      'a block called once',
      'a block and a copy (weights of its own)',
    ]);
    for (const [id, g] of cases)
      for (const form of formsOf(g)) {
        const r = results.get(`${id} ${form}`)!;
        if (!r.ok) problems.push(`${id} ${form}: Keras failed: ${r.error}`);
        else {
          // The subclassing form is a subclass holding each nested model as a Functional attribute (not flattened).
          if (form === 'subclassing' && !r.model.subclassed) problems.push(`${id} ${form}: Keras built no subclass`);
          if (form === 'sequential' && r.model.class !== 'Sequential') problems.push(`${id} ${form}: Keras built a ${r.model.class}`);
          for (const d of differences(g, r.model)) problems.push(`${id} ${form}: ${d}`);
        }
      }
    expect(problems).toEqual([]);
    // The block rows are there (not a flattened model).
    for (const [id, g] of cases)
      expect(
        summarize(g, analyze(g)).rows.some((r) => r.className === 'Functional'),
        id,
      ).toBe(true);
  });

  it('the comparison sees a wrong count', () => {
    const [[, g]] = blockGraphs();
    const c = generatePython(g, DEFAULT_TRAINING, 'functional');
    if (!c.ok) throw new Error(c.reason);
    const wrong = c.code.slice(0, c.code.indexOf('model.compile(')).replace('layers.Dense(32,', 'layers.Dense(33,');
    const r = runKeras([{ id: 'wrong', kind: 'python', text: wrong }]).get('wrong')!;
    expect(r.ok && differences(g, r.model)).toContain('res_block: 1105 params, core 1072');
  });
});

describe.skipIf(!available)('the Keras 3 JSON export of graphs with blocks loads in Keras 3 as the core summarises it', () => {
  it('every row (a nested Functional entry per block), connection and total', () => {
    const cases = blockGraphs().map(([id, g]) => {
      const r = exportKeras3Json(g);
      if (!r.ok) throw new Error(`${id}: ${r.reason}`);
      return { id, g, text: r.json };
    });
    const results = runKeras(cases.map((c) => ({ id: c.id, kind: 'json', text: c.text })));
    const problems: string[] = [];
    for (const c of cases) {
      const r = results.get(c.id)!;
      if (!r.ok) problems.push(`${c.id}: Keras failed: ${r.error}`);
      else {
        for (const d of differences(c.g, r.model).filter((x) => !x.startsWith('printed total'))) problems.push(`${c.id}: ${d}`);
        // An outer chain holding nested models (the core summarises it as a Sequential) is exported as Keras writes
        // keras.Sequential([keras.Input(...), block, ...]).to_json(): Keras loads a Sequential from it.
        const sequential = summarize(c.g, analyze(c.g)).sequential;
        if (sequential !== (r.model.class === 'Sequential'))
          problems.push(`${c.id}: Keras loaded a ${r.model.class}, the core summarises a ${sequential ? 'Sequential' : 'Functional'}`);
      }
    }
    expect(problems).toEqual([]);
    // The cases hold outer chains (a block called once, a block and its copy) and models that are not (calls, two inputs, a branch).
    expect(cases.filter((c) => summarize(c.g, analyze(c.g)).sequential).map((c) => c.id)).toEqual([
      'a block called once',
      'a block and a copy (weights of its own)',
    ]);
  });
});

describe.skipIf(!available)('the Keras 2 / tfjs JSON export of graphs with blocks in Keras 3', () => {
  it('is refused, naming the call of the nested model it cannot resolve (known: tfjs and tf.keras 2 count a nested model’s calls from node 1), or as a legacy Sequential holding a nested Functional model; one holding a nested Sequential loads', () => {
    // The Keras 2 form names a nested model's call k as node k + 1, as tfjs and tf.keras 2 write it (node 0 is the one
    // a model makes when it is built; tests/contract/keras2-blocks.contract.test.ts checks tfjs). Keras 3.15 reads
    // legacy inbound nodes with the index as is (functional.py deserialize_node) and its rebuilt nested models have no
    // such node (its own to_json names a nested Functional model's first call node 0), so every reference to a nested
    // model fails to resolve. An outer chain is a legacy Sequential (no inbound nodes outside): Keras 3.15 loads one
    // holding a nested Sequential (the rows are compared) and refuses one holding a nested Functional model. The
    // Keras 3 export is the form for Keras 3. Should more start loading, the rows are compared (and the test is to be
    // updated).
    const seqFile = readFileSync(path.join(__dirname, '../fixtures/keras', 'keras3_nested_seq.json'), 'utf8');
    const seq = importKerasJson(seqFile);
    if (!seq.ok) throw new Error(seq.reason);
    const cases = [...blockGraphs(), ['a nested Sequential', seq.graph] as [string, Graph]].map(([id, g]) => {
      const r = exportKerasJson(g);
      if (!r.ok) throw new Error(`${id}: ${r.reason}`);
      return { id, g, text: r.json };
    });
    const results = runKeras(cases.map((c) => ({ id: c.id, kind: 'json', text: c.text })));
    const problems: string[] = [];
    const refused: string[] = [];
    const loaded: string[] = [];
    for (const c of cases) {
      const r = results.get(c.id)!;
      if (!r.ok) {
        if (/failed to be resolved: .*\['\w+', [1-9]\d*, \d+, \{\}\]/.test(r.error)) refused.push(c.id);
        // An outer chain is a legacy Sequential holding the nested model's entry, as tf.keras 2 writes it (tfjs reads
        // it: keras2-blocks.contract); Keras 3.15 builds the nested Functional model of such a file on a (shape, rank)
        // pair and refuses it.
        else if (/Cannot convert '\(\(.*\), \d+\)' to a shape/.test(r.error) && summarize(c.g, analyze(c.g)).sequential) refused.push(c.id);
        else problems.push(`${c.id}: Keras failed: ${r.error}`);
      } else {
        loaded.push(c.id);
        for (const d of differences(c.g, r.model).filter((x) => !x.startsWith('printed total'))) problems.push(`${c.id}: ${d}`);
      }
    }
    expect(problems).toEqual([]);
    // A legacy Sequential holding a nested Sequential loads, with every row equal.
    expect(loaded).toEqual(['a nested Sequential']);
    expect(refused).toEqual(cases.map((c) => c.id).filter((id) => !loaded.includes(id)));
  });
});

/** Files Keras 3.15 wrote with nested models (tests/fixtures/keras: gen_keras3.py, gen_keras3_multi.py). */
const NESTED_FILES = ['keras3_nested_seq.json', 'keras3_nested_calls.json', 'keras3_nested_states.json'];

describe.skipIf(!available)('nested models imported as blocks are summarised as Keras 3 prints them', () => {
  it('each file: Layerlab keeps its nested models as blocks, and every row and total equals the model Keras loads from it', () => {
    const cases = NESTED_FILES.map((file) => {
      const text = readFileSync(path.join(__dirname, '../fixtures/keras', file), 'utf8');
      const r = importKerasJson(text);
      if (!r.ok) throw new Error(`${file}: ${r.reason}`);
      return { file, text, graph: r.graph };
    });
    for (const c of cases) expect(c.graph.blocks?.length, c.file).toBeGreaterThan(0);
    const results = runKeras(cases.map((c) => ({ id: c.file, kind: 'json', text: c.text })));
    const problems: string[] = [];
    for (const c of cases) {
      const r = results.get(c.file)!;
      if (!r.ok) problems.push(`${c.file}: Keras failed: ${r.error}`);
      // model_from_json prints no summary: the printed total is not compared.
      else for (const d of differences(c.graph, r.model).filter((x) => !x.startsWith('printed total'))) problems.push(`${c.file}: ${d}`);
    }
    // An outer Sequential holding a nested model is summarised as Keras's Sequential: no InputLayer row.
    expect(problems).toEqual([]);
    const seq = cases.find((c) => c.file === 'keras3_nested_seq.json')!;
    expect(summarize(seq.graph, analyze(seq.graph)).sequential).toBe(true);
  });

  it('each file: the Python Layerlab writes of it, in every form it writes, builds in Keras 3 with the same rows and totals', () => {
    // A nested Sequential is written as keras.Sequential (at the top level, or as a subclass attribute), the outer
    // chain of keras3_nested_seq.json also as keras.Sequential([keras.Input(...), base, cls]).
    const programs: { id: string; kind: 'python'; text: string; graph: Graph }[] = [];
    for (const file of NESTED_FILES) {
      const r = importKerasJson(readFileSync(path.join(__dirname, '../fixtures/keras', file), 'utf8'));
      if (!r.ok) throw new Error(`${file}: ${r.reason}`);
      for (const form of ['sequential', 'functional', 'subclassing'] as const) {
        const c = generatePython(r.graph, DEFAULT_TRAINING, form);
        if (c.ok) programs.push({ id: `${file} ${form}`, kind: 'python', text: c.code.slice(0, c.code.indexOf('model.compile(')), graph: r.graph });
      }
    }
    expect(programs.map((p) => p.id)).toContain('keras3_nested_seq.json sequential');
    expect(programs).toHaveLength(7);
    const results = runKeras(programs.map(({ id, kind, text }) => ({ id, kind, text })));
    const problems: string[] = [];
    for (const p of programs) {
      const r = results.get(p.id)!;
      if (!r.ok) problems.push(`${p.id}: Keras failed: ${r.error}`);
      else for (const d of differences(p.graph, r.model)) problems.push(`${p.id}: ${d}`);
    }
    expect(problems).toEqual([]);
  });
});

describe.skipIf(available)('Keras 3 oracle for blocks', () => {
  it.skip(`needs the Keras environment: run scripts/keras-env.sh (looked for ${PYTHON})`, () => {});
});
