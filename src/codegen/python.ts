/**
 * Python for Keras from a graph: the model (`keras.Sequential`, `keras.Model` or a `keras.Model` subclass), `summary()`, `compile`,
 * NumPy dummy data and `fit`. Pure: it writes text. Formatted the way Black would: 4-space indent,
 * lines of at most 88 characters, magic trailing commas in broken calls.
 */
import {
  callsByLayer,
  innerLayer,
  layerIdOf,
  isList,
  kerasArgs,
  kerasCallArgs,
  layerDef,
  OPTIMIZER_DEFS,
  type ArgValue,
  type Graph,
  type LayerNode,
  type TrainingSettings,
} from '../core';
import { keptPython, type PythonArgs } from '../core/layers/opaque';
import { SUBCLASSING_NOTE } from './api';
import {
  blockedPlan,
  commentLines,
  commentText,
  Emitter,
  functionalPlan,
  identifiers,
  isChainPlan,
  labelDescription,
  outputLabel,
  parameterLine,
  prepare,
  pyString,
  PY_RESERVED,
  snakeBase,
  type ApiForm,
  type BlockModel,
  type CodeResult,
  type FunctionalPlan,
  type OutputSpec,
  type Prepared,
} from './common';

const WIDTH = 88;

const IND = '    ';

/** A value as a Python literal: True/False/None, strings in double quotes, tuples `(3, 3)`, `(100,)` and `((1, 1), (2, 2))`. */
export function pyValue(v: ArgValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return pyString(v);
  if (isList(v)) return v.length === 1 ? `(${pyValue(v[0])},)` : `(${v.map((x) => pyValue(x)).join(', ')})`;
  return String(v);
}

/** A Python identifier that is not a keyword (a class name the generated code may write as it is). */
const PY_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A layer written as the user's own Python class: an Opaque node that kept its class's source and the arguments the
 * pasted code gave it (core `keptPython`: src/codeimport/python/keras_standin.py `_class_source`, `_ctor_args`), every
 * argument a literal and the class name an identifier; null otherwise (a placeholder `layers.Lambda` then stands in).
 */
function keptClass(n: LayerNode): { cls: string; args: PythonArgs } | null {
  if (n.kind !== 'Opaque') return null;
  const kept = keptPython(n.params);
  const cls = String(n.params.class_name);
  if (!kept || kept.args.unkept.length > 0 || !PY_IDENTIFIER.test(cls) || PY_RESERVED.has(cls)) return null;
  return { cls, args: kept.args };
}

/** Keras's automatic name of a layer of class `cls`: its snake_case, with `_1`, `_2`, … for later ones (keras/src/utils/naming.py). */
const kerasAutoName = (cls: string): RegExp =>
  new RegExp(
    `^${cls
      .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()}(_[0-9]+)?$`,
  );

/** The arguments of a layer constructor without `name` (see `pyLayerArgs`). */
function pyArgs(node: LayerNode): string[] {
  const def = layerDef(node.kind)!;
  // A user's layer class kept from pasted code: its arguments as the code gave them.
  const kept = keptClass(node);
  if (kept) return [...kept.args.args, ...kept.args.kwargs.map(([k, v]) => `${k}=${v}`)];
  // A layer Layerlab cannot run (an opaque node: a Lambda from a file) is written as a placeholder Lambda.
  const stand = def.placeholder?.(node.params, node.name);
  if (stand) return placeholderArgs(stand.outputShape);
  // A class Keras 3 lacks is written as its Keras 3 equivalent, every argument by keyword.
  if (def.keras3) return def.keras3.args(node.params).map(([k, v]) => `${k}=${pyValue(v)}`);
  const inner = innerLayer(node);
  // A frozen wrapper's wrapped layer is written frozen too: Keras 3's Bidirectional and TimeDistributed count the
  // wrapped layer's weights by its own flag (Bidirectional(LSTM(5), trainable=False) still trains the LSTM).
  const innerArgs = inner ? [...pyArgs(inner), ...(inner.trainable === false ? ['trainable=False'] : [])] : [];
  const out: string[] = inner ? [`${ctor(inner)}(${innerArgs.join(', ')})`] : [];
  let positional = true;
  for (const [k, v] of kerasArgs(node, { onlyNonDefault: true })) {
    positional &&= def.params[k].always === true;
    out.push(positional ? pyValue(v) : `${k}=${pyValue(v)}`);
  }
  return out;
}

