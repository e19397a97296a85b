import { defineLayer, formatShape, ShapeError } from './define';
import { MAX_COUNT, p } from './params';
import { formatCount } from '../format';

/** Longest `layer_json` text kept (one layer's config; a Lambda's marshalled code is a few kilobytes). */
export const MAX_OPAQUE_JSON = 1_000_000;

/** Longest `python_source` / `python_args` text kept (a user's layer class and the helpers it uses). */
export const MAX_PYTHON_SOURCE = 200_000;

/** Keras classes that hold Python code the file does not carry in a form anything but that Python can run. */
export const OPAQUE_CODE_CLASSES: ReadonlySet<string> = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda']);

/**
 * The layer entry an opaque node keeps (`layer_json`): its config, and module / registered_name when the file
 * had them. A value that is not such JSON (never the case for a node the validator accepted) gives an empty config.
 */
export function keptEntry(text: unknown): { config: Record<string, unknown>; module?: unknown; registered_name?: unknown } {
  try {
    const v: unknown = typeof text === 'string' ? JSON.parse(text) : null;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const config = typeof o.config === 'object' && o.config !== null && !Array.isArray(o.config) ? (o.config as Record<string, unknown>) : {};
      return { ...o, config };
    }
  } catch {
    // Falls through to the empty entry.
  }
  return { config: {} };
}

/**
 * The arguments pasted code gave a user's layer class (keras_standin.py `_ctor_args`), kept in an Opaque node's
 * `python_args`: each value a Python literal text (`200`, `(16, 16)`, `"relu"`), positional ones in order, the others
 * by keyword; `name` says whether the class's `__init__` takes `name=` (a `name` parameter or **kwargs); `unkept`
 * names the arguments whose value was no JSON-able literal (a function, a layer), which the code cannot repeat.
 */
export interface PythonArgs {
  readonly args: readonly string[];
  readonly kwargs: readonly (readonly [string, string])[];
  readonly name: boolean;
  readonly unkept: readonly string[];
}

/** Whether a value has the form of `PythonArgs` (the stand-in's answer, or a project file's `python_args`, parsed). */
export function isPythonArgs(v: unknown): v is PythonArgs {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  return (
    strings(o.args) &&
    Array.isArray(o.kwargs) &&
    o.kwargs.every((kv) => Array.isArray(kv) && kv.length === 2 && strings(kv)) &&
    typeof o.name === 'boolean' &&
    strings(o.unkept)
  );
}

/**
 * The class source and arguments an Opaque node kept from pasted Python (`python_source`, `python_args`), or null
 * when it kept none (a layer from a Keras JSON file, an older project) or `python_args` is not `PythonArgs` JSON.
 */
export function keptPython(params: Readonly<Record<string, unknown>>): { source: string; args: PythonArgs } | null {
  const source = params.python_source;
  const text = params.python_args;
  if (typeof source !== 'string' || source.trim() === '' || typeof text !== 'string') return null;
  try {
    const args: unknown = JSON.parse(text);
    return isPythonArgs(args) ? { source, args } : null;
  } catch {
    return null;
  }
}

/**
 * The entry the Keras JSON export writes: `keptEntry`, and for a Lambda whose config gives no `output_shape` the
 * one the node holds (from the file's recorded shapes or entered by the user), which Keras's Lambda takes as its
 * output shape, so the shape survives a file form that records none (Keras 2's).
 */
function exportedEntry(params: Readonly<Record<string, unknown>>): ReturnType<typeof keptEntry> {
  const kept = keptEntry(params.layer_json);
  const shape = params.output_shape;
  if (params.class_name !== 'Lambda' || !Array.isArray(shape) || (kept.config.output_shape ?? null) !== null) return kept;
  return { ...kept, config: { ...kept.config, output_shape: shape } };
}

/**
 * A layer of an imported Keras or tfjs file that Layerlab cannot run: a `Lambda` (its function is Python
 * bytecode), tf.keras's `TFOpLambda` / `SlicingOpLambda` (a TensorFlow op recorded by name), or a class
 * Layerlab does not have (a user's custom layer). Never offered in the palette: only the importer makes it
 * (`registry.ts` keeps it out of `LAYER_DEFS`).
 * - It keeps the file's `class_name` and the layer entry verbatim (`layer_json`: `config`, and `module` /
 *   `registered_name` when Keras 3 wrote them), which the Keras JSON export writes back unchanged.
 * - Its output shape: `output_shape` without the batch axis, as Keras's `Lambda(output_shape=…)` takes it
 *   (keras/src/layers/core/lambda_layer.py `compute_output_shape`: `(batch,) + output_shape`); read from the
 *   config's `output_shape` or, in a Keras 3 file, from the shape a consuming layer's `__keras_tensor__`
 *   records; otherwise the user enters it. Until then the node reports `shape/opaque-unknown` and the layers
 *   after it have no shape.
 * - Weights: `trainable_params` and `non_trainable_params`, the counts Keras's summary prints on the layer's row
 *   (its own weights and those of the layers it holds). A Keras JSON file carries no weight shapes (a model's
 *   weights live in its weights file), so a file's opaque layer counts none (0, 0) and the importer says so in a
 *   note; a Python code import fills them in when the stand-in could run the layer's build() and call()
 *   (src/codeimport/python/keras_standin.py, `_opaque_call`); the user may enter them in the inspector.
 * - A user's layer class from pasted Python also keeps its source (`python_source`: the class, the module-level
 *   functions and classes it uses, the imports they need) and the arguments the code gave it (`python_args`,
 *   `PythonArgs`); the Python code then writes the class and calls it instead of a placeholder (codegen/python.ts),
 *   so the code round trip keeps it. Empty for a layer from a Keras JSON file; the Keras JSON export leaves both out.
 * - It cannot be built in tfjs (`cannotRun`): training is refused with the reason; shapes, summary, code (a
 *   marked placeholder) and export work.
 */
