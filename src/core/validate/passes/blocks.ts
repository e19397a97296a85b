import { blockById, blockInterface, membersProblem, type MembersIndex } from '../../graph/blocks';
import { checkName } from '../../graph/naming';
import { layerIdOf } from '../../graph/shared';
import type { Block, LayerNode } from '../../graph/types';
import { quoteName } from '../describe';
import { err, report, type Context, type Pass } from '../context';

/**
 * Blocks (Keras nested models, core/graph/blocks.ts). Each rule names the block and a node:
 * - `block/unknown`: a node names a block the graph does not list;
 * - `block/name`: a block's name is not a valid Keras name, or is taken by a layer or another nested model;
 * - `block/input`: an Input inside a block (a nested model receives outer tensors as its inputs);
 * - `block/structure`: members not connected among themselves, a path that leaves the block and comes back into it
 *   (not convex), or a member sharing its layer with a node outside the block (`membersProblem`);
 * - `block/call`: a further call (`Block.callOf`) that is not a copy of its first call: every member must be a
 *   further call of a distinct member of the first call, with the same connections among them; a nested model
 *   called more than once must not call one of its own layers twice; what reads a call from outside must read
 *   one of the nested model's outputs; a call must be fed one tensor per nested-model input.
 * Skipped (one loop over the nodes) when the graph has no blocks.
 */
function blocks(ctx: Context): void {
  const { graph, nodes } = ctx;
  const { indexOf } = ctx.x;
  const list = graph.blocks ?? [];
  let any = list.length > 0;
  for (let i = 0; i < nodes.length && !any; i++) any = nodes[i].block !== undefined;
  if (!any) return;
  const members = new Map<string, LayerNode[]>(list.map((b) => [b.id, []]));
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.block === undefined) continue;
    const m = members.get(n.block);
    if (m) m.push(n);
    else
      report(
        ctx,
        err('block/unknown', `${quoteName(n.name)} belongs to a block ${quoteName(n.block)} the model does not have; ungroup it or group it again.`, n.id),
        i,
      );
  }
  const at = (n: LayerNode) => indexOf.get(n.id);
  const layerNames = new Set(nodes.map((n) => n.name));
  const firstNames = new Map<string, Block>();
  const firstInner = new Map<string, string[]>();
  // Each nested model's calls (by first call id), the members of all its calls, and the index membersProblem reads.
  const callsOf = new Map<string, Block[]>();
  for (const b of list) {
    const root = b.callOf ?? b.id;
    (callsOf.get(root) ?? callsOf.set(root, []).get(root)!).push(b);
  }
  const sharingOf = new Map<string, Set<string>>();
  let indexed: MembersIndex | undefined;
  for (const b of list) {
    const ms = members.get(b.id)!;
    if (!ms.length) continue;
    const who = ms[0];
    const label = `Block ${quoteName(b.name)}`;
    const bad = checkName(b.name);
    const first = b.callOf ? blockById(graph, b.callOf) : undefined;
    if (bad) report(ctx, err('block/name', `${label}: ${bad}`, who.id), at(who));
    else if (layerNames.has(b.name))
      report(ctx, err('block/name', `${label} has the name of a layer; a nested model needs a name no layer of the model has.`, who.id), at(who));
    else if (!first) {
      const other = firstNames.get(b.name);
      if (other) report(ctx, err('block/name', `${label}: another nested model is already named ${quoteName(b.name)}; rename one of them.`, who.id), at(who));
      else firstNames.set(b.name, b);
    }
    const input = ms.find((n) => n.kind === 'Input');
    if (input) {
      report(
        ctx,
        err(
          'block/input',
          `${label} holds the Input ${quoteName(input.name)}: a nested model receives the tensors that feed it from outside as its inputs; take the Input out of the block.`,
          input.id,
        ),
        at(input),
      );
      continue;
    }
    // The other calls of the same nested model may call the members' layers (shared weights): every call's members,
    // gathered once per nested model (the block's own members are in the set, which the check skips first).
    const root = first ?? b;
    let sharing = sharingOf.get(root.id);
    if (!sharing) {
      sharing = new Set<string>();
      for (const c of [root, ...(callsOf.get(root.id) ?? [])]) for (const n of members.get(c.id) ?? []) sharing.add(n.id);
      sharingOf.set(root.id, sharing);
    }
    const problem = membersProblem(
      graph,
      ms.map((n) => n.id),
      b.name,
      sharing,
      (indexed ??= membersIndex(ctx)),
    );
    if (problem) report(ctx, err('block/structure', `${label}: ${problem}`, who.id), at(who));
    else if (b.callOf) checkCall(ctx, b, first, ms, members, firstInner);
  }
}

/** The context's index, topological ranks and calls of every layer, for `membersProblem` (built once per run). */
function membersIndex(ctx: Context): MembersIndex {
  const rank = new Float64Array(ctx.nodes.length).fill(Infinity);
  for (let j = 0; j < ctx.order.length; j++) rank[ctx.order[j]] = j;
  const calls = new Map<string, string[]>();
  for (const n of ctx.nodes) {
    const l = layerIdOf(n);
    (calls.get(l) ?? calls.set(l, []).get(l)!).push(n.id);
  }
  return { index: ctx.x, rank, calls };
}

