/**
 * TypeScript for TensorFlow.js 4.22 from a graph: the model (Sequential or Functional), `summary()`,
 * `compile`, dummy data and `fit`. Pure: it writes text and never imports tfjs.
 */
import { keptPython } from '../core/layers/opaque';
import {
  callsByLayer,
  layerIdOf,
  usesCustomLayer,
  innerLayer,
  kerasClassOf,
  layerDef,
  OPTIMIZER_DEFS,
  tfjsArgs,
  tfjsNote,
  type ArgValue,
  type Graph,
  type LayerNode,
  type Shape,
  type TrainingSettings,
  isList,
} from '../core';
import { TFJS_NO_SUBCLASSING } from './api';
import {
  blockedPlan,
  camelBase,
  commentLines,
  commentText,
  Emitter,
  functionalPlan,
  isChainPlan,
  JS_RESERVED,
  labelDescription,
  outputLabel,
  parameterLine,
  prepare,
  tsString,
  type ApiForm,
  type BlockModel,
  type CodeResult,
  type FunctionalPlan,
  type OutputSpec,
  type Prepared,
} from './common';

/** Longest line before a call or object is broken over several lines. */
const WIDTH = 120;
const IND = '  ';

/** A value as a TypeScript literal: numbers, booleans, null, strings in single quotes, arrays (nested too). */
export function tsValue(v: ArgValue): string {
  if (v === null) return 'null';
  if (isList(v)) return `[${v.map((x) => tsValue(x)).join(', ')}]`;
  if (typeof v === 'string') return tsString(v);
  return String(v);
}

/** An object key: bare when it is an identifier, quoted otherwise. */
const tsKey = (k: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : tsString(k));

/** `{ a: 1, b: 'x' }` on one line when `lead` (the other characters on its line) plus it fits, else one entry per line. */
function tsObject(entries: readonly (readonly [string, string])[], indent: string, lead: number): string {
  const parts = entries.map(([k, v]) => `${tsKey(k)}: ${v}`);
  const one = parts.length ? `{ ${parts.join(', ')} }` : '{}';
  if (lead + one.length <= WIDTH) return one;
  return `{\n${parts.map((s) => `${indent}${IND}${s},`).join('\n')}\n${indent}}`;
}

/** The module generated code imports Layerlab's custom layers from (the kinds tfjs lacks; core `LayerDef.customLayer`). */
export const CUSTOM_LAYERS_MODULE = './layerlab-layers';

/** Where a kind's factory lives: `tf.layers`, or `layerlab` for a custom layer. */
const factoryModule = (node: LayerNode): string => (usesCustomLayer(node) ? 'layerlab' : 'tf.layers');

/** `tf.layers.dense` or `layerlab.spatialDropout2d`. */
const factory = (node: LayerNode): string => `${factoryModule(node)}.${layerDef(node.kind)!.tfjsFactory}`;

/** True when the graph uses a kind tfjs lacks (the code then imports CUSTOM_LAYERS_MODULE), wrapped layers included. */
export const usesCustomLayers = (graph: Graph): boolean =>
  graph.nodes.some((n) => {
    if (!layerDef(n.kind)) return false;
    const inner = innerLayer(n);
    return usesCustomLayer(n) || (!!inner && usesCustomLayer(inner));
  });

/** The node's input shapes from the analysis (tfjs needs some arguments resolved from them, e.g. a Reshape −1). */
const inputShapesOf = (p: Prepared, node: LayerNode): readonly Shape[] => p.analysis.nodes.get(node.id)!.inputShapes as Shape[];

/** The non-default tfjs arguments of a layer, a wrapper's `layer: tf.layers.lstm({…})` first. */
function argEntries(node: LayerNode, inputShapes?: readonly Shape[]): [string, string][] {
  const inner = innerLayer(node);
  const wrapped: [string, string][] = inner ? [['layer', `${factory(inner)}(${tsObject(argEntries(inner), '', -Infinity)})`]] : [];
  return [...wrapped, ...Object.entries(tfjsArgs(node, { onlyNonDefault: true }, inputShapes)).map(([k, v]): [string, string] => [k, tsValue(v)])];
}