/**
 * The arguments of a layer constructor, as Keras code usually writes them: for a wrapper the wrapped
 * layer first (`Bidirectional(LSTM(8), …)`); the leading parameters the definition marks `always` (Dense
 * units, Conv2D filters and kernel_size, Dropout rate, MaxPooling2D pool_size) positionally — the registry
 * lists parameters in Keras's signature order — then the other non-default ones as keywords, `trainable=False`
 * for a frozen layer (LayerNode.trainable), then `name`.
 * A kind Keras 3 has no class for is written as its equivalent (ThresholdedReLU → `ReLU(threshold=θ)`).
 */
export function pyLayerArgs(node: LayerNode): string[] {
  // A user's class whose __init__ takes neither name nor **kwargs: Keras names it (see `notes`).
  const kept = keptClass(node);
  if (kept && !kept.args.name) return pyArgs(node);
  // A frozen layer: Keras's `trainable=False` keyword, which every layer takes (not SpatialDropout, whose Keras 3
  // constructor has no **kwargs, `keras.noTrainableArg`; it has no weights to freeze).
  const frozen = node.trainable === false && node.kind !== 'Input' && !layerDef(node.kind)?.keras?.noTrainableArg;
  return [...pyArgs(node), ...(frozen ? ['trainable=False'] : []), `name=${pyString(node.name)}`];
}

/**
 * The arguments of the placeholder `layers.Lambda` written for a layer Layerlab cannot run (core
 * `LayerDef.placeholder`): a function returning zeros of the output shape (`shape`, without the batch axis) when
 * every size is known, else its input unchanged, and `output_shape`, which Keras 3's Lambda reports as its shape
 * (keras/src/layers/core/lambda_layer.py `compute_output_shape`), so the model builds with the file's shapes.
 */
function placeholderArgs(shape: readonly (number | null)[] | null): string[] {
  if (!shape) return ['lambda x: x'];
  const known = shape.every((d) => d !== null);
  // Called on several tensors, a Lambda receives the list; its batch size is that of the first.
  const fn = known ? `lambda x: keras.ops.zeros((keras.ops.shape(x[0] if isinstance(x, list) else x)[0], ${pyValue(shape).slice(1, -1)}))` : 'lambda x: x';
  return [fn, `output_shape=${pyValue(shape)}`];
}

/** Comment lines written above a layer: why a kind is written as another Keras 3 class, or is a placeholder. */
const notes = (n: LayerNode, indent: string): string[] => {
  const kept = keptNote(n);
  const note = kept !== undefined ? kept : (layerDef(n.kind)?.keras3?.note ?? layerDef(n.kind)?.placeholder?.(n.params, n.name).note);
  return note ? commentLines(note, `${indent}# `, WIDTH) : [];
};

/**
 * The note above a user's class kept from pasted code: none when written as the class with its name; what Keras will
 * call it when its __init__ takes no `name` (and that it stays trainable when the layer is frozen); for a class whose
 * arguments were not plain values, why the placeholder stands in although the class is written above.
 */
function keptNote(n: LayerNode): string | null | undefined {
  if (n.kind !== 'Opaque') return undefined;
  const kept = keptPython(n.params);
  if (!kept) return undefined;
  const cls = String(n.params.class_name);
  if (kept.args.unkept.length > 0)
    return `TODO: '${n.name}' is a ${cls}, the class written above, but the pasted code gave it ${kept.args.unkept
      .map((a) => `'${a}'`)
      .join(', ')}, which is not a plain value (number, text, list…) Layerlab can repeat: this placeholder returns ${
      Array.isArray(n.params.output_shape) && n.params.output_shape.every((d) => d !== null) ? 'zeros of its output shape' : 'its input unchanged'
    } and has none of its weights; replace it with ${cls}(...) as the pasted code made it.`;
  if (!keptClass(n)) return undefined;
  const parts: string[] = [];
  if (!kept.args.name && !kerasAutoName(cls).test(n.name))
    parts.push(`${cls}.__init__ takes no name: Keras names this layer after its class, not '${n.name}'.`);
  if (!kept.args.name && n.trainable === false) parts.push(`${cls}.__init__ takes no trainable argument: set trainable = False on it to freeze it.`);
  return parts.length ? parts.join(' ') : null;
}

/** One top-level definition or import block of kept class source, and the nodes whose class uses it. */
interface SourcePart {
  readonly text: readonly string[];
  readonly nodes: string[];
}

/**
 * The Python source kept with the graph's user classes (core `keptPython`), to write once after the imports: the
 * import lines they need (each once, not the generated code's own), the module-level values they read (`name = literal`
 * lines before the first definition, each once), then each module-level definition once (a helper
 * class two classes use is written once), in the order the nodes first need them. A definition starts at a line
 * that begins a `class`, `def` or decorator at column 0 after a blank line (how `_class_source` joins them).
 * `ops.` in a class without an import of `ops` adds `from keras import ops`.
 */
