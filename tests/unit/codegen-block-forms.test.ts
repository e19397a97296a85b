/**
 * The Python forms of a model with blocks beyond the Functional one (codegen/python.ts): Model subclassing builds
 * each nested model functionally in `__init__` (an attribute holding `keras.Model(...)`, from `keras.Input`s of its
 * input shapes) and calls it in `call()`. Keras 3 checks the programs (tests/keras/blocks.oracle.test.ts); the code
 * import reads them back with their blocks (tests/contract/codeimport-python.contract.test.ts). Here: the structure
 * of the code and its line ↔ node map.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, type Graph } from '../../src/core';
import { generatePython } from '../../src/codegen';
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