/** The config entries of a layer: `inputShape` first when given, then the non-default arguments, `name` last. */
function layerEntries(p: Prepared, node: LayerNode, inputShape?: readonly number[]): [string, string][] {
  return [
    ...(inputShape ? [['inputShape', tsValue(inputShape)] as [string, string]] : []),
    ...argEntries(node, inputShapesOf(p, node)),
    ['name', tsString(node.name)],
  ];
}

/** Comment lines above a layer whose tfjs arguments differ from the node's (see core `tfjsNote`). */
const notes = (p: Prepared, node: LayerNode, indent: string): string[] => {
  const note = tfjsNote(node, inputShapesOf(p, node));
  return note ? commentLines(note, `${indent}// `, WIDTH) : [];
};

/**
 * tf.sequential names its input layer '<first layer>_input' and refuses a model where another layer has
 * that name ("The name … is used 2 times in the model"). Returns the reason to show, or null.
 */
function sequentialInputClash(p: Prepared): string | null {
  const auto = `${p.layers[0].name}_input`;
  if (!p.layers.some((n) => n.name === auto)) return null;
  return `tf.sequential names the input layer '${auto}' after the first layer, and a layer already has that name; rename it, or use the Functional API.`;
}

/** The ids of the nodes whose tensors are the model's outputs, each once (the model statement's lines map to them). */
const outputNodes = (p: Prepared): string[] => [...new Set(p.outputs.map((o) => o.node.id))];

/**
 * `const model = tf.sequential({ name, layers: [...] })`, the first layer declaring the input shape. An outer chain
 * holding nested models (core `outerApiPlan`): each nested model is declared first, as in the Functional form
 * (`nestedModel`), and is one item of the list, which tf.sequential applies to the tensor before it; when the chain
 * starts with one, a `tf.layers.inputLayer` of the Input's shape and name comes first (a model given as the first
 * layer would lend the Sequential its own inputs and layers instead of being one layer).
 */
function sequentialModel(p: Prepared, out: Emitter, settings: TrainingSettings): void {
  const blocked = blockedPlan(p, camelBase, JS_RESERVED, settings);
  const shape = p.inputs[0].params.shape as readonly number[];
  const outs = outputNodes(p);
  for (const m of blocked?.models ?? []) nestedModel(m, out);
  const nested = new Map((blocked?.models ?? []).map((m) => [m.itf.block.id, m]));
  const layers = blocked ? blocked.outer.layers : p.layers;
  const inputFirst = nested.has(layers[0].id);
  out
    .add([
      inputFirst
        ? `// The input layer declares the input shape (one sample, without the batch axis); then the layers in order.`
        : `// The layers in order; the first one declares the input shape (one sample, without the batch axis).`,
    ])
    .add(['const model = tf.sequential({', `${IND}name: ${tsString(p.graph.name)},`, `${IND}layers: [`], 'model', outs);
  if (inputFirst) {
    const head = `${IND}${IND}tf.layers.inputLayer(`;
    const entries: [string, string][] = [
      ['inputShape', tsValue(shape)],
      ['name', tsString(p.inputs[0].name)],
    ];
    out.add(`${head}${tsObject(entries, IND + IND, head.length + 2)}),`.split('\n'), 'input', [p.inputs[0].id]);
  }
  layers.forEach((n, i) => {
    const m = nested.get(n.id);
    if (m) {
      out.add([`${IND}${IND}${m.modelVar},`], 'layer', m.itf.members);
      return;
    }
    const head = `${IND}${IND}${factory(n)}(`;
    const first = i === 0 && !inputFirst;
    // The first layer declares the input shape: its line stands for the Input too.
    out
      .add(notes(p, n, IND + IND))
      .add(
        `${head}${tsObject(layerEntries(p, n, first ? shape : undefined), IND + IND, head.length + 2)}),`.split('\n'),
        'layer',
        first ? [p.inputs[0].id, n.id] : [n.id],
      );
  });
  out.add([`${IND}],`, '});'], 'model', outs);
}