function keptSources(graph: Graph): { imports: string[]; constants: string[]; parts: SourcePart[]; usesTf: boolean } {
  const imports: string[] = [];
  const constants: string[] = [];
  const parts = new Map<string, SourcePart>();
  let usesTf = false;
  for (const n of graph.nodes) {
    if (n.kind !== 'Opaque') continue;
    const kept = keptPython(n.params);
    if (!kept) continue;
    const lines = kept.source.replace(/\r\n?/g, '\n').split('\n');
    const chunks: string[][] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (/^(import|from)\s/.test(line)) {
        if (!imports.includes(line) && !GENERATED_IMPORTS.has(line)) imports.push(line);
        continue;
      }
      // A module-level value the definitions read (`embed_dim = 32`), before them.
      if (chunks.length === 0 && /^[A-Za-z_]\w*\s*=/.test(line)) {
        if (!constants.includes(line)) constants.push(line);
        continue;
      }
      const starts = /^(@|class\s|def\s|async\s+def\s)/.test(line) && (i === 0 || lines[i - 1].trim() === '' || /^(import|from)\s/.test(lines[i - 1]));
      if (starts || (chunks.length === 0 && line.trim() !== '')) chunks.push([]);
      if (chunks.length) chunks[chunks.length - 1].push(line);
    }
    for (const c of chunks) {
      while (c.length && c[c.length - 1].trim() === '') c.pop();
      const key = c.join('\n');
      if (!key) continue;
      const part = parts.get(key) ?? { text: c, nodes: [] };
      part.nodes.push(n.id);
      parts.set(key, part);
    }
    usesTf ||= /(^|[^.\w])tf\./m.test(kept.source);
  }
  const all = [...parts.values()];
  const body = all.map((p) => p.text.join('\n')).join('\n');
  if (/(^|[^.\w])ops\./m.test(body) && !imports.some((l) => /\bimport\b.*\bops\b/.test(l))) imports.unshift('from keras import ops');
  return { imports, constants, parts: all, usesTf };
}

/**
 * Python's reserved words and the module-level names the kept class source binds (its imports' aliases, its classes
 * and functions): a variable of the generated code must not take one (a layer named `ops` would hide keras.ops from
 * the class's call()).
 */
function reservedWith(graph: Graph): ReadonlySet<string> {
  const names = new Set(PY_RESERVED);
  const kept = keptSources(graph);
  for (const part of kept.imports) for (const m of part.matchAll(/(?:import|,)\s*([\w.]+)(?:\s+as\s+(\w+))?/g)) names.add(m[2] ?? m[1].split('.')[0]);
  for (const c of kept.constants) names.add(c.split('=')[0].trim());
  for (const part of kept.parts)
    for (const line of part.text) {
      const m = /^(?:class|def|async\s+def)\s+(\w+)/.exec(line);
      if (m) names.add(m[1]);
    }
  return names;
}

/** The import lines every generated Python program starts with (`generatePython`). */
const GENERATED_IMPORTS: ReadonlySet<string> = new Set(['import keras', 'from keras import layers', 'import numpy as np']);

/**
 * `head(args)tail` on one line when it fits, else Black's split: the arguments on their own
 * line, or one per line with a trailing comma.
 */
function call(indent: string, head: string, args: readonly string[], tail: string): string[] {
  const one = `${indent}${head}(${args.join(', ')})${tail}`;
  if (one.length <= WIDTH) return [one];
  const inner = `${indent}${IND}${args.join(', ')}`;
  if (inner.length <= WIDTH && args.length <= 1) return [`${indent}${head}(`, inner, `${indent})${tail}`];
  return [`${indent}${head}(`, ...args.map((a) => `${indent}${IND}${a},`), `${indent})${tail}`];
}

/** `layers.Conv2D`, or `keras.Input` for an Input (`layers.ReLU` for a ThresholdedReLU: see `pyLayerArgs`). */
function ctor(n: LayerNode): string {
  if (n.kind === 'Input') return 'keras.Input';
  const kept = keptClass(n);
  if (kept) return kept.cls;
  const def = layerDef(n.kind)!;
  if (def.placeholder) return 'layers.Lambda';
  return `layers.${def.keras3?.kerasClass ?? def.kerasClass}`;
}

/** The ids of the nodes whose tensors are the model's outputs, each once (the model statement's lines map to them). */
const outputNodes = (p: Prepared): string[] => [...new Set(p.outputs.map((o) => o.node.id))];

/**
 * `model = keras.Sequential([keras.Input(...), layers..., ], name=...)`. An outer chain holding nested models (core
 * `outerApiPlan`): each nested model is written first, as in the Functional form (`nestedModel`), and is one item of
 * the list (`keras.Sequential([..., res_block, ...])`), which Keras calls on the tensor before it.
 */
