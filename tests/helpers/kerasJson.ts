/**
 * Test helpers that write Keras 2 Functional model JSON by hand (the form `model.to_json()` writes; see
 * docs/keras-facts.md §1): an InputLayer, a layer called on named layers, and the model around them; and
 * the export of a graph and the import of a file that must succeed.
 */
import { exportKerasJson, importKerasJson, layerDef, type Graph, type ImportResult } from '../../src/core';

export type Json = Record<string, unknown>;

/** An InputLayer entry with `batch_input_shape` [null, ...shape]. */
export const inp = (name: string, shape: number[]): Json => ({
  name,
  class_name: 'InputLayer',
  config: { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false, name },
  inbound_nodes: [],
});

/** A layer of class `cls` with `config`, called once on the first output of each layer in `from`. */
export const lay = (cls: string, name: string, config: Json, ...from: string[]): Json => ({
  name,
  class_name: cls,
  config: { name, trainable: true, dtype: 'float32', ...config },
  inbound_nodes: [from.map((f) => [f, 0, 0, {}])],
});

/**
 * Imports a model file that must be accepted: `file` is its text, or a JSON value to write as text first.
 * Returns what the importer returns on success (the graph, the form it read, its warnings).
 * @throws Error with the importer's reason when the file is refused.
 */
export function imported(file: unknown): Extract<ImportResult, { ok: true }> {
  const r = importKerasJson(typeof file === 'string' ? file : JSON.stringify(file));
  if (!r.ok) throw new Error(r.reason);
  return r;
}

/**
 * The Keras model JSON Layerlab exports for `g`, as text.
 * @throws Error with the exporter's reason when it refuses the graph (a graph with errors).
 */
export function exported(g: Graph): string {
  const r = exportKerasJson(g);
  if (!r.ok) throw new Error(r.reason);
  return r.json;
}

/**
 * Layerlab's Keras JSON export as tfjs 4.22 can load it. A kind Keras calls positionally (MultiHeadAttention(q, v):
 * LayerDef.callForm 'positional') is exported in Keras 3's `{args: [...], kwargs}` inbound-node form, the only one
 * Keras 3 reads for it; tfjs reads only the legacy list form. Returns the file with those calls written as lists (what
 * tfjs's own toJSON writes for `apply([q, v])`), their call arguments (kwargs: use_causal_mask,
 * return_attention_scores) moved into the layer's config, where Layerlab's tfjs class takes them (tfjs's toJSON
 * writes them there), and whether anything was rewritten.
 */
export function asTfjsListForm(text: string): { file: Json; rewritten: boolean } {
  const file = JSON.parse(text) as { config: { layers?: { class_name: string; config: Json; inbound_nodes?: unknown[] }[] } };
  const positional = (file.config.layers ?? []).filter((l) => layerDef(l.class_name)?.callForm === 'positional');
  for (const l of positional) {
    const calls = (l.inbound_nodes ?? []) as { args?: { config: { keras_history: unknown[] } }[]; kwargs?: Json }[];
    for (const c of calls) Object.assign(l.config, c.kwargs ?? {});
    l.inbound_nodes = calls.map((n) => (n.args ?? []).map((t) => [...t.config.keras_history, {}]));
  }
  return { file: file as unknown as Json, rewritten: positional.length > 0 };
}
