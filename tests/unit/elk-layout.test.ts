import { describe, expect, it } from 'vitest';
import ELK from 'elkjs/lib/elk.bundled.js';
import { fromElk, NODE_SIZE, toElk, type ElkGraph, type Graph } from '../../src/core';
import { bigGraph } from '../fixtures/bigGraph';
import { tpl } from '../helpers/templates';

const elk = new ELK();
const layout = async (g: Graph) => fromElk(g, (await elk.layout(toElk(g) as never)) as unknown as ElkGraph);

describe('ELK layout', () => {
  it('places every layer below the layers it reads, without overlaps, merge inputs in order', async () => {
    for (const g of [tpl('purchase-predictor'), bigGraph()]) {
      const laid = await layout(g);
      const pos = new Map(laid.nodes.map((n) => [n.id, n.position]));
      for (const e of g.edges) expect(pos.get(e.target)!.y).toBeGreaterThan(pos.get(e.source)!.y);
      const sorted = [...laid.nodes].sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
      for (let i = 1; i < sorted.length; i++) {
        const [a, b] = [sorted[i - 1].position, sorted[i].position];
        if (Math.abs(a.y - b.y) < NODE_SIZE.height) expect(Math.abs(a.x - b.x)).toBeGreaterThanOrEqual(NODE_SIZE.width);
      }
    }
    const p = await layout(tpl('purchase-predictor'));
    const at = (name: string) => p.nodes.find((n) => n.name === name)!.position;
    expect(at('dense_image_2').x).toBeLessThan(at('dense_text_2').x);
    expect(at('image_features_input').y).toBe(at('text_features_input').y);
  });
});