function sequentialModel(p: Prepared, out: Emitter, settings: TrainingSettings): void {
  const blocked = blockedPlan(p, snakeBase, reservedWith(p.graph), settings);
  const input = p.inputs[0];
  const outs = outputNodes(p);
  for (const m of blocked?.models ?? []) nestedModel(m, out);
  const nested = new Map((blocked?.models ?? []).map((m) => [m.itf.block.id, m]));
  // Keras names the first Input 'input_layer' itself; any other name is written out.
  const inArgs = [`shape=${pyValue(input.params.shape)}`, ...(input.name === 'input_layer' ? [] : [`name=${pyString(input.name)}`])];
  out.add(['model = keras.Sequential(', `${IND}[`], 'model', outs);
  out.add(call(IND + IND, 'keras.Input', inArgs, ','), 'input', [input.id]);
  for (const n of blocked ? blocked.outer.layers : p.layers) {
    const m = nested.get(n.id);
    if (m) out.add([`${IND}${IND}${m.modelVar},`], 'layer', m.itf.members);
    else out.add(notes(n, IND + IND)).add(call(IND + IND, ctor(n), pyLayerArgs(n), ','), 'layer', [n.id]);
  }
  out.add([`${IND}],`, `${IND}name=${pyString(p.graph.name)},`, ')'], 'model', outs);
}

/**
 * What a Functional call passes to the layer, as Keras writes it: the tensors (as separate arguments for a
 * positional kind, `(query, value)`; the sequence and `initial_state=[h, c]` for a recurrent layer given initial
 * states; otherwise the one tensor or the list), then the call arguments that differ from Keras's defaults
 * (core `kerasCallArgs`: `use_causal_mask=True`).
 */
function callArguments(n: LayerNode, input: string, tensors: readonly string[]): string {
  const form = layerDef(n.kind)!.callForm;
  const parts =
    form === 'positional'
      ? [...tensors]
      : form === 'initialState' && tensors.length > 1
        ? [tensors[0], `initial_state=[${tensors.slice(1).join(', ')}]`]
        : [input];
  return [...parts, ...kerasCallArgs(n).map(([k, v]) => `${k}=${pyValue(v)}`)].join(', ');
}

/** The ids of every call of the layer `n` belongs to (one id for a layer called once; core `callsByLayer`). */
function callsOf(p: Prepared): (n: LayerNode) => string[] {
  const byLayer = callsByLayer(p.graph);
  return (n) => (byLayer.get(layerIdOf(n)) ?? [n]).map((c) => c.id);
}

/**
 * The Inputs and layer calls of a Functional plan (the outer model's, or a nested model's), one statement each, at
 * indentation `ind` ('' at the top level; a subclass's `__init__` builds a nested model in its body).
 */
function functionalBody(plan: FunctionalPlan, allCalls: (n: LayerNode) => string[], out: Emitter, ind = ''): void {
  for (const { node: n, output } of plan.inputs)
    out.add(call(ind, `${output} = keras.Input`, [`shape=${pyValue(n.params.shape)}`, `name=${pyString(n.name)}`], ''), 'input', [n.id]);
  out.add(['']);
  for (const { node: n, outputs, input, args: tensors, shared, block } of plan.calls) {
    // A layer with several outputs returns them as a list, unpacked in order (Keras's RNN guide:
    // `encoder_outputs, state_h, state_c = layers.LSTM(64, return_state=True)(x)`); so does a nested model.
    const target = outputs.join(', ');
    if (block) {
      // A call of a nested model (a block), written before (`nestedModel`): on its input, or the list of its inputs.
      out.add(call(ind, `${target} = ${shared!.layerVar}`, [input], ''), 'call', block.members);
      continue;
    }
    const args = pyLayerArgs(n);
    const arg = callArguments(n, input, tensors);
    // A note once per layer: at its declaration when it is shared.
    if (!shared || shared.declare) out.add(notes(n, ind));
    if (shared) {
      if (shared.declare)
        out
          .add([`${ind}# ${pyString(n.name)} is shared: one layer, one set of weights, called at each use.`])
          .add(call(ind, `${shared.layerVar} = ${ctor(n)}`, args, ''), 'layer', allCalls(n));
      out.add(call(ind, `${target} = ${shared.layerVar}`, [arg], ''), 'call', [n.id]);
      continue;
    }
    const one = `${ind}${target} = ${ctor(n)}(${args.join(', ')})(${arg})`;
    let lines: string[];
    if (one.length <= WIDTH) lines = [one];
    else if (`${ind}${target} = ${ctor(n)}(${args.join(', ')})(`.length <= WIDTH && ind.length + IND.length + arg.length <= WIDTH)
      lines = [`${ind}${target} = ${ctor(n)}(${args.join(', ')})(`, `${ind}${IND}${arg}`, `${ind})`];
    else lines = call(ind, `${target} = ${ctor(n)}`, args, `(${arg})`);
    out.add(lines, 'call', [n.id]);
  }
}

