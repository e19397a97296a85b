import { describe, expect, it } from 'vitest';
import { autoLayout, NODE_SIZE, nodeSize, TEMPLATES } from '../../src/core';
import { tpl } from '../helpers/templates';

describe('autoLayout', () => {
  it('puts every Input on the top row and merge inputs left to right in input order', () => {
    const g = autoLayout(tpl('purchase-predictor'));
    const at = (name: string) => g.nodes.find((n) => n.name === name)!.position;
    expect(at('image_features_input').y).toBe(at('text_features_input').y);
    expect(Math.min(...g.nodes.map((n) => n.position.y))).toBe(at('image_features_input').y);
    expect(at('dense_image_2').x).toBeLessThan(at('dense_text_2').x);
    expect(at('image_features_input').x).toBeLessThan(at('text_features_input').x);
  });

  it('leaves room below a layer with several outputs (its node is taller: a column per output) for edge labels', () => {
    const g = tpl('encoder-decoder');
    const at = (name: string) => g.nodes.find((n) => n.name === name)!;
    const encoder = at('encoder');
    expect(nodeSize(encoder).height).toBeGreaterThan(NODE_SIZE.height);
    expect(at('decoder').position.y - (encoder.position.y + nodeSize(encoder).height)).toBeGreaterThanOrEqual(50);
    expect(nodeSize(at('decoder'))).toEqual(NODE_SIZE);
  });

  it('places every layer below the layers it reads, without overlaps', () => {
    for (const t of TEMPLATES) {
      const g = t.build();
      const pos = new Map(g.nodes.map((n) => [n.id, n.position]));
      for (const e of g.edges) expect(pos.get(e.target)!.y).toBeGreaterThan(pos.get(e.source)!.y);
      for (const a of g.nodes)
        for (const b of g.nodes) {
          if (a.id >= b.id) continue;
          const apart = Math.abs(a.position.x - b.position.x) >= NODE_SIZE.width || Math.abs(a.position.y - b.position.y) >= NODE_SIZE.height;
          expect(apart, `${a.name} overlaps ${b.name}`).toBe(true);
        }
    }
  });
});