/** The Inputs and layer calls of a Functional plan (the outer model's, or a nested model's, `p` its prepared form). */
function functionalBody(p: Prepared, plan: FunctionalPlan, out: Emitter): void {
  const byLayer = callsByLayer(p.graph);
  out.add([
    p.inputs.length === 1
      ? '// The input: the shape of one sample, without the batch axis.'
      : '// The inputs: the shape of one sample each, without the batch axis.',
  ]);
  for (const { node: n, output } of plan.inputs) {
    const head = `const ${output} = tf.input(`;
    const entries: [string, string][] = [
      ['shape', tsValue(n.params.shape)],
      ['name', tsString(n.name)],
    ];
    out.add(`${head}${tsObject(entries, '', head.length + 2)});`.split('\n'), 'input', [n.id]);
  }
  out.add(['', '// Each layer is created, then applied to the tensor(s) it reads.']);
  for (const { node: n, outputs, read, input: arg, args: tensors, shared, block } of plan.calls) {
    if (block) {
      // A call of a nested model (a block), declared before (`nestedModel`): applied to its input or the list of its inputs.
      const many = outputs.length > 1;
      const last = read.lastIndexOf(true);
      const target = many
        ? `[${outputs
            .slice(0, last + 1)
            .map((o, k) => (read[k] ? o : ''))
            .join(', ')}]`
        : outputs[0];
      out.add([`const ${target} = ${shared!.layerVar}.apply(${arg}) as ${many ? 'tf.SymbolicTensor[]' : 'tf.SymbolicTensor'};`], 'call', block.members);
      continue;
    }
    const cfg = layerEntries(p, n);
    out.add(notes(p, n, ''));
    // A recurrent layer given initial states is applied to the list [sequence, ...states], the form tfjs's RNN.apply
    // reads (tfjs-layers recurrent.ts standardizeArgs) and the one Layerlab's runtime builds (core callInput); the
    // other form, apply(x, { initialState }), builds the same model.
    if (layerDef(n.kind)!.callForm === 'initialState' && tensors.length > 1)
      out.add([`// '${commentText(n.name)}' starts from the initial states ${tensors.slice(1).join(', ')} (Keras: initial_state=[...]).`]);
    // A layer with several outputs returns an array, destructured in order (`outputNamesOf`); outputs nothing
    // reads are left as holes, so the program has no unused variable.
    const many = outputs.length > 1;
    const last = read.lastIndexOf(true);
    const target = many
      ? `[${outputs
          .slice(0, last + 1)
          .map((o, k) => (read[k] ? o : ''))
          .join(', ')}]`
      : outputs[0];
    const cast = many ? 'tf.SymbolicTensor[]' : 'tf.SymbolicTensor';
    if (shared) {
      if (shared.declare) {
        const head = `const ${shared.layerVar} = ${factory(n)}(`;
        out.add([`// '${commentText(n.name)}' is shared: one layer, one set of weights, applied at each call.`]).add(
          `${head}${tsObject(cfg, '', head.length)});`.split('\n'),
          'layer',
          (byLayer.get(layerIdOf(n)) ?? [n]).map((c) => c.id),
        );
      }
      out.add([`const ${target} = ${shared.layerVar}.apply(${arg}) as ${cast};`], 'call', [n.id]);
      continue;
    }
    const one = `const ${target} = ${factory(n)}(${tsObject(cfg, '', -Infinity)}).apply(${arg}) as ${cast};`;
    if (one.length <= WIDTH) out.add([one], 'call', [n.id]);
    else {
      const mid = `${IND}.${layerDef(n.kind)!.tfjsFactory}(`;
      out.add(
        [`const ${target} = ${factoryModule(n)}`, ...`${mid}${tsObject(cfg, IND, mid.length + 1)})`.split('\n'), `${IND}.apply(${arg}) as ${cast};`],
        'call',
        [n.id],
      );
    }
  }
}

