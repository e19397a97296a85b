/**
 * Test helpers that make graphs by hand and read them back: a node with its kind's defaults, a chain of
 * Dense layers of any length, the structure of a graph without ids and positions, and one line per node
 * for failure messages. They build graphs directly, without the edit operations' checks, so a test can
 * make sizes (10,000 layers) or shapes (cycles, twins) the editor would refuse or take long to make.
 */
import { addCall, chainLayout, connect, defaultParams, layerDef, type Graph, type LayerNode, type ParamSpec, type Params } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';

/**
 * A layer node at the origin: its kind's default parameters overridden by `params`, named `name` (its id
 * by default). An unknown kind gets `params` alone (a test of what the core does with it).
 */
export function node(id: string, kind: string, params: Params = {}, name: string = id): LayerNode {
  const def = layerDef(kind);
  return { id, kind, name, params: { ...(def ? defaultParams(def) : {}), ...params }, position: { x: 0, y: 0 } };
}

/**
 * The schema of parameter `key` of `kind`.
 * @throws Error naming the kind and key when either is unknown.
 */
export function paramSpec(kind: string, key: string): ParamSpec {
  const spec = layerDef(kind)?.params[key];
  if (!spec) throw new Error(`No parameter '${key}' on layer kind '${kind}'.`);
  return spec;
}

/**
 * Input → Dense × (n − 1), every node at the origin: ids `n0` … `n{n−1}`, Keras's names as adding them one
 * by one gives (`input_layer`, `dense`, `dense_1`, …), edges `e1` … (edge `ei` feeds node `ni`), default
 * parameters but Input shape [width] and Dense units `width`: (n − 1)·(width² + width) parameters. Linear in
 * n (no edit operations: their naming is quadratic over 10,000 layers).
 * @throws RangeError when n < 1.
 */
export function denseChain(n: number, name = 'chain', width = 8): Graph {
  if (!(n >= 1)) throw new RangeError(`denseChain needs at least the Input layer (n = ${n}).`);
  const nodes = [node('n0', 'Input', { shape: [width] }, 'input_layer')];
  for (let i = 1; i < n; i++) nodes.push(node(`n${i}`, 'Dense', { units: width }, i === 1 ? 'dense' : `dense_${i - 1}`));
  const edges = nodes.slice(1).map((to, i) => ({ id: `e${i + 1}`, source: nodes[i].id, target: to.id }));
  return { name, nodes, edges };
}

/**
 * The graph without ids and positions, for comparing graphs that went through a file: each layer's kind and
 * parameters by name, and each layer's inputs in order as `target ← source1, source2` (sorted; `source[k]` for output k
 * ≥ 1 of a layer with several, an LSTM's state). `params`
 * maps a node's parameters to what the comparison should see (default: as they are).
 */
export function structure(g: Graph, params: (n: LayerNode) => Params = (n) => n.params) {
  const name = new Map(g.nodes.map((n) => [n.id, n.name]));
  return {
    nodes: Object.fromEntries(g.nodes.map((n) => [n.name, { kind: n.kind, params: params(n) }])),
    inputs: g.nodes
      .map(
        (n) =>
          `${n.name} ← ${g.edges
            .filter((e) => e.target === n.id)
            .map((e) => `${name.get(e.source)}${e.output ? `[${e.output}]` : ''}`)
            .join(', ')}`,
      )
      .sort(),
  };
}

/** One line per node, for a failure message: `name:kind{params}=layerOf<-[source ids]`, nodes separated by two spaces. */
export function describeGraph(g: Graph): string {
  return g.nodes
    .map(
      (n) =>
        `${n.name}:${n.kind}${JSON.stringify(n.params)}${n.layerOf ? `=${n.layerOf}` : ''}<-[${g.edges
          .filter((e) => e.target === n.id)
          .map((e) => e.source)
          .join(',')}]`,
    )
    .join('  ');
}

/**
 * A shared layer whose owner reads the output of its further call: x → shared_dense (the call, `call1`) →
 * shared_dense (the owner) → head. Keras numbers a layer's calls in data-flow order, so here the call is
 * node 0 and the owner node 1. Input (4), Dense(4, relu), Dense(2): 30 parameters.
 * @throws Error when the edit operations refuse a step (a bug in them).
 */
export function callBeforeOwner(): Graph {
  let g = buildGraph('call_before_owner', (b) => {
    b.add('Input', { shape: [4] }, 'x');
    b.add('Dense', { units: 4, activation: 'relu' }, 'shared_dense', []);
    b.add('Dense', { units: 2 }, 'head', []);
  });
  const id = (name: string) => g.nodes.find((n) => n.name === name && !n.layerOf)!.id;
  const c = addCall(g, id('shared_dense'), { x: 0, y: 0 }, 'call1');
  if (!c.ok) throw new Error(c.reason);
  g = c.graph;
  for (const [from, to] of [
    [id('x'), 'call1'],
    ['call1', id('shared_dense')],
    [id('shared_dense'), id('head')],
  ]) {
    const e = connect(g, from, to);
    if (!e.ok) throw new Error(e.reason);
    g = e.graph;
  }
  return g;
}

/**
 * Input 'in' (shape [8]) → Dense(8) 'dense_1' … 'dense_{n−1}', built with the edit operations and laid out as one column
 * (core `chainLayout`), as the editor shows a file of it: for canvas, summary and inspector tests on long chains.
 */
export function columnChain(n: number): Graph {
  return chainLayout(
    buildGraph('chain', (b) => {
      let x = b.add('Input', { shape: [8] }, 'in');
      for (let i = 1; i < n; i++) x = b.add('Dense', { units: 8 }, `dense_${i}`, [x]);
    }),
  );
}
