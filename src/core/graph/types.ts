/**
 * The graph model: plain, serialisable data. Everything else (shapes, parameter counts,
 * diagnostics, code) is derived from it by pure functions and never stored.
 */

/** One dimension of a tensor shape; `null` is an unknown size (the batch dimension). */
export type Dim = number | null;

/**
 * A tensor shape in Keras's convention, batch dimension first:
 * `[null, 64, 64, 3]` is a batch of 64×64 RGB images.
 */
export type Shape = Dim[];

/** A value of a layer parameter as stored in the graph. */
export type ParamValue = number | boolean | string | null | ReadonlyArray<number | null>;

/** Parameters of one layer, keyed by their Keras (snake_case) argument name. */
export type Params = Readonly<Record<string, ParamValue>>;

/** A position on the canvas, in canvas pixels. */
export interface XY {
  readonly x: number;
  readonly y: number;
}

/** One layer on the canvas. */
export interface LayerNode {
  /** Stable identifier; never shown to the user. */
  readonly id: string;
  /** Registry key, equal to the Keras class name: 'Conv2D', 'Dense', 'Input', … */
  readonly kind: string;
  /** The Keras layer name (unique among layers; the calls of a shared layer share it), e.g. 'conv2d_1'. */
  readonly name: string;
  /** Parameter values keyed by Keras argument name (units, filters, kernel_size, …). */
  readonly params: Params;
  readonly position: XY;
  /**
   * For a further call of a shared layer: the id of the node that owns the layer (its first call).
   * The call's `kind`, `name` and `params` are kept equal to the owner's by the edit operations.
   */
  readonly layerOf?: string;
  /**
   * The block (Keras nested model call, `Graph.blocks`) this node belongs to: the id of a `Block`. Absent for a
   * node of the outer model. See core/graph/blocks.ts.
   */
  readonly block?: string;
  /**
   * `false` for a frozen layer (Keras `trainable=False`): every weight of the layer counts as non-trainable and
   * training leaves them unchanged. Absent = trainable. A further call of a shared layer follows its owner (the
   * edit operations keep the flag equal on every call, as they keep `params`); a frozen nested model (block) is
   * every member frozen. Keras 3's rule: a frozen layer's weights are all non-trainable (BatchNormalization's gamma
   * and beta included). See core/graph/frozen.ts.
   */
  readonly trainable?: false;
}

/**
 * A connection: the output tensor of `source` feeds `target`. A node's inputs are the
 * edges that target it, in the order they appear in `Graph.edges` (input 1, input 2, …).
 */
export interface Edge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /**
   * Which output tensor of `source` the edge carries, for a layer with several outputs (LSTM with
   * return_state: 0 = its output, 1 = state_h, 2 = state_c; see `LayerDef.multiOutput`): Keras's
   * `tensor_index`. Absent means 0, the first (usually only) output.
   */
  readonly output?: number;
}

/** One output tensor of a node: Keras's `(layer, node_index, tensor_index)` without the node index, which the call (node) gives. */
export interface TensorRef {
  readonly node: string;
  /** Its output index (Keras's tensor_index); 0 for a layer's first or only output. */
  readonly output: number;
}

/** An entry of `Graph.outputs`: a node id (its first output), or one output tensor of a node with several. */
export type OutputEntry = string | TensorRef;

/**
 * A block: one call of a Keras nested model (a Functional sub-model used as a layer: `block = keras.Model(inputs,
 * outputs, name="block")`, then `y = block(x)`). The graph stays flat: its members are the nodes whose `block` is
 * this id; its inputs are the distinct outer tensors that feed its members, its outputs the member tensors read
 * outside it or listed as model outputs (core/graph/blocks.ts `blockInterface`).
 */
export interface Block {
  readonly id: string;
  /** The nested model's Keras name (`keras.Model(..., name=…)`): unique among the layer names and the other blocks. */
  readonly name: string;
  /** Drawn as one node on the canvas (the canvas's concern; no effect on the model). */
  readonly collapsed?: boolean;
  /**
   * For a further call of the same nested model (shared weights): the id of the block of its first call. The
   * call's members are further calls of the first call's members (`LayerNode.layerOf` names them), and its `name`
   * equals the first call's.
   */
  readonly callOf?: string;
  /**
   * The nested model's outputs as declared, in order (first call only): member tensors of the first call. Absent:
   * the tensors read outside the block, in member order (`blockInterface`); an imported nested model keeps the
   * outputs its file lists, also those nothing reads.
   */
  readonly outputs?: readonly TensorRef[];
  /** The nested model is a `keras.Sequential` (a chain; first call only): the summary's class, and Keras numbers its calls from 1. */
  readonly sequential?: boolean;
}

/** The whole model as the user drew it. */
export interface Graph {
  /** The model's name (Keras `Model(name=…)`). */
  readonly name: string;
  readonly nodes: readonly LayerNode[];
  readonly edges: readonly Edge[];
  /**
   * The model's outputs, in order, when they are not just Layerlab's default (every layer nothing reads,
   * in topological order): node ids, e.g. an output another layer also reads, or outputs in the order a
   * Keras file lists them (its `output_layers`); an entry `{ node, output }` names one output of a layer with
   * several (a state of an LSTM). Layers nothing reads that are not listed are outputs too, after these
   * (`analyze`). Absent in graphs drawn by hand; the edit operations keep it valid.
   */
  readonly outputs?: readonly OutputEntry[];
  /** The blocks (nested model calls) some nodes belong to (`LayerNode.block`); absent or empty for none. */
  readonly blocks?: readonly Block[];
}

/** Which output tensor of its source an edge carries (`Edge.output`, 0 when absent). */
export const edgeOutput = (e: Edge): number => e.output ?? 0;

/** An entry of `Graph.outputs` as a tensor reference (a plain node id is its output 0). */
export const outputRef = (o: OutputEntry): TensorRef => (typeof o === 'string' ? { node: o, output: 0 } : o);

/** An empty graph. */
export const emptyGraph = (name = 'model'): Graph => ({ name, nodes: [], edges: [] });
