/**
 * Frozen layers (Keras `trainable=False`): the per-node flag `LayerNode.trainable`, its effect on a layer's weight
 * counts and the edit operations that set it. Pure.
 *
 * Keras's rule (Keras 3 `Layer.trainable`, `Layer.trainable_weights`): a layer whose `trainable` is False lists no
 * trainable weights, so every weight it holds counts as non-trainable (BatchNormalization's gamma and beta too);
 * setting `trainable` on a model sets it on every layer inside it. In Layerlab's flat graph a frozen nested model is
 * every member of its block frozen.
 */
import type { WeightCount } from '../layers/define';
import { layerIdOf } from './shared';
import type { Graph, LayerNode } from './types';
import type { EditResult } from './ops';

/** True when the node's layer is frozen (its `trainable` flag is false). A further call carries its owner's flag. */
export const isFrozen = (n: Pick<LayerNode, 'trainable'>): boolean => n.trainable === false;

/**
 * A layer's weight counts once frozen: every weight non-trainable (Keras: a frozen layer has no trainable weights).
 * @param w the layer's counts as its kind computes them (trainable and non-trainable)
 * @returns `w` itself when `frozen` is false or nothing is trainable, else `{ trainable: 0, nonTrainable: total }`
 */
export function frozenCount(w: WeightCount, frozen: boolean): WeightCount {
  if (!frozen || w.trainable === 0) return w;
  return { trainable: 0, nonTrainable: w.trainable + w.nonTrainable };
}

/** `node` with its flag set: `trainable: false` for frozen, no flag at all for trainable (the default). */
export function withTrainable<N extends LayerNode>(node: N, trainable: boolean): N {
  if (trainable) {
    if (node.trainable === undefined) return node;
    const { trainable: _gone, ...rest } = node;
    return rest as N;
  }
  return node.trainable === false ? node : { ...node, trainable: false };
}

/**
 * Freezes or unfreezes layers: every call of each named node's layer (a shared layer has one flag). Input nodes are
 * left as they are (an Input has no weights and no `trainable` argument in Layerlab).
 * @param ids node ids; an unknown id is refused
 * @param trainable false to freeze, true to unfreeze
 * @returns the new graph (the same object when nothing changes), or the reason it is refused
 */
export function setTrainable(graph: Graph, ids: Iterable<string>, trainable: boolean): EditResult {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const layers = new Set<string>();
  for (const id of ids) {
    const n = byId.get(id);
    if (!n) return { ok: false, reason: 'No such layer.' };
    if (n.kind !== 'Input') layers.add(layerIdOf(n));
  }
  let changed = false;
  const nodes = graph.nodes.map((n) => {
    if (!layers.has(layerIdOf(n))) return n;
    const m = withTrainable(n, trainable);
    if (m !== n) changed = true;
    return m;
  });
  return { ok: true, graph: changed ? { ...graph, nodes } : graph };
}

/**
 * Freezes or unfreezes every layer of a block (Keras `block.trainable = False` on a nested model) and of its further
 * calls (they are calls of the same layers).
 * @returns the new graph, or the reason it is refused (no such block)
 */
export function setBlockTrainable(graph: Graph, blockId: string, trainable: boolean): EditResult {
  const block = graph.blocks?.find((b) => b.id === blockId);
  if (!block) return { ok: false, reason: 'No such nested model.' };
  const first = block.callOf ?? block.id;
  const ids = graph.nodes.filter((n) => n.block === first).map((n) => n.id);
  return setTrainable(graph, ids, trainable);
}

/**
 * Whether a block's layers are frozen: 'all' when every member layer is frozen, 'none' when none is, 'some'
 * otherwise (a nested model being fine-tuned). An Input member (none in a valid block) is not counted.
 */
export function blockFrozenState(graph: Graph, blockId: string): 'all' | 'none' | 'some' {
  const block = graph.blocks?.find((b) => b.id === blockId);
  const first = block?.callOf ?? blockId;
  let frozen = 0;
  let open = 0;
  for (const n of graph.nodes)
    if (n.block === first && n.kind !== 'Input') {
      if (isFrozen(n)) frozen++;
      else open++;
    }
  return frozen === 0 ? 'none' : open === 0 ? 'all' : 'some';
}

/**
 * True when the graph has layers and every one of them is frozen (Inputs aside): the model (or nested model) as a
 * whole is frozen, and the Keras 3 export writes the model's own `trainable: false`, as Keras 3 `to_json()` does after
 * `model.trainable = False`.
 */
export function allFrozen(graph: Pick<Graph, 'nodes'>): boolean {
  let layers = 0;
  for (const n of graph.nodes)
    if (n.kind !== 'Input') {
      if (!isFrozen(n)) return false;
      layers++;
    }
  return layers > 0;
}
