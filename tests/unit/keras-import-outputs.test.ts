/**
 * Explicit model outputs (`Graph.outputs`, issue 8): what Keras files list in `output_layers` is what the
 * validator, the API choice, the edit operations, the export and both code generators use.
 */
import { describe, expect, it } from 'vitest';
import { addNode, analyze, apiPlan, connect, DEFAULT_TRAINING, exportKerasJson, importKerasJson, removeNodes, type Graph } from '../../src/core';
import { generatePython } from '../../src/codegen/python';
import { generateTypeScript } from '../../src/codegen/typescript';
import { written } from '../helpers/codegen';

/** Input(4) → mid Dense(3) → top Dense(2), with `outputs` as given. */
function chain(outputs?: string[]): Graph {
  let g: Graph = { name: 'm', nodes: [], edges: [] };
  g = addNode(g, 'Input', { x: 0, y: 0 }, { id: 'x', name: 'x', params: { shape: [4] } }).graph;
  g = addNode(g, 'Dense', { x: 0, y: 0 }, { id: 'mid', name: 'mid', params: { units: 3 } }).graph;
  g = addNode(g, 'Dense', { x: 0, y: 0 }, { id: 'top', name: 'top', params: { units: 2 } }).graph;
  for (const [s, t] of [
    ['x', 'mid'],
    ['mid', 'top'],
  ]) {
    const r = connect(g, s, t);
    if (!r.ok) throw new Error(r.reason);
    g = r.graph;
  }
  return outputs ? { ...g, outputs } : g;
}

describe('Graph.outputs', () => {
  it('analyze lists the explicit outputs first, in their order, then the other layers nothing reads', () => {
    expect(analyze(chain()).outputs).toEqual(['top']);
    expect(analyze(chain(['mid', 'top'])).outputs).toEqual(['mid', 'top']);
    expect(analyze(chain(['top', 'mid'])).outputs).toEqual(['top', 'mid']);
    // A listed layer that is read stays an output; unlisted sinks follow; unknown ids, Inputs and repeats are ignored.
    expect(analyze(chain(['mid', 'gone', 'x', 'mid'])).outputs).toEqual(['mid', 'top']);
  });

  it('removing a node drops it from the list; the key goes when the list empties', () => {
    const g = removeNodes(chain(['mid', 'top']), ['top']);
    expect(g.outputs).toEqual(['mid']);
    expect('outputs' in removeNodes(g, ['mid'])).toBe(false);
  });

  it('a chain with an output another layer reads is not Sequential', () => {
    expect(apiPlan(chain(['top'])).kind).toBe('sequential');
    const p = apiPlan(chain(['mid', 'top']));
    expect(p.kind === 'functional' && p.reason).toMatch(/'mid' is an output although 'top' reads it/);
  });

  it('export writes output_layers in order, import reads them back, and both code generators use them', () => {
    const g = chain(['top', 'mid']);
    const ex = exportKerasJson(g);
    if (!ex.ok) throw new Error(ex.reason);
    expect(JSON.parse(ex.json).config.output_layers.map((r: unknown[]) => r[0])).toEqual(['top', 'mid']);
    const back = importKerasJson(ex.json);
    if (!back.ok) throw new Error(back.reason);
    const a = analyze(back.graph);
    expect(a.outputs.map((id) => back.graph.nodes.find((n) => n.id === id)!.name)).toEqual(['top', 'mid']);
    expect(written(generatePython(g, DEFAULT_TRAINING, 'functional'))).toMatch(/outputs=\[top, mid\]/);
    expect(written(generateTypeScript(g, DEFAULT_TRAINING, 'functional'))).toMatch(/outputs: \[top, mid\]/);
  });
});
