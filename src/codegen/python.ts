/**
 * Python for Keras from a graph: the model (`keras.Sequential` or `keras.Model`), `summary()`, `compile`,
 * NumPy dummy data and `fit`. Pure: it writes text. Formatted the way Black would: 4-space indent,
 * lines of at most 88 characters, magic trailing commas in broken calls.
 */
import {
  innerLayer,
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
import {
  commentLines,
  commentText,
  functionalPlan,
  labelDescription,
  outputLabel,
  parameterLine,
  prepare,
  pyString,
  PY_RESERVED,
  snakeBase,
  type ApiForm,
  type CodeResult,
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

/** The arguments of a layer constructor without `name` (see `pyLayerArgs`). */
function pyArgs(node: LayerNode): string[] {
  const def = layerDef(node.kind)!;
  // A layer Layerlab cannot run (an opaque node: a Lambda from a file) is written as a placeholder Lambda.
  const stand = def.placeholder?.(node.params, node.name);
  if (stand) return placeholderArgs(stand.outputShape);
  // A class Keras 3 lacks is written as its Keras 3 equivalent, every argument by keyword.
  if (def.keras3) return def.keras3.args(node.params).map(([k, v]) => `${k}=${pyValue(v)}`);
  const inner = innerLayer(node);
  const out: string[] = inner ? [`${ctor(inner)}(${pyArgs(inner).join(', ')})`] : [];
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
 * lists parameters in Keras's signature order — then the other non-default ones as keywords, then `name`.
 * A kind Keras 3 has no class for is written as its equivalent (ThresholdedReLU → `ReLU(threshold=θ)`).
 */
export function pyLayerArgs(node: LayerNode): string[] {
  return [...pyArgs(node), `name=${pyString(node.name)}`];
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
  const note = layerDef(n.kind)?.keras3?.note ?? layerDef(n.kind)?.placeholder?.(n.params, n.name).note;
  return note ? commentLines(note, `${indent}# `, WIDTH) : [];
};

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
  const def = layerDef(n.kind)!;
  if (def.placeholder) return 'layers.Lambda';
  return `layers.${def.keras3?.kerasClass ?? def.kerasClass}`;
}

function sequentialModel(p: Prepared): string[] {
  const input = p.inputs[0];
  // Keras names the first Input 'input_layer' itself; any other name is written out.
  const inArgs = [`shape=${pyValue(input.params.shape)}`, ...(input.name === 'input_layer' ? [] : [`name=${pyString(input.name)}`])];
  return [
    'model = keras.Sequential(',
    `${IND}[`,
    ...call(IND + IND, 'keras.Input', inArgs, ','),
    ...p.layers.flatMap((n) => [...notes(n, IND + IND), ...call(IND + IND, ctor(n), pyLayerArgs(n), ',')]),
    `${IND}],`,
    `${IND}name=${pyString(p.graph.name)},`,
    ')',
  ];
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

function functionalModel(p: Prepared): string[] {
  // A shared layer is created once (one variable for the layer) and called at each use.
  const plan = functionalPlan(p, snakeBase, PY_RESERVED);
  const lines: string[] = [];
  for (const { node: n, output } of plan.inputs)
    lines.push(...call('', `${output} = keras.Input`, [`shape=${pyValue(n.params.shape)}`, `name=${pyString(n.name)}`], ''));
  lines.push('');
  for (const { node: n, outputs, input, args: tensors, shared } of plan.calls) {
    const args = pyLayerArgs(n);
    const arg = callArguments(n, input, tensors);
    // A layer with several outputs returns them as a list, unpacked in order (Keras's RNN guide:
    // `encoder_outputs, state_h, state_c = layers.LSTM(64, return_state=True)(x)`).
    const target = outputs.join(', ');
    // A note once per layer: at its declaration when it is shared.
    if (!shared || shared.declare) lines.push(...notes(n, ''));
    if (shared) {
      if (shared.declare)
        lines.push(
          `# ${pyString(n.name)} is shared: one layer, one set of weights, called at each use.`,
          ...call('', `${shared.layerVar} = ${ctor(n)}`, args, ''),
        );
      lines.push(...call('', `${target} = ${shared.layerVar}`, [arg], ''));
      continue;
    }
    const one = `${target} = ${ctor(n)}(${args.join(', ')})(${arg})`;
    if (one.length <= WIDTH) lines.push(one);
    else if (`${target} = ${ctor(n)}(${args.join(', ')})(`.length <= WIDTH && IND.length + arg.length <= WIDTH)
      lines.push(`${target} = ${ctor(n)}(${args.join(', ')})(`, `${IND}${arg}`, ')');
    else lines.push(...call('', `${target} = ${ctor(n)}`, args, `(${arg})`));
  }
  lines.push('', 'model = keras.Model(', `${IND}inputs=${plan.inputList},`, `${IND}outputs=${plan.outputList},`, `${IND}name=${pyString(p.graph.name)},`, ')');
  return lines;
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
 * dummy data. `form` picks `keras.Sequential([...])` or `keras.Model(inputs=…, outputs=…)`; arguments are
 * core `kerasArgs` (snake_case, non-default only), inputs and outputs in core `analyze`'s order.
 * @returns the code, or `{ ok: false, reason }` when the graph has errors or Sequential is impossible.
 */
export function generatePython(graph: Graph, settings: TrainingSettings, form: ApiForm): CodeResult {
  const r = prepare(graph, form, settings);
  if (!r.ok) return r;
  const p = r.prep;
  const api = form === 'sequential' ? 'Sequential' : 'Functional';
  const lines = [
    `# ${commentText(graph.name)}: a Keras ${api} model, generated by Layerlab.`,
    `# ${parameterLine(p.analysis)}.`,
    ...commentLines(p.api.explanation, '# ', WIDTH),
    '',
    // `import keras`, not `from tensorflow import keras`: the program then runs on Keras 3 with any
    // backend (JAX, PyTorch, TensorFlow; `pip install keras jax` has no TensorFlow) and on TensorFlow
    // 2.16+, whose Keras is Keras 3 (found by the Keras oracle, tests/keras/).
    'import keras',
    'from keras import layers',
    'import numpy as np',
    '',
    ...(form === 'sequential' ? sequentialModel(p) : functionalModel(p)),
    'model.summary()',
    '',
    ...compile(p, settings),
    '',
    ...(p.dataProblem
      ? commentLines(`No dummy data and no model.fit: ${p.dataProblem}.`, '# ', 100)
      : [...dummyData(p, settings), '', `model.fit(x, y, epochs=${settings.epochs}, batch_size=${settings.batchSize})`]),
  ];
  return { ok: true, code: lines.join('\n') + '\n' };
}