/**
 * The edges among `ids` (both ends in the set) as `source>target:output` keys, `rename` applied to both ends, sorted.
 * Reads only the members' outgoing edges through the context's index (`ctx.x`): linear in the members' edges.
 */
function innerEdges(ctx: Context, ids: ReadonlySet<string>, rename: (id: string) => string | undefined = (id) => id): string[] {
  const { x, nodes } = ctx;
  const keys: string[] = [];
  for (const id of ids) {
    const i = x.indexOf.get(id);
    if (i === undefined) continue;
    for (let j = x.outStart[i]; j < x.outStart[i + 1]; j++) {
      const e = x.edges[x.outEdge[j]];
      const t = nodes[x.target[x.outEdge[j]]].id;
      if (ids.has(t)) keys.push(`${rename(id)}>${rename(t)}:${e.output ?? 0}`);
    }
  }
  return keys.sort();
}

/**
 * The `block/call` rules for a further call `b` of the nested model first called as `first` (see `blocks`). Reads
 * the edges through the context's index (the members' own incoming and outgoing edges), and the first call's inner
 * connections once per nested model (`firstInner`), so checking every call of a nested model is linear in its members'
 * edges rather than a scan of every edge per call.
 */
function checkCall(
  ctx: Context,
  b: Block,
  first: Block | undefined,
  ms: readonly LayerNode[],
  members: ReadonlyMap<string, LayerNode[]>,
  firstInner: Map<string, string[]>,
): void {
  const { graph, nodes, x } = ctx;
  const { indexOf } = x;
  const label = `Block ${quoteName(b.name)}`;
  const fail = (n: LayerNode, why: string) => report(ctx, err('block/call', `${label} is a further call of a nested model: ${why}`, n.id), indexOf.get(n.id));
  if (!first || first.callOf) return fail(ms[0], `the block it calls again is missing; ungroup it or group it again.`);
  const fm = members.get(first.id) ?? [];
  const firstIds = new Set(fm.map((n) => n.id));
  const layers = new Map<string, LayerNode>();
  for (const n of fm) {
    const other = layers.get(layerIdOf(n));
    if (other)
      return fail(
        n,
        `its first call calls the shared layer ${quoteName(n.name)} twice, which a nested model called more than once cannot do in Layerlab yet; ungroup one of them.`,
      );
    layers.set(layerIdOf(n), n);
  }
  const mirror = new Map<string, string>();
  for (const n of ms) {
    if (!n.layerOf || !firstIds.has(n.layerOf))
      return fail(n, `${quoteName(n.name)} is not a further call of a layer of the first call '${first.name}'; every layer of a call must be one.`);
    if (mirror.has(n.layerOf)) return fail(n, `${quoteName(n.name)} is called twice in this call; each layer of the nested model once.`);
    mirror.set(n.layerOf, n.id);
  }
  const missing = fm.find((n) => !mirror.has(n.id));
  if (missing) return fail(ms[0], `it lacks a call of ${quoteName(missing.name)}, which the first call '${first.name}' has.`);
  const callIds = new Set(ms.map((n) => n.id));
  // The first call's connections in terms of the first call's members (once per nested model), then mapped onto this call.
  let firstKeys = firstInner.get(first.id);
  if (!firstKeys) firstInner.set(first.id, (firstKeys = innerEdges(ctx, firstIds)));
  const back = new Map([...mirror].map(([f, c]) => [c, f]));
  const have = innerEdges(ctx, callIds, (id) => back.get(id));
  if (JSON.stringify(firstKeys) !== JSON.stringify(have))
    return fail(ms[0], `its layers are not connected as in the first call '${first.name}'; a call of a nested model repeats its connections.`);
  const itf = blockInterface(graph, b.id);
  if (!itf) return;
  const outs = new Set(itf.outputs.map((t) => `${t.node}:${t.output}`));
  for (const n of ms) {
    const i = indexOf.get(n.id)!;
    for (let j = x.outStart[i]; j < x.outStart[i + 1]; j++) {
      const e = x.edges[x.outEdge[j]];
      if (!callIds.has(nodes[x.target[x.outEdge[j]]].id) && !outs.has(`${n.id}:${e.output ?? 0}`))
        return fail(n, `${quoteName(n.name)} is read outside the call but is not an output of the nested model.`);
    }
  }
  const firstItf = blockInterface(graph, first.id);
  for (const [k, inp] of itf.inputs.entries()) {
    const tensors = new Set(
      inp.slots.map((s) => {
        const i = indexOf.get(s.node);
        const at = i === undefined ? -1 : x.inStart[i] + s.input;
        const e = i !== undefined && at < x.inStart[i + 1] ? x.edges[x.inEdge[at]] : undefined;
        return e ? `${e.source}:${e.output ?? 0}` : '';
      }),
    );
    if (inp.slots.length !== firstItf?.inputs[k]?.slots.length || tensors.size !== 1) {
      const n = ms.find((y) => y.id === inp.slots[0]?.node) ?? ms[0];
      return fail(n, `input ${k + 1} of the nested model must be one tensor, fed to the same layers as in the first call '${first.name}'.`);
    }
  }
}

export const blocksPass: Pass = { name: 'blocks', codes: ['block/unknown', 'block/name', 'block/input', 'block/structure', 'block/call'], run: blocks };