/**
 * A nested model (a block's first call, core/graph/blocks.ts): its own Inputs and layers, then
 * `const name = tf.model({ name, inputs, outputs })`, which the outer model applies as one layer (a further call
 * shares its weights); a nested Sequential kept from a file (`Block.sequential`) as `tf.sequential({ name, layers })`.
 */
function nestedModel(m: BlockModel, out: Emitter): void {
  const name = m.itf.block.name;
  const several = m.allMembers.length > m.itf.members.length;
  out.add(
    commentLines(
      `'${name}' is a nested model (a block): a model of its own, applied as one layer${several ? ', here several times with the same weights' : ''}.`,
      '// ',
      WIDTH,
    ),
  );
  if (m.itf.first.sequential && isChainPlan(m.plan)) {
    // A nested Sequential (kept from a file): written as one, so tfjs builds the class the summary shows; its input
    // layer first, with the name the file gave it.
    const input = m.plan.inputs[0].node;
    out.add([`const ${m.modelVar} = tf.sequential({`, `${IND}name: ${tsString(name)},`, `${IND}layers: [`], 'model', m.allMembers);
    const head = `${IND}${IND}tf.layers.inputLayer(`;
    const entries: [string, string][] = [
      ['inputShape', tsValue(input.params.shape)],
      ['name', tsString(input.name)],
    ];
    out.add(`${head}${tsObject(entries, IND + IND, head.length + 2)}),`.split('\n'), 'input', []);
    for (const { node: n } of m.plan.calls) {
      const h = `${IND}${IND}${factory(n)}(`;
      out.add(notes(m.prep, n, IND + IND)).add(`${h}${tsObject(layerEntries(m.prep, n), IND + IND, h.length + 2)}),`.split('\n'), 'layer', [n.id]);
    }
    out.add([`${IND}],`, '});', ''], 'model', m.allMembers);
    return;
  }
  functionalBody(m.prep, m.plan, out);
  const outs = outputNodes(m.prep);
  out
    .add([`const ${m.modelVar} = tf.model({`, `${IND}name: ${tsString(name)},`], 'model', m.allMembers)
    .add(
      [`${IND}inputs: ${m.plan.inputList},`],
      'io',
      m.itf.inputs.flatMap((i) => i.slots.map((x) => x.node)),
    )
    .add([`${IND}outputs: ${m.plan.outputList},`], 'io', outs)
    .add(['});', ''], 'model', m.allMembers);
}

function functionalModel(p: Prepared, out: Emitter, settings: TrainingSettings): void {
  // A shared layer is declared once (one variable for the layer) and applied at each call. A graph with blocks: the
  // nested models first, then the outer model, which applies them.
  const blocked = blockedPlan(p, camelBase, JS_RESERVED, settings);
  const plan = blocked ? blocked.plan : functionalPlan(p, camelBase, JS_RESERVED);
  const outs = outputNodes(p);
  for (const m of blocked?.models ?? []) nestedModel(m, out);
  functionalBody(p, plan, out);
  out
    .add([''])
    .add(['const model = tf.model({', `${IND}name: ${tsString(p.graph.name)},`], 'model', outs)
    .add(
      [`${IND}inputs: ${plan.inputList},`],
      'io',
      plan.inputs.map((i) => i.node.id),
    )
    .add([`${IND}outputs: ${plan.outputList},`], 'io', outs)
    .add(['});'], 'model', outs);
}

/** How a loss shape reads in a comment: `(batch, 5)` for the labels' shape without the last axis. */
const lossShape = (o: OutputSpec): string => `(${['batch', ...o.target.labelShape.slice(0, -1)].join(', ')})`;

/**
 * Lines after `compile` for a model whose outputs' losses have different shapes (an LSTM's sequence, whose loss is
 * (batch, steps), next to its state, (batch)): tfjs 4.22 adds the outputs' unreduced losses before taking their mean
 * (tfjs-layers engine/training.ts `makeTrainFunction`), which then fails to broadcast ("Operands could not be broadcast
 * together"), so each loss is first averaged over its axes after the batch. The total is the same mean over all
 * positions (every sample has as many), as Keras computes it; Layerlab's runtime does the same (runtime/train.ts
 * `perSampleLosses`). Empty when every output's loss has one shape, the common case.
 */
