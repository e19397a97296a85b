/**
 * Layerlab's core answering the Python stand-in's questions about shapes (registered in Pyodide as the JavaScript
 * module `layerlab_core`, see run.ts). Both functions take and return JSON text, so nothing but strings crosses
 * between Python and JavaScript.
 *
 * The mapping "Keras layer config → Layerlab kind and parameters" lives in core/serialize/kerasImport.ts; this adapter
 * reuses it whole by writing each layer call as a small Keras 3 Functional model (one InputLayer per input tensor,
 * the layer, its call) and reading it back with `importKerasJson` and `analyze`. That is slower than calling the
 * mapping directly (about a tenth of a millisecond per distinct call; results are cached) but gives exactly the
 * importer's reading, checks and messages.
 * TODO(lead): once kerasImport.ts exposes its per-layer reading, call it here instead of a one-layer model.
 */
import { importKerasJson } from '../../core/serialize/kerasImport';
import { analyze } from '../../core/validate/analyze';
import { outputNamesOf } from '../../core/layers/registry';
import type { Shape } from '../../core/graph/types';

/** What `layerShapes` answers: the output shapes of one call, or why they are unknown, or the error Keras would raise. */
export interface LayerShapesAnswer {
  /** The shape of each output tensor (batch axis first, null = unknown size), or null when not known. */
  readonly shapes: Shape[] | null;
  /** How many tensors the call returns (an LSTM with return_state: 3). */
  readonly count: number;
  /** Set when the call is wrong (Keras would raise): the core's message. */
  readonly error: string | null;
  /** True for a class Layerlab does not have (it becomes an opaque node). */
  readonly opaque?: boolean;
  /** Why the shapes are unknown when they are (not an error). */
  readonly unknown?: string;
  /** The layer's weights as Keras counts them for this call's input shapes (present when the shapes are). */
  readonly weights?: { readonly trainable: number; readonly non_trainable: number };
}

const INPUT_PREFIX = 'layerlab_call_input_';
const CACHE_LIMIT = 4000;
const cache = new Map<string, string>();

/** The importer's message without the file-import wording that does not apply to code. */
export function codeMessage(reason: string): string {
  return reason
    .replace(/[;,]?\s*nothing was changed\.?/gi, '.')
    .replace(/\s*Nothing was changed\.?/g, '')
    .replace(/\.\.$/, '.')
    .replace(/the file's /g, "the code's ")
    .trim();
}

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Replaces the stand-in's tensor placeholders `{"__t__": k}` by Keras 3 tensors read from input layer k. */
function withTensors(v: unknown, depth = 0): unknown {
  if (depth > 30) return null;
  if (Array.isArray(v)) return v.map((x) => withTensors(x, depth + 1));
  if (isDict(v)) {
    if (typeof v.__t__ === 'number') return { class_name: '__keras_tensor__', config: { keras_history: [`${INPUT_PREFIX}${v.__t__}`, 0, 0] } };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withTensors(x, depth + 1)]));
  }
  return v;
}

/**
 * The output shapes of one call of a Keras layer, computed by the core.
 * @param className the Keras class (`Dense`), or a class Layerlab does not have (answered as opaque: shapes null)
 * @param configJson the layer's Keras config as JSON (`{"name": "d", "units": 64, …}`)
 * @param callJson `{"args": [...], "kwargs": {...}}` as called, tensors written `{"__t__": k}`
 * @param shapesJson the shapes of tensors 0…, batch axis first (null entries: unknown sizes; a null shape: unknown)
 * @returns JSON of a `LayerShapesAnswer` (with the layer's weight counts when its shapes are known). Never throws: a layer the core refuses gives `error` (the importer's or the
 *   validator's message, naming the layer and the setting).
 */
