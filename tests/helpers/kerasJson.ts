/**
 * Test helpers that write Keras 2 Functional model JSON by hand (the form `model.to_json()` writes; see
 * docs/keras-facts.md §1): an InputLayer, a layer called on named layers, and the model around them.
 */
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