function perSampleLosses(p: Prepared): string[] {
  const shapes = [...new Set(p.outputs.map(lossShape))];
  if (shapes.length < 2) return [];
  return [
    ...commentLines(
      `tfjs 4.22 adds the outputs' losses before averaging them, which fails for losses of different shapes, here ${shapes.slice(0, -1).join(', ')} and ${shapes[shapes.length - 1]}: average each one per sample first (the total is the same mean).`,
      '// ',
      100,
    ),
    'model.lossFunctions = model.lossFunctions.map((loss) => (yTrue: tf.Tensor, yPred: tf.Tensor) => {',
    `${IND}const l = loss(yTrue, yPred);`,
    `${IND}return l.rank > 1 ? l.mean(Array.from({ length: l.rank - 1 }, (_, i) => i + 1)) : l;`,
    '});',
  ];
}

function compile(p: Prepared, s: TrainingSettings): string[] {
  const outs = p.outputs;
  const loss = outs.length === 1 ? tsString(outs[0].target.loss) : `[${outs.map((o) => tsString(o.target.loss)).join(', ')}]`;
  // Several outputs: tfjs applies a metrics *array* to every output, so metrics go per output name. tfjs names
  // each output after its layer (tfjs-layers container.ts `outputNames`), so the outputs of a layer with several
  // share one key, and tfjs gives them all that key's metric (training.ts `collectMetrics`): the first one's.
  const byName = new Map<string, string>();
  for (const o of outs) if (!byName.has(o.node.name)) byName.set(o.node.name, o.target.metric);
  const metrics =
    outs.length === 1
      ? `[${tsString(outs[0].target.metric)}]`
      : tsObject(
          [...byName].map(([name, metric]) => [name, tsString(metric)] as const),
          IND,
          IND.length + 9,
        );
  const lossComment = outs.length > 1 ? [`${IND}// One loss per output, in the order of \`outputs\`.`] : [];
  return [
    'model.compile({',
    `${IND}optimizer: tf.train.${OPTIMIZER_DEFS[s.optimizer].tfjsFactory}(${s.learningRate}),`,
    ...lossComment,
    `${IND}loss: ${loss},`,
    `${IND}metrics: ${metrics},`,
    '});',
    ...perSampleLosses(p),
  ];
}

/** `tf.…` creating the dummy labels of one output (`tf.tidy` frees the uniform tensor `tf.floor` reads). */
function labelTensor(o: OutputSpec): string {
  const shape = `[numSamples, ${o.target.labelShape.join(', ')}]`;
  if (o.target.kind === 'classes') return `tf.tidy(() => tf.floor(tf.randomUniform(${shape}, 0, ${o.target.classes})))`;
  if (o.target.kind === 'binary') return `tf.tidy(() => tf.floor(tf.randomUniform(${shape}, 0, 2)))`;
  return `tf.randomNormal(${shape})`;
}

function dummyData(p: Prepared, s: TrainingSettings): string[] {
  const xsOf = (i: number) => `tf.randomUniform([numSamples, ${p.dataShapes[i].join(', ')}])`;
  const tensors = (name: string, items: { code: string; note: string }[]) =>
    items.length === 1
      ? [`const ${name} = ${items[0].code}; // ${items[0].note}`]
      : [`const ${name} = [`, ...items.map((it) => `${IND}${it.code}, // ${it.note}`), '];'];
  return [
    `// Dummy data to try training: ${s.samples} random samples (replace with your own data).`,
    ...(p.trialNote ? [`// The model leaves some sizes unknown (null); the data uses trial sizes: ${p.trialNote}.`] : []),
    `const numSamples = ${s.samples};`,
    ...tensors(
      'xs',
      p.inputs.map((n, i) => ({ code: xsOf(i), note: `'${commentText(n.name)}': uniform in [0, 1)` })),
    ),
    ...tensors(
      'ys',
      p.outputs.map((o) => ({ code: labelTensor(o), note: `${outputLabel(o)}: ${labelDescription(o.target)}` })),
    ),
  ];
}