/**
 * A nested model (a block's first call, core/graph/blocks.ts): its own Inputs and layers, then
 * `name = keras.Model(inputs=…, outputs=…, name=…)`, which the outer model calls as one layer (Keras's nested
 * Functional model; a further call of it shares its weights). `ind` and `target` place it: at the top level in the
 * model's variable, or in a subclass's `__init__` (indented) in its attribute (`self.res_block`), as Keras's
 * subclassing guide composes models: Keras 3 then summarises the subclass with one `res_block (Functional)` row of
 * the nested model's output shape and count, as for the Functional form (checked by tests/keras/blocks.oracle).
 */
function nestedModel(m: BlockModel, out: Emitter, ind = '', target = m.modelVar): void {
  const name = m.itf.block.name;
  const calls = m.allMembers;
  out.add(
    commentLines(
      `'${name}' is a nested model (a block): a Functional model of its own, called as one layer${calls.length > m.itf.members.length ? ', here several times with the same weights' : ''}.`,
      `${ind}# `,
      WIDTH,
    ),
  );
  if (m.itf.first.sequential && isChainPlan(m.plan)) {
    // A nested Sequential (kept from a file): written as one, so Keras builds the class the summary shows.
    out.add([`${ind}${target} = keras.Sequential(`, `${ind}${IND}[`], 'model', calls);
    sequentialItems(m.plan, out, ind + IND + IND, true);
    out.add([`${ind}${IND}],`, `${ind}${IND}name=${pyString(name)},`, `${ind})`, ''], 'model', calls);
    return;
  }
  const allCalls = callsOf(m.prep);
  functionalBody(m.plan, allCalls, out, ind);
  const outs = outputNodes(m.prep);
  out
    .add([`${ind}${target} = keras.Model(`], 'model', calls)
    .add(
      [`${ind}${IND}inputs=${m.plan.inputList},`],
      'io',
      m.itf.inputs.flatMap((i) => i.slots.map((s) => s.node)),
    )
    .add([`${ind}${IND}outputs=${m.plan.outputList},`], 'io', outs)
    .add([`${ind}${IND}name=${pyString(name)},`, `${ind})`], 'model', calls)
    .add(['']);
}

/**
 * The items of a `keras.Sequential([...])` list for a chain plan, at indentation `ind`: its `keras.Input` (with its
 * name, unless `named` is false and the name is Keras's own 'input_layer') and one constructor per layer.
 */
function sequentialItems(plan: FunctionalPlan, out: Emitter, ind: string, named: boolean): void {
  const input = plan.inputs[0].node;
  const inArgs = [`shape=${pyValue(input.params.shape)}`, ...(!named && input.name === 'input_layer' ? [] : [`name=${pyString(input.name)}`])];
  out.add(call(ind, 'keras.Input', inArgs, ','), 'input', named ? [] : [input.id]);
  for (const { node: n } of plan.calls) out.add(notes(n, ind)).add(call(ind, ctor(n), pyLayerArgs(n), ','), 'layer', [n.id]);
}

function functionalModel(p: Prepared, out: Emitter, settings: TrainingSettings): void {
  // A shared layer is created once (one variable for the layer) and called at each use. A graph with blocks: the
  // nested models first, then the outer model, which calls them.
  const reserved = reservedWith(p.graph);
  const blocked = blockedPlan(p, snakeBase, reserved, settings);
  const plan = blocked ? blocked.plan : functionalPlan(p, snakeBase, reserved);
  const outs = outputNodes(p);
  for (const m of blocked?.models ?? []) nestedModel(m, out);
  functionalBody(plan, callsOf(p), out);
  out
    .add([''])
    .add(['model = keras.Model('], 'model', outs)
    .add(
      [`${IND}inputs=${plan.inputList},`],
      'io',
      plan.inputs.map((i) => i.node.id),
    )
    .add([`${IND}outputs=${plan.outputList},`], 'io', outs)
    .add([`${IND}name=${pyString(p.graph.name)},`, ')'], 'model', outs);
}

/**
 * Attribute names a `keras.Model` subclass already has (Keras 3.15: the public names of `dir()` of a subclass
 * instance, plus those compile and fit set, and tf.keras's): a layer attribute never takes one (`self.layers = …`
 * would fail: `layers` is a read-only property).
 */
