/**
 * A recording stand-in for TensorFlow.js's `tf` (and Layerlab's `layerlab-layers` module): code that builds a tfjs
 * model runs against it and, instead of computing, records every input, layer, call and model. The recording is
 * written as the JSON tfjs's `model.toJSON()` writes (Keras 2 form: class_name / config with snake_case keys,
 * nested-list inbound_nodes, `keras_version: 'tfjs-layers …'`), which core's `importKerasJson` reads.
 * Pure: no tfjs, no DOM. Shapes asked by the code (`x.shape`, `model.outputShape`) are answered by importing the
 * recording so far and running core's `analyze` on it.
 */
import { analyze, importKerasJson, LAYER_DEFS, toSnakeCase, type Analysis, type Graph, type LayerDef, type ParamValue, type Shape } from '../../core';

/** A mistake in the code the stand-in reports as tfjs would (a sentence; the caller adds the line). */
export class StandinError extends Error {
  override name = 'Error';
}

/** The version tfjs writes in `keras_version`; the importer reads a 'tfjs…' version as a file tfjs wrote. */
const TFJS_VERSION = 'tfjs-layers 4.22.0';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Where a tensor comes from: [layer, call (Keras's node index), output (tensor index)]. */
interface TensorRef {
  readonly layer: LayerRecord;
  readonly call: number;
  readonly index: number;
}

interface LayerRecord {
  /** Keras class written in the JSON: a kind's class, 'InputLayer', or 'Sequential' / 'Model' for a model used as a layer. */
  readonly className: string;
  readonly def: LayerDef | null;
  name: string;
  /** The config in tfjs's toJSON spelling, without `name` (a function for a nested model: written when asked). */
  readonly config: () => Record<string, Json>;
  /** The tensors each call reads (an Input has one call reading nothing). */
  readonly calls: TensorRef[][];
  readonly outputs: number;
  readonly stub: LayerStub;
  /** `layer.trainable = …` set by the code after the layer was made (wins over its config's `trainable`). */
  trainable?: boolean;
}

interface ModelRecord {
  readonly kind: 'sequential' | 'functional';
  name: string;
  readonly layers: LayerRecord[];
  readonly inputs: TensorRef[];
  readonly outputs: TensorRef[];
  readonly stub: ModelStub;
  /** The layer entry of this model used as a layer (`model.apply(x)`), once it is. */
  asLayer?: LayerRecord;
  /** `model.trainable = …` set by the code (false: every layer of the model frozen, as tfjs's Container does). */
  trainable?: boolean;
}

/** A value the code may use that means nothing for the model (a data tensor, an optimizer, a callback's result). */
export function inert(label: string): unknown {
  const target = function () {} as unknown as object;
  const proxy: unknown = new Proxy(target, {
    get(_t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => 0;
      if (key === 'toString' || key === Symbol.toStringTag) return () => label;
      if (key === 'shape') return [];
      if (typeof key === 'symbol') return undefined;
      return proxy;
    },
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** tfjs's factory names (`dense`, `conv2d`, `spatialDropout2d`) → the kind's definition; Input has none. */
const BY_FACTORY = new Map<string, LayerDef>(LAYER_DEFS.filter((d) => d.tfjsFactory).map((d) => [d.tfjsFactory!, d]));

/** A symbolic tensor as the code sees it: `.shape` from core's analysis, `.rank`, `.dtype`, `.name`. */
export class SymbolicTensorStub {
  constructor(
    readonly ref: TensorRef,
    private readonly rec: Recorder,
  ) {}
  get shape(): (number | null)[] {
    return this.rec.shapeOf(this.ref);
  }
  get rank(): number {
    return this.shape.length;
  }
  get dtype(): string {
    return 'float32';
  }
  get name(): string {
    return `${this.ref.layer.name}/${this.ref.call}:${this.ref.index}`;
  }
  toString(): string {
    return `SymbolicTensor ${this.name}`;
  }
}

/** A layer as the code sees it: `apply`, `name`, `getClassName()`. */
export class LayerStub {
  /** @internal */ rec!: LayerRecord;
  constructor(private readonly recorder: Recorder) {}
  get name(): string {
    return this.rec.name;
  }
  getClassName(): string {
    return this.rec.className;
  }
  /**
   * Records a call: `apply(x)`, `apply([a, b])` (a merge layer's list; for a recurrent layer `[x, ...states]`), or
   * `apply(x, { initialState: [h, c] })`. Returns a symbolic tensor, or an array of them for a layer with several
   * outputs. Applied to anything but symbolic tensors (data), the call is not recorded and returns an inert value.
   * @throws StandinError when given no tensor, or symbolic tensors mixed with data.
   */
  apply(inputs: unknown, kwargs?: unknown): unknown {
    return this.recorder.call(this.rec, inputs, kwargs);
  }
  /** tfjs's `layer.outputShape`: the shape of its (first call's) output. */
  get outputShape(): (number | null)[] {
    return this.recorder.shapeOf({ layer: this.rec, call: 0, index: 0 });
  }
  countParams(): number {
    return this.recorder.layerCount(this.rec);
  }
  /** tfjs's `layer.trainable`: false freezes the layer (its weights non-trainable); read back as the code left it. */
  get trainable(): boolean {
    return this.rec.trainable ?? this.rec.config().trainable !== false;
  }
  set trainable(v: boolean) {
    if (typeof v !== 'boolean') throw new StandinError(`${this.rec.name}.trainable must be true or false.`);
    this.rec.trainable = v;
  }
}

/**
 * A layer's config as written (tfjs's toJSON spelling) with its name and the `trainable` flag the code last set: on a
 * wrapper (Bidirectional, TimeDistributed) also on the wrapped layer, whose flag tfjs reads.
 */
function configOf(l: LayerRecord): Record<string, Json> {
  const c: Record<string, Json> = { ...l.config(), name: l.name };
  if (l.trainable === undefined) return c;
  c.trainable = l.trainable;
  const inner = c.layer;
  if (isObject(inner) && isObject(inner.config)) c.layer = { ...inner, config: { ...(inner.config as Record<string, Json>), trainable: l.trainable } };
  return c;
}

/** A model as the code sees it: `add` (Sequential), `apply` (used as a layer), shapes, and ignored training calls. */
export class ModelStub {
  /** @internal */ rec!: ModelRecord;
  constructor(private readonly recorder: Recorder) {}
  get name(): string {
    return this.rec.name;
  }
  /** Adds a layer to a Sequential model. @throws StandinError for a functional model or a missing input shape. */
  add(layer: unknown): void {
    this.recorder.addToSequential(this.rec, layer);
  }
  /** Uses the model as a layer (a nested model: the importer flattens it). */
  apply(inputs: unknown, kwargs?: unknown): unknown {
    return this.recorder.call(this.recorder.modelAsLayer(this.rec), inputs, kwargs);
  }
  /** tfjs's `model.layers`: a Sequential's layers, or the layers a functional model's outputs depend on (Inputs too), in order. */
  get layers(): LayerStub[] {
    return this.recorder.layersOf(this.rec).map((l) => l.stub);
  }
  get inputs(): SymbolicTensorStub[] {
    return this.rec.inputs.map((r) => new SymbolicTensorStub(r, this.recorder));
  }
  get outputs(): SymbolicTensorStub[] {
    return this.rec.kind === 'functional' ? this.rec.outputs.map((r) => new SymbolicTensorStub(r, this.recorder)) : [];
  }
  /** tfjs's `model.outputShape`: the shape of the (only) output, or a list of shapes for several. */
  get outputShape(): unknown {
    const shapes = this.recorder.modelOutputShapes(this.rec);
    return shapes.length === 1 ? shapes[0] : shapes;
  }
  countParams(): number {
    return this.recorder.modelAnalysis(this.rec).totals.total;
  }
  /** tfjs's `model.trainable`: false freezes every layer of the model (and of a model nested in it). */
  get trainable(): boolean {
    return this.rec.trainable !== false;
  }
  set trainable(v: boolean) {
    if (typeof v !== 'boolean') throw new StandinError(`${this.rec.name}.trainable must be true or false.`);
    this.rec.trainable = v;
  }
  getClassName(): string {
    return this.rec.kind === 'sequential' ? 'Sequential' : 'Model';
  }
  compile(): void {
    this.recorder.ignored('model.compile');
  }
  summary(): void {
    this.recorder.ignored('model.summary');
  }
  fit(): Promise<unknown> {
    this.recorder.ignored('model.fit');
    return Promise.resolve({ history: {}, epoch: [] });
  }
  fitDataset(): Promise<unknown> {
    this.recorder.ignored('model.fitDataset');
    return Promise.resolve({ history: {}, epoch: [] });
  }
  evaluate(): unknown {
    this.recorder.ignored('model.evaluate');
    return inert('evaluation');
  }
  predict(): unknown {
    this.recorder.ignored('model.predict');
    return inert('prediction');
  }
  save(): Promise<unknown> {
    this.recorder.ignored('model.save');
    return Promise.resolve({});
  }
  dispose(): void {}
  toJSON(): string {
    return this.recorder.modelJson(this.rec);
  }
}

/** The tfjs names of a Sequential's input settings, read off its first layer (tfjs-layers `LayerArgs`). */
const INPUT_KEYS = new Set(['inputShape', 'batchInputShape', 'inputDim', 'batchSize', 'dtype']);

/**
 * The recording: every layer and model the code made, in order, and what to report. One per run.
 */
export class Recorder {
  readonly layers: LayerRecord[] = [];
  readonly models: ModelRecord[] = [];
  private readonly names = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly ignoredCalls = new Set<string>();
  private readonly shapeCache = new Map<string, Analysis & { graph: Graph }>();

  /** Notes for the user: what was run but ignored. */
  notes(): string[] {
    const list = [...this.ignoredCalls];
    if (!list.length) return [];
    const shown = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
    return [`${shown} ${list.length === 1 ? 'was' : 'were'} not run: Layerlab reads only the model the code builds.`];
  }

  ignored(what: string): void {
    this.ignoredCalls.add(what);
  }

  /** A unique layer name: the given one, or Keras's style ('dense', 'dense_1', …) from the class. */
  private nameFor(given: unknown, className: string): string {
    if (typeof given === 'string' && given !== '') {
      if (this.names.has(given)) throw new StandinError(`The layer name '${given}' is used twice; tfjs needs every layer name to be unique in a model.`);
      this.names.add(given);
      return given;
    }
    const base = className === 'InputLayer' ? 'input' : toSnakeCase(className);
    let k = this.counters.get(base) ?? 0;
    let name = k === 0 ? base : `${base}_${k}`;
    while (this.names.has(name)) name = `${base}_${++k}`;
    this.counters.set(base, k + 1);
    this.names.add(name);
    return name;
  }

  /** `tf.input({ shape, name })` or `{ batchShape }`. @throws StandinError without a shape. */
  input(args: unknown): SymbolicTensorStub {
    if (!isObject(args)) throw new StandinError('tf.input needs a config object, e.g. tf.input({ shape: [28, 28, 1] }).');
    let batch: Json;
    if (Array.isArray(args.batchShape)) batch = pythonic(args.batchShape);
    else if (Array.isArray(args.shape)) batch = [null, ...(pythonic(args.shape) as Json[])];
    else throw new StandinError('tf.input needs shape (one sample, without the batch axis) or batchShape, e.g. tf.input({ shape: [28, 28, 1] }).');
    const name = this.nameFor(args.name, 'InputLayer');
    const rec = this.newLayer('InputLayer', null, name, () => ({ batch_input_shape: batch, dtype: 'float32', sparse: false }), 1);
    rec.calls.push([]);
    return new SymbolicTensorStub({ layer: rec, call: 0, index: 0 }, this);
  }

  private newLayer(className: string, def: LayerDef | null, name: string, config: () => Record<string, Json>, outputs: number): LayerRecord {
    const stub = new LayerStub(this);
    const rec: LayerRecord = { className, def, name, config, calls: [], outputs, stub };
    stub.rec = rec;
    this.layers.push(rec);
    return rec;
  }

  /**
   * `tf.layers.<factory>(config)` or `layerlab.<factory>(config)`: a layer of the kind whose tfjsFactory it is.
   * @throws StandinError for a factory Layerlab does not know, or a config that is not an object.
   */
  layer(module: string, factory: string, args: unknown): LayerStub {
    if (module === 'tf.layers' && factory === 'inputLayer') return this.inputLayer(args);
    const def = BY_FACTORY.get(factory);
    if (!def) {
      const near = [...BY_FACTORY.keys()].find((f) => f.toLowerCase() === factory.toLowerCase());
      throw new StandinError(
        `${module}.${factory} is not a layer Layerlab knows${near ? ` (did you mean ${module}.${near}?)` : ''}; Layerlab reads the tfjs layers listed in its palette.`,
      );
    }
    const config = args === undefined ? {} : args;
    if (!isObject(config)) throw new StandinError(`${module}.${factory} takes one config object, e.g. ${module}.${factory}({ name: 'x' }).`);
    const name = this.nameFor(config.name, def.kerasClass);
    const written = layerConfig(def, config, module, factory);
    const outputs = outputCount(def, config);
    return this.newLayer(def.kerasClass, def, name, () => written, outputs).stub;
  }

  /**
   * `tf.layers.inputLayer({ inputShape | batchInputShape, batchSize, dtype, name })`: the InputLayer a tf.sequential may
   * start with (tfjs-layers engine/input_layer.ts `InputLayerArgs`; tfjs's toJSON writes it as the Sequential's first
   * layer, `batch_input_shape` with the batch axis first, null unless batchSize is given).
   * @throws StandinError when no shape or both shapes are given, or a shape is not a list.
   */
  private inputLayer(args: unknown): LayerStub {
    const where = 'tf.layers.inputLayer';
    const config = args === undefined ? {} : args;
    if (!isObject(config)) throw new StandinError(`${where} takes one config object, e.g. ${where}({ inputShape: [28, 28, 1] }).`);
    if (config.inputShape !== undefined && config.batchInputShape !== undefined)
      throw new StandinError(`${where}: give inputShape or batchInputShape, not both (tfjs refuses both at once).`);
    if (config.inputShape === undefined && config.batchInputShape === undefined)
      throw new StandinError(`${where} needs inputShape (one sample, without the batch axis) or batchInputShape, e.g. ${where}({ inputShape: [28, 28, 1] }).`);
    const batch = batchInputShape(null, config, where)!;
    const name = this.nameFor(config.name, 'InputLayer');
    const dtype = config.dtype === undefined ? 'float32' : pythonic(config.dtype);
    const rec = this.newLayer('InputLayer', null, name, () => ({ batch_input_shape: batch, dtype, sparse: config.sparse === true }), 1);
    rec.calls.push([]);
    return rec.stub;
  }

  /** Records a call of `rec` on `inputs` (see LayerStub.apply). */
  call(rec: LayerRecord, inputs: unknown, kwargs: unknown): unknown {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (!list.length) throw new StandinError(`'${rec.name}'.apply was given no tensor.`);
    const symbolic = list.filter((t): t is SymbolicTensorStub => t instanceof SymbolicTensorStub);
    if (!symbolic.length) {
      this.ignored(`'${rec.name}'.apply on data`);
      return inert('tensor');
    }
    if (symbolic.length !== list.length)
      throw new StandinError(`'${rec.name}'.apply was given symbolic tensors mixed with other values; give it tensors from tf.input or other layers.`);
    const refs = symbolic.map((t) => t.ref);
    if (isObject(kwargs) && kwargs.initialState !== undefined && kwargs.initialState !== null) {
      const states = Array.isArray(kwargs.initialState) ? kwargs.initialState : [kwargs.initialState];
      if (!states.every((s) => s instanceof SymbolicTensorStub))
        throw new StandinError(`'${rec.name}'.apply: initialState must be symbolic tensors (from tf.input or other layers).`);
      refs.push(...states.map((s) => s.ref));
    }
    if (rec.className === 'InputLayer') throw new StandinError(`'${rec.name}' is an input; it cannot be applied to a tensor.`);
    rec.calls.push(refs);
    const call = rec.calls.length - 1;
    const out = Array.from({ length: rec.outputs }, (_x, index) => new SymbolicTensorStub({ layer: rec, call, index }, this));
    return rec.outputs > 1 ? out : out[0];
  }

  /** `tf.sequential({ layers, name })`. @throws StandinError for layers that are not layers or lack an input shape. */
  sequential(args: unknown): ModelStub {
    const config = args === undefined ? {} : args;
    if (!isObject(config)) throw new StandinError('tf.sequential takes one config object, e.g. tf.sequential({ layers: [...] }).');
    const rec = this.newModel('sequential', config.name, [], []);
    if (config.layers !== undefined) {
      if (!Array.isArray(config.layers)) throw new StandinError('tf.sequential: layers must be a list of layers.');
      for (const l of config.layers) this.addToSequential(rec, l);
    }
    return rec.stub;
  }

  private newModel(kind: ModelRecord['kind'], name: unknown, inputs: TensorRef[], outputs: TensorRef[]): ModelRecord {
    const stub = new ModelStub(this);
    const base = kind === 'sequential' ? 'sequential' : 'model';
    const taken = new Set(this.models.map((m) => m.name));
    let modelName = typeof name === 'string' && name ? name : base;
    for (let k = 1; (typeof name !== 'string' || !name) && taken.has(modelName); k++) modelName = `${base}_${k}`;
    const rec: ModelRecord = { kind, name: modelName, layers: [], inputs, outputs, stub };
    stub.rec = rec;
    this.models.push(rec);
    return rec;
  }

  addToSequential(model: ModelRecord, layer: unknown): void {
    if (model.kind !== 'sequential') throw new StandinError(`model.add works on a tf.sequential model; '${model.name}' was made with tf.model.`);
    const rec = layer instanceof LayerStub ? layer.rec : layer instanceof ModelStub ? this.modelAsLayer(layer.rec) : null;
    if (!rec) throw new StandinError(`'${model.name}'.add needs a layer (tf.layers.…); it was given ${describeValue(layer)}.`);
    if (model.layers.length && rec.className === 'InputLayer')
      throw new StandinError(
        `tf.layers.inputLayer can only be the first layer of a tf.sequential model; '${rec.name}' comes after '${model.layers[model.layers.length - 1].name}'.`,
      );
    if (!model.layers.length && !hasInputShape(rec))
      throw new StandinError(
        `The first layer in a Sequential model must get an inputShape or batchInputShape argument ('${rec.name}' has none), e.g. tf.layers.dense({ units: 8, inputShape: [4] }).`,
      );
    model.layers.push(rec);
  }

  /** `tf.model({ inputs, outputs, name })`. @throws StandinError when inputs or outputs are not symbolic tensors. */
  model(args: unknown): ModelStub {
    if (!isObject(args)) throw new StandinError('tf.model needs { inputs, outputs }.');
    const refs = (v: unknown, what: string): TensorRef[] => {
      const list = Array.isArray(v) ? v : [v];
      if (!list.length || !list.every((t) => t instanceof SymbolicTensorStub))
        throw new StandinError(`tf.model: ${what} must be a symbolic tensor or a list of them (from tf.input and layer.apply); got ${describeValue(v)}.`);
      return list.map((t) => t.ref);
    };
    const inputs = refs(args.inputs, 'inputs');
    for (const r of inputs)
      if (r.layer.className !== 'InputLayer')
        throw new StandinError(`tf.model: every input must come from tf.input; '${r.layer.name}' is a ${r.layer.className} layer.`);
    return this.newModel('functional', args.name, inputs, refs(args.outputs, 'outputs')).stub;
  }

  /** A model used as a layer: its JSON entry is the model itself (the importer flattens it). */
  modelAsLayer(model: ModelRecord): LayerRecord {
    model.asLayer ??= this.newLayer(
      model.kind === 'sequential' ? 'Sequential' : 'Model',
      null,
      model.name,
      () => this.modelConfig(model) as Record<string, Json>,
      // A functional model with several outputs gives one tensor per output when applied (tfjs returns a list).
      model.kind === 'functional' ? Math.max(1, model.outputs.length) : 1,
    );
    return model.asLayer;
  }

  /** The layers of a model as tfjs lists them: a Sequential's own, or those its outputs depend on, in recording order. */
  layersOf(model: ModelRecord): LayerRecord[] {
    if (model.kind === 'sequential') return model.layers;
    const needed = this.ancestors(model.outputs);
    return this.layers.filter((l) => needed.has(l));
  }

  /** The model's config as tfjs's toJSON writes it (`config` of the top-level object). */
  modelConfig(model: ModelRecord): Json {
    if (model.kind === 'sequential')
      return {
        name: model.name,
        ...(model.trainable === false ? { trainable: false } : {}),
        layers: model.layers.map((l) => ({ class_name: l.className, config: configOf(l) })),
      };
    const needed = this.ancestors(model.outputs);
    const layers = this.layers.filter((l) => needed.has(l));
    return {
      name: model.name,
      ...(model.trainable === false ? { trainable: false } : {}),
      layers: layers.map((l) => this.layerEntry(l)),
      input_layers: model.inputs.map((r) => [r.layer.name, r.call, r.index]),
      output_layers: model.outputs.map((r) => [r.layer.name, r.call, r.index]),
    };
  }

  private layerEntry(l: LayerRecord): Json {
    return {
      class_name: l.className,
      config: configOf(l),
      name: l.name,
      inbound_nodes: l.calls.filter((c) => c.length).map((c) => c.map((r) => [r.layer.name, r.call, r.index, {}])),
    };
  }

  /** Layers the tensors depend on (every call of each, so call numbers stay those of the recording). */
  private ancestors(refs: readonly TensorRef[]): Set<LayerRecord> {
    const seen = new Set<LayerRecord>();
    const stack = refs.map((r) => r.layer);
    while (stack.length) {
      const l = stack.pop()!;
      if (seen.has(l)) continue;
      seen.add(l);
      for (const c of l.calls) for (const r of c) stack.push(r.layer);
    }
    return seen;
  }

  /** The whole model as tfjs's `model.toJSON()` text. */
  modelJson(model: ModelRecord): string {
    return JSON.stringify({
      class_name: model.kind === 'sequential' ? 'Sequential' : 'Model',
      config: this.modelConfig(model),
      keras_version: TFJS_VERSION,
      backend: 'tensor_flow.js',
    });
  }

  /** Imports a model's JSON and analyses it (cached by the JSON text). @throws StandinError with the import's reason. */
  private analysed(json: string): Analysis & { graph: Graph } {
    const hit = this.shapeCache.get(json);
    if (hit) return hit;
    const r = importKerasJson(json, { layout: false });
    if (!r.ok) throw new StandinError(r.reason);
    const a = { ...analyze(r.graph), graph: r.graph };
    this.shapeCache.set(json, a);
    return a;
  }

  /** `tensor.shape` (batch axis first, null where unknown): the model up to the tensor, imported and analysed. */
  shapeOf(ref: TensorRef): (number | null)[] {
    // An input's shape is what the code gave it (a model whose output is an input is no model to analyse).
    if (ref.layer.className === 'InputLayer') return [...(ref.layer.config().batch_input_shape as (number | null)[])];
    const a = this.upTo(ref);
    const node = findCall(a.graph, ref);
    const info = node ? a.nodes.get(node.id) : undefined;
    const shape: Shape | null | undefined = info ? (ref.index === 0 ? info.outputShape : info.moreOutputs[ref.index - 1]) : undefined;
    if (!shape) {
      const first = a.diagnostics.find((d) => d.severity === 'error');
      throw new StandinError(first ? first.message : `The shape of '${ref.layer.name}' is not known.`);
    }
    return [...shape];
  }

  /** The model from the inputs `ref` depends on to `ref`, imported and analysed. */
  private upTo(ref: TensorRef): Analysis & { graph: Graph } {
    const needed = this.ancestors([ref]);
    const inputs = this.layers.filter((l) => l.className === 'InputLayer' && needed.has(l)).map((l) => ({ layer: l, call: 0, index: 0 }));
    const probe = { kind: 'functional', name: 'probe', layers: [], inputs, outputs: [ref] } as unknown as ModelRecord;
    return this.analysed(this.modelJson(probe));
  }

  modelAnalysis(model: ModelRecord): Analysis & { graph: Graph } {
    return this.analysed(this.modelJson(model));
  }

  modelOutputShapes(model: ModelRecord): (number | null)[][] {
    const a = this.modelAnalysis(model);
    return a.outputTensors.map((t) => {
      const info = a.nodes.get(t.node);
      const s = info ? (t.output === 0 ? info.outputShape : info.moreOutputs[t.output - 1]) : null;
      if (!s) throw new StandinError(`The output shape of '${model.name}' is not known.`);
      return [...s];
    });
  }

  /** A layer's parameter count (from the model up to its first call, analysed). @throws StandinError before it is applied. */
  layerCount(rec: LayerRecord): number {
    if (!rec.calls.length) throw new StandinError(`'${rec.name}' has not been applied yet, so its parameter count is not known.`);
    const ref = { layer: rec, call: 0, index: 0 };
    const a = this.upTo(ref);
    const node = findCall(a.graph, ref);
    const w = node ? a.nodes.get(node.id)?.weights : null;
    return w ? w.trainable + w.nonTrainable : 0;
  }
}

/** The node of call `ref.call` of the layer named `ref.layer.name` (a shared layer's calls are nodes in call order). */
function findCall(graph: Graph, ref: TensorRef) {
  const owner = graph.nodes.find((n) => n.name === ref.layer.name && !n.layerOf);
  if (!owner) return undefined;
  if (ref.call === 0) return owner;
  const calls = graph.nodes.filter((n) => n.layerOf === owner.id);
  return calls[ref.call - 1];
}

const hasInputShape = (rec: LayerRecord): boolean => {
  if (rec.className === 'Sequential') return true;
  const c = rec.config();
  return c.batch_input_shape !== undefined;
};

/** A short description of a value for messages (never "[object Object]"). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (v instanceof SymbolicTensorStub) return `the tensor ${v.name}`;
  if (v instanceof LayerStub) return `the layer '${v.name}'`;
  if (v instanceof ModelStub) return `the model '${v.name}'`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'string') return `the text '${v.slice(0, 40)}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'function') return 'a function';
  return 'an object';
}

/**
 * A value as tfjs's toJSON writes it (tfjs-layers serialization_utils `convertTsToPythonic`): object keys and text
 * in snake_case (`'channelsLast'` → `'channels_last'`, `'hardSigmoid'` → `'hard_sigmoid'`), lists element by
 * element; a layer (a wrapper's `layer`) as `{ class_name, config }`; anything else (an initializer object, a
 * function) as null, which the importer drops.
 */
function pythonic(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return toSnakeCase(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(pythonic);
  if (v instanceof LayerStub) return { class_name: v.rec.className, config: configOf(v.rec) };
  if (isObject(v) && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) out[toSnakeCase(k)] = k === 'name' || k === 'className' ? (typeof x === 'string' ? x : null) : pythonic(x);
    return out;
  }
  return null;
}

/**
 * One layer's config in tfjs's toJSON spelling from the code's camelCase config: keys and text in snake_case, the
 * input shape as `batch_input_shape` (from inputShape, batchInputShape or inputDim), and every parameter whose tfjs
 * default differs from Keras's (core `ParamSpec.tfjsDefault`) written out when the code leaves it to tfjs: the
 * importer reads a missing key as Keras's default.
 * @throws StandinError for a value the stand-in cannot write (a function where a setting goes).
 */
function layerConfig(def: LayerDef, config: Record<string, unknown>, module: string, factory: string): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'name' || (INPUT_KEYS.has(k) && !(toSnakeCase(k) in def.params))) continue;
    if (typeof v === 'function' && !(v instanceof LayerStub))
      throw new StandinError(`${module}.${factory}: ${k} is a function; Layerlab reads settings written as values (e.g. activation: 'relu').`);
    const p = pythonic(v);
    if (p === null && v !== null) continue; // an initializer or regularizer object: changes no shape or count
    out[toSnakeCase(k)] = p;
  }
  const batch = batchInputShape(def, config, `${module}.${factory}`);
  if (batch) out.batch_input_shape = batch;
  for (const [key, spec] of Object.entries(def.params)) {
    if (!('tfjsDefault' in spec) || spec.inner) continue;
    const written = toSnakeCase(spec.tfjsName ?? key);
    if (!(key in out) && !(written in out)) out[key] = spec.tfjsDefault as ParamValue as Json;
  }
  return out;
}

/**
 * `batch_input_shape` from a first layer's inputShape / batchInputShape / inputDim (not Embedding's: a parameter there), an
 * Embedding's inputLength (as tfjs gives every Embedding one), or null.
 */
function batchInputShape(def: LayerDef | null, config: Record<string, unknown>, where: string): Json[] | null {
  const batch = typeof config.batchSize === 'number' ? config.batchSize : null;
  if (config.batchInputShape !== undefined) {
    if (!Array.isArray(config.batchInputShape)) throw new StandinError(`${where}: batchInputShape must be a list, e.g. [null, 28, 28, 1].`);
    return pythonic(config.batchInputShape) as Json[];
  }
  if (config.inputShape !== undefined) {
    if (!Array.isArray(config.inputShape))
      throw new StandinError(`${where}: inputShape must be a list (one sample, without the batch axis), e.g. [28, 28, 1].`);
    return [batch, ...(pythonic(config.inputShape) as Json[])];
  }
  if (config.inputDim !== undefined && def && !('input_dim' in def.params)) {
    if (typeof config.inputDim !== 'number') throw new StandinError(`${where}: inputDim must be a number.`);
    return [batch, config.inputDim];
  }
  // tfjs's Embedding always has an input shape (tfjs-layers embeddings.ts): [batch, ...inputLength], or [batch, null]
  // (sequences of any length) without inputLength, so it can start a tf.sequential without inputShape.
  if (def?.kind === 'Embedding') {
    const length = config.inputLength;
    if (length === undefined || length === null) return [batch, null];
    const list = Array.isArray(length) ? length : [length];
    if (!list.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d > 0)))
      throw new StandinError(`${where}: inputLength must be a positive whole number (or a list of them), got ${JSON.stringify(length)}.`);
    return [batch, ...(list as Json[])];
  }
  return null;
}

/** How many tensors a layer returns for its config (core `LayerDef.multiOutput`: return_state, return_attention_scores). */
function outputCount(def: LayerDef, config: Record<string, unknown>): number {
  const m = def.multiOutput;
  if (!m) return 1;
  const camel = m.param.replace(/_([a-z])/g, (_x, c: string) => c.toUpperCase());
  const on = config[camel] === true || config[m.param] === true;
  const defaults = Object.fromEntries(Object.entries(def.params).map(([k, s]) => [k, s.default]));
  return m.names({ ...defaults, [m.param]: on }).length;
}
