/**
 * A small builder for graphs written in code (templates, tests): layers are added with their
 * Keras names and inputs, then laid out top to bottom (dagre).
 */
import { addCall, addNode, connect } from '../graph/ops';
import { autoLayout } from '../graph/layout';
import { outputRef, type Graph, type OutputEntry, type Params } from '../graph/types';

export interface GraphBuilder {
  /**
   * Adds a layer fed by `inputs` (ids returned by earlier calls, or `{ node, output }` for one output of a layer
   * with several: an LSTM's state_h is `{ node: lstm, output: 1 }`) and returns its id.
   * @throws Error when a connection is refused (a bug in the template).
   */
  add(kind: string, params?: Params, name?: string, inputs?: readonly OutputEntry[]): string;
  /** Calls the layer `layer` (an id returned by `add`) again on `inputs`: a shared layer. Returns the call's id. */
  call(layer: string, inputs: readonly OutputEntry[]): string;
}

/** Builds a graph with `fn` and lays it out top to bottom (`layout: false`: every node left at 0, 0). */
export function buildGraph(name: string, fn: (b: GraphBuilder) => void, opts: { layout?: boolean } = {}): Graph {
  let g: Graph = { name, nodes: [], edges: [] };
  let k = 0;
  fn({
    add(kind, params = {}, layerName, inputs = []) {
      const r = addNode(g, kind, { x: 0, y: 0 }, { id: `${name}_${k++}`, params, ...(layerName ? { name: layerName } : {}) });
      g = r.graph;
      for (const src of inputs) {
        const c = connect(g, outputRef(src).node, r.node.id, `${name}_e${k++}`, outputRef(src).output);
        if (!c.ok) throw new Error(c.reason);
        g = c.graph;
      }
      return r.node.id;
    },
    call(layer, inputs) {
      const r = addCall(g, layer, { x: 0, y: 0 }, `${name}_${k++}`);
      if (!r.ok) throw new Error(r.reason);
      g = r.graph;
      for (const src of inputs) {
        const c = connect(g, outputRef(src).node, r.id!, `${name}_e${k++}`, outputRef(src).output);
        if (!c.ok) throw new Error(c.reason);
        g = c.graph;
      }
      return r.id!;
    },
  });
  return opts.layout === false ? g : autoLayout(g);
}