export const KERAS_MODEL_ATTRS: ReadonlySet<string> = new Set(
  (
    'activity_regularizer add_loss add_metric add_variable add_weight autocast build build_from_config built call ' +
    'call_signature_parameters compile compile_from_config compiled compute_dtype compute_loss compute_loss_and_updates ' +
    'compute_mask compute_metrics compute_output_shape compute_output_spec count_params dtype dtype_policy evaluate export ' +
    'fit from_config get_build_config get_compile_config get_config get_layer get_metrics_result ' +
    'get_quantization_layer_structure get_state_tree get_weights input input_dtype input_spec jax_state_sync jit_compile ' +
    'layers load_own_variables load_weights loss losses make_predict_function make_test_function make_train_function ' +
    'metrics metrics_names metrics_variables name non_trainable_variables non_trainable_weights output path predict ' +
    'predict_function predict_on_batch predict_step quantization_mode quantize quantized_build quantized_call ' +
    'rematerialized_call reset_metrics run_eagerly save save_own_variables save_weights set_state_tree set_weights ' +
    'stateless_call stateless_compute_loss steps_per_execution summary supports_jit supports_masking symbolic_call ' +
    'test_function test_on_batch test_step to_json train_function train_on_batch train_step trainable ' +
    'trainable_variables trainable_weights variable_dtype variables weights ' +
    'optimizer history stop_training inputs outputs submodules name_scope updates distribute_strategy ' +
    'compiled_loss compiled_metrics loss_tracker seed_generator self'
  ).split(' '),
);

/**
 * The class name of a subclassed model, from the model's name in CamelCase: 'purchase_predictor' →
 * 'PurchasePredictor', 'my-cnn 2' → 'MyCnn2', '2nd' → 'Model2nd', '' → 'MyModel'; never a Python keyword
 * ('none' → 'NoneModel') nor a name the program uses.
 */
export function pyClassName(name: string): string {
  const w = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (!w.length) return 'MyModel';
  const id = w.map((s) => s[0].toUpperCase() + s.slice(1)).join('');
  if (/^[0-9]/.test(id)) return `Model${id}`;
  return PY_RESERVED.has(id) || ['Model', 'Sequential', 'Input'].includes(id) ? `${id}Model` : id;
}

/**
 * Model subclassing, following the seed document's pattern (`class PurchasePredictor(keras.Model)`): every layer
 * an attribute created in `__init__` with its name (so the summary and the weights match the other forms; a
 * shared layer is one attribute called at each use), wired in `call(self, inputs)` in the Functional plan's order
 * (`functionalPlan`: the same tensors, unpacking of several outputs, `initial_state=`, call arguments); several
 * inputs arrive as a list in the model's input order and several outputs leave as a tuple in
 * `analysis.outputTensors` order (a tuple, not a dict: `compile`'s loss list and the dummy labels are in that
 * order, and a layer with several outputs has one name). Then the model is called once on `keras.Input`s of the
 * input shapes: a subclassed model creates its weights only when first called, and Keras 3 then prints the
 * same counts and output shapes in `model.summary()` as for the Functional model.
 */
