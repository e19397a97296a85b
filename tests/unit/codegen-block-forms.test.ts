/**
 * The forms of a model with blocks beyond the Functional one (codegen/python.ts, typescript.ts): Model subclassing
 * builds each nested model functionally in `__init__` (an attribute holding `keras.Model(...)`, from `keras.Input`s of
 * its input shapes) and calls it in `call()`; an outer chain holding nested models of one input and one output is a
 * Sequential model (core `outerApiPlan`) holding each as one item, in Python and TypeScript. Keras 3 checks the programs (tests/keras/blocks.oracle.test.ts); the code
 * import reads them back with their blocks (tests/contract/codeimport-python.contract.test.ts); tfjs runs the
 * TypeScript (tests/contract/codegen-blocks.contract.test.ts). Here: the plan, its reasons, the structure of the code
 * and its line ↔ node map.
 */
import { describe, expect, it } from 'vitest';
import { analyze, apiPlan, DEFAULT_TRAINING, outerApiPlan, outerApiReasons, summarize, type Graph } from '../../src/core';
import { generatePython, generateTypeScript } from '../../src/codegen';
import { blockGraphs } from '../helpers/blockGraphs';

const graphOf = (what: string): Graph => blockGraphs().find(([w]) => w === what)![1];
const code = (g: Graph, form: 'subclassing' | 'sequential' | 'functional') => {
  const c = generatePython(g, DEFAULT_TRAINING, form);
  if (!c.ok) throw new Error(c.reason);
  return c;
};

