/**
 * Applying imported code keeps the canvas: layers whose names survive keep their node ids and positions (shared
 * calls matched call by call), new layers are placed beside them, and ids never collide.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, moveNodes, type Graph } from '../../src/core';
import { generateTypeScript } from '../../src/codegen/typescript';
import { keepLayout } from '../../src/codeimport/keepLayout';
import { runTypeScriptImport } from '../../src/codeimport/typescript/run';
import { tpl } from '../helpers/templates';

async function reimport(code: string): Promise<Graph> {
  const r = await runTypeScriptImport(code);
  if (!r.ok) throw new Error(r.reason);
  return r.graph;
}

describe('keepLayout', () => {
  it('keeps ids and positions of surviving layers, shared calls included, and every edge valid', async () => {
    const before = tpl('siamese');
    // The user moved a node: its place must survive the import.
    const moved = moveNodes(before, new Map([[before.nodes[1].id, { x: 999, y: 333 }]]));
    const gen = generateTypeScript(moved, DEFAULT_TRAINING, 'functional');
    if (!gen.ok) throw new Error(gen.reason);
    const next = await reimport(gen.code);
    const { graph, kept } = keepLayout(moved, next);
    expect(kept).toBe(moved.nodes.length);
    const rows = (g: Graph) => g.nodes.map((n) => JSON.stringify([n.id, n.name, n.position, n.layerOf ?? null])).sort();
    expect(rows(graph)).toEqual(rows(moved));
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const e of graph.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
    for (const n of graph.nodes) if (n.layerOf) expect(ids.has(n.layerOf)).toBe(true);
  });

  it('places a new layer beside its neighbours and gives it an id no other node has', async () => {
    const before = tpl('mnist-mlp');
    const gen = generateTypeScript(before, DEFAULT_TRAINING, 'sequential');
    if (!gen.ok) throw new Error(gen.reason);
    // A layer added at the end of the list, in the code.
    const code = gen.code.replace(/(\n {2}\],\n\}\);)/, "\n    tf.layers.dense({ units: 3, name: 'extra' }),$1");
    expect(code).toContain("name: 'extra'");
    const next = await reimport(code);
    const { graph, kept } = keepLayout(before, next);
    expect(kept).toBe(before.nodes.length - 1); // all but the Input, which tf.sequential renames
    expect(new Set(graph.nodes.map((n) => n.id)).size).toBe(graph.nodes.length);
    const extra = graph.nodes.find((n) => n.name === 'extra')!;
    const last = graph.nodes.find((n) => n.name === before.nodes[before.nodes.length - 1].name)!;
    // Below the layer it follows, within a layout step of it.
    expect(extra.position.y).toBeGreaterThan(last.position.y);
    expect(Math.abs(extra.position.x - last.position.x)).toBeLessThan(300);
  });

  it('returns the import as it is when no name survives', async () => {
    const next = await reimport(
      "const tf = require('@tensorflow/tfjs');\nconst model = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [3], name: 'other'})]});",
    );
    expect(keepLayout(tpl('mnist-mlp'), next)).toEqual({ graph: next, kept: 0 });
  });
});