function subclassModel(p: Prepared, out: Emitter, settings: TrainingSettings): void {
  const reserved = new Set([...PY_RESERVED, 'self', 'inputs', 'super']);
  // A graph with blocks: the outer model (each block call one node) with each nested model built in __init__.
  const blocked = blockedPlan(p, snakeBase, reserved, settings);
  const outer = blocked ? blocked.outer : p;
  const plan = blocked ? blocked.plan : functionalPlan(p, snakeBase, reserved);
  const nested = new Map((blocked?.models ?? []).map((m) => [m.itf.block.id, m]));
  const flatCalls = callsOf(p);
  const allCalls = (n: LayerNode): readonly string[] => nested.get(n.id)?.allMembers ?? flatCalls(n);
  // One attribute per layer (a shared layer's calls share it), declared in the order of the layers' first calls.
  const position = new Map(outer.layers.map((n, i) => [n.id, i]));
  const groups = [...callsByLayer(outer.graph).values()]
    .filter((calls) => calls.some((c) => position.has(c.id)))
    .sort((a, b) => Math.min(...a.map((c) => position.get(c.id) ?? Infinity)) - Math.min(...b.map((c) => position.get(c.id) ?? Infinity)));
  const declared = groups.map((calls) => calls[0]);
  const attrs = identifiers(
    declared.map((n) => n.name),
    snakeBase,
    new Set([...PY_RESERVED, ...KERAS_MODEL_ATTRS]),
  );
  const attrOf = new Map(groups.flatMap((calls, i) => calls.map((c) => [c.id, attrs[i]] as const)));
  const I2 = IND + IND;
  // Not the name of a kept layer class (a model 'encoder' and a layer class Encoder, as in Keras's VAE tutorial).
  const className = ((c) => (reservedWith(p.graph).has(c) ? `${c}Model` : c))(pyClassName(p.graph.name));
  out.add([`class ${className}(keras.Model):`, `${IND}def __init__(self, **kwargs):`, `${I2}super().__init__(**kwargs)`], 'model');
  for (const n of declared) {
    const m = nested.get(n.id);
    if (m) {
      // A nested model: built functionally here, from keras.Inputs of its input shapes, and called in call().
      nestedModel(m, out, I2, `self.${attrOf.get(n.id)!}`);
      continue;
    }
    out.add(notes(n, I2));
    if (allCalls(n).length > 1) out.add([`${I2}# ${pyString(n.name)} is shared: one layer, one set of weights, called at each use.`]);
    out.add(call(I2, `self.${attrOf.get(n.id)!} = ${ctor(n)}`, pyLayerArgs(n), ''), 'layer', allCalls(n));
  }
  out.add(['']).add([`${IND}def call(self, inputs):`], 'model');
  const ins = plan.inputs.map((i) => i.output);
  const inIds = plan.inputs.map((i) => i.node.id);
  if (ins.length > 1) {
    out.add(commentLines(`The inputs, in the model's input order: ${plan.inputs.map((i) => `'${i.node.name}'`).join(', ')}.`, `${I2}# `, WIDTH));
    const one = `${I2}${ins.join(', ')} = inputs`;
    out.add(one.length <= WIDTH ? [one] : [`${I2}(`, ...ins.map((v) => `${I2}${IND}${v},`), `${I2}) = inputs`], 'io', inIds);
  } else out.add([`${I2}${ins[0]} = inputs`], 'io', inIds);
  for (const { node: n, outputs, input, args: tensors, block } of plan.calls)
    out.add(
      call(I2, `${outputs.join(', ')} = self.${attrOf.get(n.id)!}`, [block ? input : callArguments(n, input, tensors)], ''),
      'call',
      block ? block.members : [n.id],
    );
  const results = outer.outputs.map(
    (o) => plan.calls.find((c) => c.node.id === o.node.id)?.outputs[o.output] ?? plan.inputs.find((i) => i.node.id === o.node.id)!.output,
  );
  const ret = `${I2}return ${results.join(', ')}`;
  const outs = outputNodes(p);
  if (results.length > 1) out.add([`${I2}# The outputs as a tuple, in the order of the losses below.`]);
  out.add(ret.length <= WIDTH ? [ret] : [`${I2}return (`, ...results.map((r) => `${I2}${IND}${r},`), `${I2})`], 'io', outs);
  out.add(['', '']).add([`model = ${className}(name=${pyString(p.graph.name)})`], 'model');
  out.add([
    '# A subclassed model creates its weights when first called: calling it once on symbolic inputs',
    '# of the input shapes builds every layer, so that model.summary() prints the shapes and counts.',
  ]);
  const inputs = plan.inputs.map(({ node: n }) => `keras.Input(shape=${pyValue(n.params.shape)}, name=${pyString(n.name)})`);
  const arg = inputs.length === 1 ? inputs[0] : `[${inputs.join(', ')}]`;
  const oneLine = `model(${arg})`;
  let lines: string[];
  if (oneLine.length <= WIDTH) lines = [oneLine];
  else if (inputs.length === 1) lines = ['model(', `${IND}${arg}`, ')'];
  else lines = ['model(', `${IND}[`, ...inputs.map((i) => `${I2}${i},`), `${IND}]`, ')'];
  out.add(lines, 'model', inIds);
}

/** `key=[a, b],` at `indent` on one line when it fits in WIDTH, else Black's split: one item per line, trailing commas. */
function keywordList(indent: string, key: string, items: readonly string[]): string[] {
  const one = `${indent}${key}=[${items.join(', ')}],`;
  if (one.length <= WIDTH) return [one];
  return [`${indent}${key}=[`, ...items.map((it) => `${indent}${IND}${it},`), `${indent}],`];
}

function compile(p: Prepared, s: TrainingSettings): string[] {
  const outs = p.outputs;
  const one = outs.length === 1;
  return [
    'model.compile(',
    `${IND}optimizer=keras.optimizers.${OPTIMIZER_DEFS[s.optimizer].kerasClass}(learning_rate=${s.learningRate}),`,
    ...(one ? [] : [`${IND}# One loss and one list of metrics per output, in the order of \`outputs\`.`]),
    ...(one
      ? [`${IND}loss=${pyString(outs[0].target.kerasLoss)},`]
      : keywordList(
          IND,
          'loss',
          outs.map((o) => pyString(o.target.kerasLoss)),
        )),
    ...keywordList(IND, 'metrics', one ? [pyString(outs[0].target.metric)] : outs.map((o) => `[${pyString(o.target.metric)}]`)),
    ')',
  ];
}