export const opaque = defineLayer({
  kind: 'Opaque',
  category: 'Core',
  description: 'A layer from an imported file that Layerlab cannot run (a Lambda or a class it does not have); kept as written.',
  shapeRule: '(batch, …) → (batch, *output_shape)',
  inputs: { min: 1, max: 64 },
  params: {
    class_name: p.text({ default: 'Lambda', maxLength: 200, help: 'The Keras class the file named; kept for export.' }),
    output_shape: p.shape({
      default: null,
      nullable: true,
      maxRank: 5,
      nullText: 'unknown: enter it, e.g. 128 or None, 64',
      help: 'The output shape without the batch axis (None for a size not known in advance): the file does not say it, so enter what the layer returns.',
    }),
    trainable_params: p.int({
      default: 0,
      min: 0,
      max: MAX_COUNT,
      help: "The layer's trainable weights as Keras counts them (its own and those of the layers it holds): 0 when not known (a Keras JSON file does not say them).",
    }),
    non_trainable_params: p.int({
      default: 0,
      min: 0,
      max: MAX_COUNT,
      help: "The layer's non-trainable weights as Keras counts them (add_weight(trainable=False), a BatchNormalization's moving statistics): 0 when not known.",
    }),
    python_source: p.text({
      default: '',
      maxLength: MAX_PYTHON_SOURCE,
      help: "The Python source of the user's layer class (with the imports and module-level functions and classes it uses), kept from pasted code: the Python code writes it and calls the class; empty when not known.",
    }),
    python_args: p.text({
      default: '',
      maxLength: MAX_PYTHON_SOURCE,
      help: 'The arguments the pasted code gave the class, as JSON ({"args": [...], "kwargs": [[name, literal], ...], "name": takes name=, "unkept": [...]}, each value a Python literal); empty when not known.',
    }),
    layer_json: p.text({
      default: '{"config":{}}',
      maxLength: MAX_OPAQUE_JSON,
      json: true,
      help: "The layer as the file wrote it (its config, and Keras 3's module and registered_name), as JSON; the Keras JSON export writes it back unchanged.",
    }),
  },
  outputShape: (_inputs, q) => {
    if (q.output_shape === null)
      throw new ShapeError(
        'shape/opaque-unknown',
        `is a ${q.class_name} layer from the imported file, whose output shape the file does not say; enter it in the inspector's output_shape field (without the batch axis, None for an unknown size)`,
      );
    return [null, ...q.output_shape];
  },
  weights: (_inputs, q) => ({ trainable: q.trainable_params, nonTrainable: q.non_trainable_params }),
  keyParams: (q) => `${q.class_name}${q.output_shape ? ` → ${formatShape([null, ...q.output_shape])}` : ' · shape?'}`,
  migrations: [
    {
      // Project version 6: an opaque node carries the weight counts a Python code import found (0 before: none counted).
      version: 6,
      description: 'layers kept as placeholders carry their weight counts (trainable_params, non_trainable_params; 0 as before)',
      // The kept Python source and arguments of a user's class came with version 6 too (empty: none kept).
      up: (params) => ({ trainable_params: 0, non_trainable_params: 0, python_source: '', python_args: '', ...params }),
    },
  ],
  kerasClass: 'Lambda',
  classOf: (q) => q.class_name,
  tfjsFactory: null,
  singleWhenOne: true,
  inputSpec: null,
  placeholder: (q, name) => ({
    outputShape: q.output_shape,
    note: `TODO: '${name}' was a ${q.class_name} layer in the imported ${
      keptPython(q) ? 'code, a Python class this code cannot run' : 'file, whose code the file does not carry'
    }. This placeholder returns ${q.output_shape && q.output_shape.every((d) => d !== null) ? 'zeros of its output shape' : 'its input unchanged'}${
      q.trainable_params + q.non_trainable_params > 0 ? ` and has none of its ${formatCount(q.trainable_params + q.non_trainable_params)} weights` : ''
    }; replace it with the layer's code.`,
  }),
  keras: { verbatim: (params) => exportedEntry(params) },
  cannotRun: (q) =>
    OPAQUE_CODE_CLASSES.has(q.class_name)
      ? 'runs Python code Layerlab cannot run; shapes, summary, code and export still work, training does not'
      : keptPython(q)
        ? 'is a Python layer class of the pasted code, which tfjs cannot run; shapes, summary, code (the Python code writes the class) and export still work, training does not'
        : 'is a class Layerlab does not have (its code is not in the file); shapes, summary, code and export still work, training does not',
});