/**
 * TypeScript for tfjs 4.22 that builds, summarises, compiles and trains the graph's model on dummy data.
 * `form` picks `tf.sequential` or `tf.model`; inputs and outputs follow core `analyze`'s order, losses and
 * metrics core `outputTarget`, layer arguments core `tfjsArgs` (non-default only, `name` last). The result maps
 * each line to the nodes it builds and says what it is part of (`CodeResult`), recorded as each line is written.
 * @returns the code, or `{ ok: false, reason }` when the graph has errors, Sequential is impossible, the form is
 *   'subclassing' (tfjs has no Model subclassing: `TFJS_NO_SUBCLASSING`) or a layer cannot run in tfjs (an opaque
 *   layer from a file: core `LayerDef.cannotRun`).
 */
export function generateTypeScript(graph: Graph, settings: TrainingSettings, form: ApiForm): CodeResult {
  const r = prepare(graph, form, settings);
  if (!r.ok) return r;
  if (form === 'subclassing') return { ok: false, reason: TFJS_NO_SUBCLASSING };
  const p = r.prep;
  const clash = form === 'sequential' ? sequentialInputClash(p) : null;
  if (clash) return { ok: false, reason: clash };
  // A layer Layerlab cannot run (core LayerDef.cannotRun: a Lambda from a file) has no tfjs equivalent: a
  // placeholder would make tfjs train another model in silence, so TypeScript is refused and Python offered.
  const opaque = graph.nodes.find((n) => layerDef(n.kind)?.cannotRun);
  if (opaque)
    return {
      ok: false,
      reason: keptPython(opaque.params)
        ? `TypeScript code is not possible: ${kerasClassOf(opaque)} '${opaque.name}' is a Python layer class of the pasted code, which tfjs cannot run. The Python tab writes the model with the class.`
        : `TypeScript code is not possible: ${kerasClassOf(opaque)} '${opaque.name}' comes from the imported file and tfjs cannot run it (its code is not in the file). The Python tab writes the model with a marked placeholder in its place.`,
    };
  const api = form === 'sequential' ? 'Sequential' : 'Functional';
  const out = new Emitter();
  out.add([
    `// ${commentText(graph.name)}: a Keras ${api} model in TensorFlow.js 4.22, generated by Layerlab.`,
    `// ${parameterLine(p.analysis)}.`,
    ...commentLines(p.api.explanation, '// ', 100),
    '',
    "import * as tf from '@tensorflow/tfjs';",
    ...(usesCustomLayers(graph)
      ? [
          "// Keras layers tfjs 4.22 lacks, as tfjs custom layers with Keras's arguments and weights: download",
          "// layerlab-layers.ts from Layerlab's Code panel and keep it next to this file.",
          `import * as layerlab from '${CUSTOM_LAYERS_MODULE}';`,
        ]
      : []),
    '',
  ]);
  if (form === 'sequential') sequentialModel(p, out, settings);
  else functionalModel(p, out, settings);
  out.add(['model.summary();'], 'train').add(['']).add(compile(p, settings), 'train').add(['']);
  if (p.dataProblem) out.add(commentLines(`No dummy data and no model.fit: ${p.dataProblem}.`, '// ', 100));
  else
    out.add(
      [
        ...dummyData(p, settings),
        '',
        'await model.fit(xs, ys, {',
        `${IND}epochs: ${settings.epochs},`,
        `${IND}batchSize: ${settings.batchSize},`,
        `${IND}callbacks: {`,
        `${IND}${IND}onEpochEnd: (epoch, logs) => console.log(\`epoch \${epoch + 1}/${settings.epochs}: loss \${logs?.loss?.toFixed(4)}\`),`,
        `${IND}},`,
        '});',
        '',
        '// Free the dummy data; the model keeps its weights until model.dispose().',
        'tf.dispose([xs, ys]);',
      ],
      'train',
    );
  return out.result();
}