/** NumPy expression for the dummy labels of one output. */
function labels(o: OutputSpec): string {
  const dims = ['num_samples', ...o.target.labelShape].join(', ');
  if (o.target.kind === 'classes') return `np.random.randint(0, ${o.target.classes}, size=(${dims}))`;
  if (o.target.kind === 'binary') return `np.random.randint(0, 2, size=(${dims})).astype("float32")`;
  return `np.random.randn(${dims}).astype("float32")`;
}

function dummyData(p: Prepared, s: TrainingSettings): string[] {
  const data = (name: string, items: { code: string; note: string }[]) =>
    items.length === 1 ? [`${name} = ${items[0].code}  # ${items[0].note}`] : [`${name} = [`, ...items.map((it) => `${IND}${it.code},  # ${it.note}`), ']'];
  return [
    `# Dummy data to try training: ${s.samples} random samples (replace with your own data).`,
    ...(p.trialNote ? [`# The model leaves some sizes unknown (None); the data uses trial sizes: ${p.trialNote}.`] : []),
    `num_samples = ${s.samples}`,
    ...data(
      'x',
      p.inputs.map((n, i) => ({
        code: `np.random.rand(num_samples, ${p.dataShapes[i].join(', ')}).astype("float32")`,
        note: `'${commentText(n.name)}': uniform in [0, 1)`,
      })),
    ),
    ...data(
      'y',
      p.outputs.map((o) => ({ code: labels(o), note: `${outputLabel(o)}: ${labelDescription(o.target)}` })),
    ),
  ];
}

/**
 * Python (Keras 3 / tf.keras) that builds, summarises, compiles and trains the graph's model on NumPy
 * dummy data. `form` picks `keras.Sequential([...])`, `keras.Model(inputs=…, outputs=…)` or a `keras.Model`
 * subclass (`subclassModel`); arguments are core `kerasArgs` (snake_case, non-default only), inputs and outputs
 * in core `analyze`'s order. The result maps each line to the nodes it builds and says what it is part of
 * (`CodeResult`), recorded as each line is written.
 * @returns the code, or `{ ok: false, reason }` when the graph has errors or Sequential is impossible.
 */
export function generatePython(graph: Graph, settings: TrainingSettings, form: ApiForm): CodeResult {
  const r = prepare(graph, form, settings);
  if (!r.ok) return r;
  const p = r.prep;
  const what = form === 'sequential' ? 'a Keras Sequential model' : form === 'functional' ? 'a Keras Functional model' : 'a Keras model subclass';
  const explanation = form === 'subclassing' ? `${p.api.explanation} ${SUBCLASSING_NOTE}` : p.api.explanation;
  const out = new Emitter();
  out.add([
    `# ${commentText(graph.name)}: ${what}, generated by Layerlab.`,
    `# ${parameterLine(p.analysis)}.`,
    ...commentLines(explanation, '# ', WIDTH),
    '',
    // `import keras`, not `from tensorflow import keras`: the program then runs on Keras 3 with any
    // backend (JAX, PyTorch, TensorFlow; `pip install keras jax` has no TensorFlow) and on TensorFlow
    // 2.16+, whose Keras is Keras 3 (found by the Keras oracle, tests/keras/).
    'import keras',
    'from keras import layers',
    'import numpy as np',
  ]);
  // The user's layer classes kept from pasted code (Opaque `python_source`), each once, before the model uses them.
  const kept = keptSources(graph);
  if (kept.usesTf)
    out.add(
      commentLines(
        'The layer classes below use TensorFlow (tf.): they run with the TensorFlow backend only (Keras 3 on JAX or PyTorch has no tf).',
        '# ',
        WIDTH,
      ),
    );
  out.add(kept.imports);
  if (kept.constants.length) out.add(['', ...kept.constants]);
  for (const part of kept.parts) out.add(['', '']).add(part.text, 'other', part.nodes);
  out.add([
    '',
    // Black leaves two blank lines before a top-level class, and after one.
    ...(form === 'subclassing' || kept.parts.length ? [''] : []),
  ]);
  if (form === 'sequential') sequentialModel(p, out, settings);
  else if (form === 'functional') functionalModel(p, out, settings);
  else subclassModel(p, out, settings);
  out.add(['model.summary()'], 'train').add(['']).add(compile(p, settings), 'train').add(['']);
  if (p.dataProblem) out.add(commentLines(`No dummy data and no model.fit: ${p.dataProblem}.`, '# ', 100));
  else
    out
      .add(dummyData(p, settings), 'train')
      .add([''])
      .add([`model.fit(x, y, epochs=${settings.epochs}, batch_size=${settings.batchSize})`], 'train');
  return out.result();
}
