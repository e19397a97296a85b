/**
 * Code with nested models comes in as the canvas will show it (issue 13): its blocks collapsed, the outer model laid
 * out around their nodes (app/files.ts `placeImported`, the layout of an opened file), so no two drawn boxes overlap;
 * an Apply keeps the collapsed or expanded state of the blocks whose names survive (`keepLayout`). The TypeScript
 * stand-in gives a nested model with several outputs one tensor per output when applied (it gave one).
 */
import { describe, expect, it } from 'vitest';
import { analyze, blockNodeSize, callsOfBlock, DEFAULT_TRAINING, emptyGraph, nodeSize, type Graph } from '../../src/core';
import { generateTypeScript } from '../../src/codegen/typescript';
import { runTypeScriptImport } from '../../src/codeimport/typescript/run';
import { keepLayout } from '../../src/codeimport/keepLayout';
import { placeImported } from '../../src/app/files';
import { blockInterface } from '../../src/core/graph/blocks';
import { blockGraphs } from '../helpers/blockGraphs';

async function imported(what: string): Promise<Graph> {
  const g = new Map(blockGraphs()).get(what)!;
  const code = generateTypeScript(g, DEFAULT_TRAINING, 'functional');
  if (!code.ok) throw new Error(code.reason);
  const r = await runTypeScriptImport(code.code);
  if (!r.ok) throw new Error(r.reason);
  expect(r.graph.blocks?.length).toBe(g.blocks!.length);
  // The same model: every count, and each nested model's inputs and outputs (a nested model with two outputs gives two tensors).
  expect(analyze(r.graph).totals).toEqual(analyze(g).totals);
  const ports = (x: Graph) => x.blocks!.map((b) => [blockInterface(x, b.id)!.inputs.length, blockInterface(x, b.id)!.outputs.length]);
  expect(ports(r.graph)).toEqual(ports(g));
  return r.graph;
}

/** What the canvas draws, as boxes: each layer outside a collapsed block, and each collapsed block's node at its layers' top left. */
function drawn(g: Graph): { id: string; x: number; y: number; w: number; h: number }[] {
  const collapsed = new Set((g.blocks ?? []).filter((b) => b.collapsed).map((b) => b.id));
  const out = g.nodes
    .filter((n) => n.block === undefined || !collapsed.has(n.block))
    .map((n) => ({ id: n.name, ...n.position, w: nodeSize(n).width, h: nodeSize(n).height }));
  for (const id of collapsed) {
    const itf = blockInterface(g, id)!;
    const ms = g.nodes.filter((n) => n.block === id);
    const size = blockNodeSize(itf.inputs.length, itf.outputs.length, callsOfBlock(g, itf.first.id).length > 1);
    out.push({ id: `block ${id}`, x: Math.min(...ms.map((n) => n.position.x)), y: Math.min(...ms.map((n) => n.position.y)), w: size.width, h: size.height });
  }
  return out;
}
const overlaps = (g: Graph) => {
  const bs = drawn(g);
  const out: string[] = [];
  for (let i = 0; i < bs.length; i++)
    for (let j = i + 1; j < bs.length; j++) {
      const [a, b] = [bs[i], bs[j]];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) out.push(`${a.id} / ${b.id}`);
    }
  return out;
};

describe('placeImported', () => {
  it.each(['a block called three times (shared weights)', 'a block with two inputs and two outputs', 'a block on one branch, its output read by two layers'])(
    '%s: every block collapsed, nothing drawn on top of anything',
    async (what) => {
      const g = await imported(what);
      const { graph } = await placeImported(emptyGraph(), g, 'TB');
      expect(graph.blocks!.every((b) => b.collapsed)).toBe(true);
      expect(overlaps(graph)).toEqual([]);
      // Left to right too.
      const lr = await placeImported(emptyGraph(), g, 'LR');
      expect(lr.graph.blocks!.every((b) => b.collapsed)).toBe(true);
    },
  );

  it('an Apply keeps the state of the blocks whose names survive: an expanded one stays expanded', async () => {
    const g = await imported('a block called three times (shared weights)');
    const first = (await placeImported(emptyGraph(), g, 'TB')).graph;
    const opened: Graph = { ...first, blocks: first.blocks!.map((b, i) => (i === 1 ? { id: b.id, name: b.name, callOf: b.callOf } : b)) };
    const again = (await placeImported(opened, g, 'TB')).graph;
    expect(again.blocks!.map((b) => !!b.collapsed)).toEqual([true, false, true]);
    // keepLayout alone: without blocks in the new graph nothing is added.
    expect(keepLayout(opened, { name: 'x', nodes: [], edges: [] }).graph.blocks).toBeUndefined();
  });
});