export function layerShapes(className: string, configJson: string, callJson: string, shapesJson: string): string {
  let answer: LayerShapesAnswer;
  let key = '';
  try {
    const config = JSON.parse(configJson) as Record<string, unknown>;
    // The name changes no shape: calls that differ only by it share a cache entry (a chain of equal layers).
    const { name: _name, ...rest } = config;
    key = `${className}\u0000${JSON.stringify(rest)}\u0000${callJson}\u0000${shapesJson}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    answer = compute(className, config, JSON.parse(callJson) as Record<string, unknown>, JSON.parse(shapesJson) as (Shape | null)[]);
  } catch (e) {
    answer = { shapes: null, count: 1, error: `Layerlab could not read the layer ${className}: ${(e as Error).message}` };
  }
  const text = JSON.stringify(answer);
  // Errors name the layer, so they are not shared.
  if (key && !answer.error) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, text);
  }
  return text;
}

function compute(className: string, config: Record<string, unknown>, call: Record<string, unknown>, shapes: (Shape | null)[]): LayerShapesAnswer {
  const name = typeof config.name === 'string' ? config.name : 'layer';
  const unknownInput = shapes.some((s) => s === null);
  // With an input of unknown shape, the call is still read (for its number of outputs) on stand-in shapes.
  const given = shapes.map((s) => s ?? [null, 8, 8]);
  const inputs = given.map((s, k) => ({
    class_name: 'InputLayer',
    name: `${INPUT_PREFIX}${k}`,
    config: { name: `${INPUT_PREFIX}${k}`, batch_shape: s },
    inbound_nodes: [],
  }));
  const layer = { class_name: className, name, config, inbound_nodes: [{ args: withTensors(call.args ?? []), kwargs: withTensors(call.kwargs ?? {}) }] };
  const model = {
    class_name: 'Functional',
    config: {
      name: 'layerlab_call',
      layers: [...inputs, layer],
      input_layers: inputs.map((i) => [i.name, 0, 0]),
      output_layers: [[name, 0, 0]],
    },
  };
  const r = importKerasJson(JSON.stringify(model), { layout: false });
  if (!r.ok)
    return unknownInput
      ? { shapes: null, count: 1, error: null, unknown: 'its input shape is unknown' }
      : { shapes: null, count: 1, error: codeMessage(r.reason) };
  const node = r.graph.nodes.find((n) => n.kind !== 'Input');
  if (!node) return { shapes: null, count: 1, error: `Layerlab could not read the layer '${name}' (${className}).` };
  const count = outputNamesOf(node).length;
  if (node.kind === 'Opaque') return { shapes: null, count: 1, error: null, opaque: true, unknown: `${className} is a layer class Layerlab does not have` };
  if (unknownInput) return { shapes: null, count, error: null, unknown: 'its input shape is unknown' };
  const a = analyze(r.graph);
  const info = a.nodes.get(node.id);
  const err = info?.diagnostics.find((d) => d.severity === 'error') ?? a.diagnostics.find((d) => d.severity === 'error');
  if (err || !info?.outputShape)
    return { shapes: null, count, error: codeMessage(err?.message ?? `Layerlab could not compute the output shape of '${name}' (${className}).`) };
  return {
    shapes: [info.outputShape, ...info.moreOutputs],
    count,
    error: null,
    weights: { trainable: info.weights?.trainable ?? 0, non_trainable: info.weights?.nonTrainable ?? 0 },
  };
}

/**
 * Totals and output shapes of a whole model written as Keras 3 JSON (for `model.count_params()`, `model.output_shape`).
 * @returns JSON `{"total": n, "outputs": [shape, …], "error": null}` or `{"error": message}`. Never throws.
 */
export function modelInfo(modelJson: string): string {
  try {
    const r = importKerasJson(modelJson, { layout: false });
    if (!r.ok) return JSON.stringify({ error: codeMessage(r.reason) });
    const a = analyze(r.graph);
    const err = a.diagnostics.find((d) => d.severity === 'error');
    if (err) return JSON.stringify({ error: codeMessage(err.message) });
    return JSON.stringify({ total: a.totals.total, trainable: a.totals.trainable, error: null });
  } catch (e) {
    return JSON.stringify({ error: `Layerlab could not read the model: ${(e as Error).message}` });
  }
}

/** Empties the cache of `layerShapes` (tests measure cold imports with it). */
export function clearShapeCache(): void {
  cache.clear();
}