describe('Python Model subclassing with blocks', () => {
  it('a nested model called three times: built once in __init__ as self.res_block, called three times in call()', () => {
    const g = graphOf('a block called three times (shared weights)');
    const c = code(g, 'subclassing');
    const lines = c.code.split('\n');
    const init = lines.indexOf('    def __init__(self, **kwargs):');
    const callAt = lines.indexOf('    def call(self, inputs):');
    const model = lines.indexOf('        self.res_block = keras.Model(');
    expect(init).toBeGreaterThan(0);
    expect(model).toBeGreaterThan(init);
    expect(model).toBeLessThan(callAt);
    expect(lines).toContain('        res_block_input = keras.Input(shape=(16,), name="res_block_input")');
    const calls = lines.map((l, i) => [l, i] as const).filter(([l]) => /= self\.res_block\(/.test(l));
    expect(calls.map(([l]) => l.trim())).toEqual([
      'residual = self.res_block(features)',
      'residual_2 = self.res_block(residual)',
      'residual_3 = self.res_block(residual_2)',
    ]);
    // Each call line maps to that call's members; the nested model's statement to the members of every call.
    const blocks = g.blocks!;
    calls.forEach(([, i], k) =>
      expect([...c.lineNodes[i]].sort()).toEqual(
        g.nodes
          .filter((n) => n.block === blocks[k].id)
          .map((n) => n.id)
          .sort(),
      ),
    );
    expect(c.lineNodes[model]).toHaveLength(9);
    expect(c.lineKinds[model]).toBe('model');
    // The layers of the nested model are locals of __init__, not attributes: Keras tracks them through the nested model.
    expect(c.code).not.toMatch(/self\.(expand|project) =/);
  });

  it('a nested model with two inputs and two outputs: called on the list, its outputs unpacked', () => {
    const c = code(graphOf('a block with two inputs and two outputs'), 'subclassing');
    expect(c.code).toContain('            inputs=[pair_block_input_1, pair_block_input_2],\n');
    expect(c.code).toContain('        d, e = self.pair_block([p, q])\n');
  });
});

describe('an outer Sequential holding a nested model (core outerApiPlan)', () => {
  it('an outer chain with a nested model of one input and one output is Sequential; its chain names the block', () => {
    const g = graphOf('a block called once');
    const block = g.blocks![0].id;
    const plan = outerApiPlan(g);
    expect(plan.kind).toBe('sequential');
    expect(plan.kind === 'sequential' && plan.chain.map((id) => g.nodes.find((n) => n.id === id)?.name ?? g.blocks!.find((b) => b.id === id)?.name)).toEqual([
      'res_block',
      'classes',
    ]);
    expect(plan.kind === 'sequential' && plan.chain[0]).toBe(block);
    // The flat graph stays Functional for the runtime and the JSON writers.
    expect(apiPlan(g).kind).toBe('functional');
    const s = summarize(g, analyze(g));
    expect(s.sequential).toBe(true);
    expect(s.rows.map((r) => `${r.name} (${r.className})`)).toEqual(['res_block (Functional)', 'classes (Dense)']);
  });

  it('a nested model called three times, or with two inputs and two outputs, rules it out, naming it and a member', () => {
    const three = graphOf('a block called three times (shared weights)');
    const p3 = outerApiPlan(three);
    expect(p3).toEqual({
      kind: 'functional',
      reason: "'res_block' is a nested model called 3 times (shared weights): a Sequential model calls each layer once, on the output of the one before.",
      nodeId: three.nodes.find((n) => n.block === three.blocks![0].id && n.name === 'expand')!.id,
    });
    // Every reason: the nested model's calls once (not again as a shared layer), each reason naming a node of the graph.
    const reasons = outerApiReasons(three);
    expect(reasons.map((r) => r.text)).toEqual([p3.kind === 'functional' ? p3.reason : '']);
    const two = graphOf('a block with two inputs and two outputs');
    // The nested model's reasons first (outerApiPlan's), then the outer model's, its node the block's first member.
    expect(outerApiReasons(two).map((r) => r.text)).toEqual([
      "'pair_block' is a nested model (a block) with 2 inputs and 2 outputs: a Sequential model calls each layer on one tensor and takes one back.",
      "The model has 2 inputs ('p', 'q'): a Sequential model has exactly one input.",
      "'pair_block' has 2 inputs: a Sequential model is one chain, each layer fed by the one before it.",
      "'t' has 2 inputs: a Sequential model is one chain, each layer fed by the one before it.",
      "'pair_block' feeds 2 layers ('t', 't'): a Sequential model is one chain without branches.",
    ]);
    const first = outerApiPlan(two);
    expect(first.kind === 'functional' && first.reason).toBe(outerApiReasons(two)[0].text);
    for (const r of outerApiReasons(two)) expect(two.nodes.some((n) => n.id === r.nodeId)).toBe(true);
    expect(generatePython(two, DEFAULT_TRAINING, 'sequential').ok).toBe(false);
  });

  it('Python: the nested model first, then keras.Sequential([keras.Input(...), res_block, layers.Dense(...)]); the item maps to its members', () => {
    const g = graphOf('a block called once');
    const c = code(g, 'sequential');
    const lines = c.code.split('\n');
    const def = lines.indexOf('res_block = keras.Model(');
    const seq = lines.indexOf('model = keras.Sequential(');
    expect(def).toBeGreaterThan(0);
    expect(seq).toBeGreaterThan(def);
    expect(lines.slice(seq, seq + 8)).toEqual([
      'model = keras.Sequential(',
      '    [',
      '        keras.Input(shape=(16,), name="features"),',
      '        res_block,',
      '        layers.Dense(4, activation="softmax", name="classes"),',
      '    ],',
      '    name="residual_once",',
      ')',
    ]);
    expect([...c.lineNodes[seq + 3]].sort()).toEqual(
      g.nodes
        .filter((n) => n.block === g.blocks![0].id)
        .map((n) => n.id)
        .sort(),
    );
  });

  it('TypeScript: a chain starting with a nested model gets a tf.layers.inputLayer of the Input first', () => {
    const g = graphOf('a block called once');
    const c = generateTypeScript(g, DEFAULT_TRAINING, 'sequential');
    if (!c.ok) throw new Error(c.reason);
    expect(c.code).toContain("  layers: [\n    tf.layers.inputLayer({ inputShape: [16], name: 'features' }),\n    resBlock,\n    tf.layers.dense(");
    const at = c.code.split('\n').findIndex((l) => l.includes('tf.layers.inputLayer('));
    expect(c.lineNodes[at]).toEqual([g.nodes.find((n) => n.name === 'features')!.id]);
  });
});
