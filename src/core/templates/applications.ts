/**
 * Keras Applications written as Layerlab layers, one builder per architecture, following the structure of Keras
 * 3.15's own builders (keras/src/applications/{mobilenet_v2,efficientnet,xception,inception_v3,densenet,resnet,
 * resnet_v2,vgg19}.py): the same layer classes, names (null where Keras names a layer automatically), arguments that
 * change shapes or counts, and connections, for the arguments Keras's functions take (`AppOptions`). Each builder
 * returns rows in creation order (a topological order), each row with the output shape the core computes for it, so
 * a builder can read a tensor's size where Keras does (`imagenet_utils.correct_pad`, DenseNet's transition width).
 *
 * Published totals with the top at the default input (keras.io/api/applications, docs/keras-facts.md §7):
 * MobileNetV2 3,538,984; EfficientNetB0 5,330,571; Xception 22,910,480; InceptionV3 23,851,784; DenseNet121
 * 8,062,504; ResNet50V2 25,613,800; VGG19 143,667,240.
 *
 * Not modelled (no shape or count depends on them; `notes` says so where it changes training): kernel initializers,
 * EfficientNet's Dropout `noise_shape` (one draw per sample) and, with weights='imagenet', its third Rescaling by 1/√(ImageNet std) per channel (a list
 * scale, which Layerlab's Rescaling does not hold): the builder reports it in `notes`.
 */
import { defaultParams, type LayerDef } from '../layers/define';
import { layerDef } from '../layers/registry';
import type { Graph, Params, Shape } from '../graph/types';
import { buildGraph } from './build';

/** One layer of an application: `kind` (registry key), Keras name (null: Keras names it), inputs by row id. */
export interface AppRow {
  /** Unique within the build: the name, or `<kind>#<k>` for a layer Keras names itself. */
  readonly id: string;
  readonly kind: string;
  readonly name: string | null;
  readonly params: Params;
  /** Row ids of its inputs, in order. */
  readonly inputs: readonly string[];
  /** Its output shape, batch axis first (null: unknown). */
  readonly shape: Shape;
}

/** An application as built: the model's name, its rows (the Input first), notes on what was left out. */
export interface AppBuild {
  readonly name: string;
  readonly rows: readonly AppRow[];
  readonly notes: readonly string[];
}

/** The arguments a builder reads, already checked (applications.ts in codeimport checks them as Keras does). */
export interface AppOptions {
  readonly includeTop: boolean;
  readonly pooling: 'avg' | 'max' | null;
  readonly classes: number;
  /** The top Dense's activation ('linear' for Keras's None). */
  readonly activation: string;
  /** Input shape without the batch axis (height, width, channels; None sizes as null). */
  readonly inputShape: readonly (number | null)[];
  readonly weights: string | null;
  /** MobileNetV2's width multiplier. */
  readonly alpha: number;
}

/** How Keras checks and defaults an architecture's input (imagenet_utils.obtain_input_shape's default and minimum). */
export interface Architecture {
  /** The default square input side: Keras's `default_size` (MobileNetV2's depends on the given shape). */
  readonly defaultSize: (given: readonly (number | null)[] | null) => number;
  /** The smallest side Keras accepts (`min_size`). */
  readonly minSize: number;
  /** Keras 3.15's positional arguments of the function (for the stand-in). */
  readonly signature: readonly string[];
  /** The submodule Keras also exports it from (`keras.applications.<module>.<Class>`). */
  readonly module: string;
  build(o: AppOptions): AppBuild;
}

/**
 * Records layers in creation order with their output shapes (from the registry's `outputShape`, Keras's formulas).
 * @throws Error naming the layer when a shape cannot be computed (a bug in a builder or an input Keras also refuses).
 */
class Net {
  readonly rows: AppRow[] = [];
  private readonly byId = new Map<string, AppRow>();
  private k = 0;

  constructor(inputShape: readonly (number | null)[]) {
    this.push({ id: 'input', kind: 'Input', name: null, params: { shape: [...inputShape] }, inputs: [], shape: [null, ...inputShape] });
  }

  private push(r: AppRow): string {
    this.rows.push(r);
    this.byId.set(r.id, r);
    return r.id;
  }

  /** Adds `kind` with `params` named `name` (null: Keras's automatic name) on `inputs`; returns its id. */
  add(kind: string, params: Params, name: string | null, inputs: readonly string[]): string {
    const def = layerDef(kind) as LayerDef;
    const full = { ...defaultParams(def), ...params } as never;
    const shapes = inputs.map((i) => this.shape(i));
    let shape: Shape;
    try {
      shape = def.outputShape(shapes, full);
    } catch (e) {
      throw new Error(`${name ?? kind}: ${(e as Error).message}`, { cause: e });
    }
    return this.push({ id: name ?? `${kind}#${this.k++}`, kind, name, params, inputs, shape });
  }

  /** The output shape of row `id`. */
  shape(id: string): Shape {
    return this.byId.get(id)!.shape;
  }
}

const k2 = (k: number): number[] => [k, k];

/**
 * Keras's `imagenet_utils.correct_pad(x, kernel)` for channels-last: the ZeroPadding2D before a strided 'valid'
 * convolution that makes it match TensorFlow's 'same' ([top, bottom, left, right]); an unknown size pads as an even one.
 */
function correctPad(shape: Shape, kernel: number): number[] {
  const c = Math.floor(kernel / 2);
  const adj = (d: number | null) => (d === null ? 1 : 1 - (d % 2));
  return [c - adj(shape[1]), c, c - adj(shape[2]), c];
}

/** The top Keras adds (GlobalAveragePooling2D `topPool` + Dense 'predictions'), or the pooling it adds without it. */
function top(n: Net, x: string, o: AppOptions, names: { top: string | null; avg: string | null; max: string | null }, beforeDense?: (x: string) => string) {
  if (o.includeTop) {
    let y = n.add('GlobalAveragePooling2D', {}, names.top, [x]);
    if (beforeDense) y = beforeDense(y);
    n.add('Dense', { units: o.classes, activation: o.activation }, 'predictions', [y]);
  } else if (o.pooling === 'avg') n.add('GlobalAveragePooling2D', {}, names.avg, [x]);
  else if (o.pooling === 'max') n.add('GlobalMaxPooling2D', {}, names.max, [x]);
}

/** Keras's `_make_divisible` (MobileNetV2) and EfficientNet's `round_filters`: the nearest multiple of `d`, never 10 % lower. */
function makeDivisible(v: number, d: number): number {
  let n = Math.max(d, Math.floor(Math.trunc(v + d / 2) / d) * d);
  if (n < 0.9 * v) n += d;
  return n;
}

const TOP_ARGS = ['include_top', 'weights', 'input_tensor', 'input_shape', 'pooling', 'classes', 'classifier_activation', 'name'] as const;
const fixed = (size: number) => () => size;

/** MobileNetV2 (Sandler et al. 2018): inverted residual blocks with linear bottlenecks; width `alpha`. */
function mobilenetV2(o: AppOptions): AppBuild {
  const n = new Net(o.inputShape);
  const a = o.alpha;
  const bn = { epsilon: 1e-3, momentum: 0.999 };
  let x = n.add('Conv2D', { filters: makeDivisible(32 * a, 8), kernel_size: k2(3), strides: k2(2), padding: 'same', use_bias: false }, 'Conv1', ['input']);
  x = n.add('BatchNormalization', bn, 'bn_Conv1', [x]);
  x = n.add('ReLU', { max_value: 6 }, 'Conv1_relu', [x]);
  const block = (input: string, filters: number, stride: number, expansion: number, id: number): string => {
    const inC = n.shape(input)[3] as number;
    const pw = makeDivisible(Math.trunc(filters * a), 8);
    let y = input;
    let prefix = `block_${id}_`;
    if (id) {
      y = n.add('Conv2D', { filters: expansion * inC, kernel_size: k2(1), padding: 'same', use_bias: false }, `${prefix}expand`, [y]);
      y = n.add('BatchNormalization', bn, `${prefix}expand_BN`, [y]);
      y = n.add('ReLU', { max_value: 6 }, `${prefix}expand_relu`, [y]);
    } else prefix = 'expanded_conv_';
    if (stride === 2) y = n.add('ZeroPadding2D', { padding: correctPad(n.shape(y), 3) }, `${prefix}pad`, [y]);
    y = n.add('DepthwiseConv2D', { kernel_size: k2(3), strides: k2(stride), use_bias: false, padding: stride === 1 ? 'same' : 'valid' }, `${prefix}depthwise`, [
      y,
    ]);
    y = n.add('BatchNormalization', bn, `${prefix}depthwise_BN`, [y]);
    y = n.add('ReLU', { max_value: 6 }, `${prefix}depthwise_relu`, [y]);
    y = n.add('Conv2D', { filters: pw, kernel_size: k2(1), padding: 'same', use_bias: false }, `${prefix}project`, [y]);
    y = n.add('BatchNormalization', bn, `${prefix}project_BN`, [y]);
    return inC === pw && stride === 1 ? n.add('Add', {}, `${prefix}add`, [input, y]) : y;
  };
  const plan: [number, number, number][] = [
    [16, 1, 1],
    [24, 2, 6],
    [24, 1, 6],
    [32, 2, 6],
    [32, 1, 6],
    [32, 1, 6],
    [64, 2, 6],
    [64, 1, 6],
    [64, 1, 6],
    [64, 1, 6],
    [96, 1, 6],
    [96, 1, 6],
    [96, 1, 6],
    [160, 2, 6],
    [160, 1, 6],
    [160, 1, 6],
    [320, 1, 6],
  ];
  plan.forEach(([f, s, e], id) => (x = block(x, f, s, e, id)));
  x = n.add('Conv2D', { filters: a > 1 ? makeDivisible(1280 * a, 8) : 1280, kernel_size: k2(1), use_bias: false }, 'Conv_1', [x]);
  x = n.add('BatchNormalization', bn, 'Conv_1_bn', [x]);
  x = n.add('ReLU', { max_value: 6 }, 'out_relu', [x]);
  top(n, x, o, { top: null, avg: null, max: null });
  let rows: number | null = o.inputShape[0];
  if (o.weights === 'imagenet' && (rows !== o.inputShape[1] || rows === null || ![96, 128, 160, 192, 224].includes(rows))) rows = 224;
  return { name: `mobilenetv2_${a.toFixed(2)}_${rows === null ? 'None' : rows}`, rows: n.rows, notes: [] };
}

/** MobileNetV2's default size: the given square side when it is one ImageNet weights exist for, else 224. */
const mobilenetV2Size = (given: readonly (number | null)[] | null): number =>
  given && given.length === 3 && given[0] === given[1] && [96, 128, 160, 192, 224].includes(given[0] as number) ? (given[0] as number) : 224;

/** EfficientNet's stage plan (Keras's DEFAULT_BLOCKS_ARGS): kernel, repeats, filters in, filters out, expansion, stride. */
const EFFICIENTNET_STAGES: readonly [number, number, number, number, number, number][] = [
  [3, 1, 32, 16, 1, 1],
  [3, 2, 16, 24, 6, 2],
  [5, 2, 24, 40, 6, 2],
  [3, 3, 40, 80, 6, 2],
  [5, 3, 80, 112, 6, 1],
  [5, 4, 112, 192, 6, 2],
  [3, 1, 192, 320, 6, 1],
];

/**
 * EfficientNet (Tan & Le 2019) as Keras 3 builds it: Rescaling(1/255) and Normalization (mean, variance, count:
 * non-trainable) first, MBConv blocks with squeeze-and-excitation, swish activations, stochastic-depth Dropout before
 * each residual Add; `width` and `depth` scale the filters and repeats (B0 1.0/1.0 … B7 2.0/3.1).
 */
function efficientNet(width: number, depth: number, dropout: number, name: string) {
  return (o: AppOptions): AppBuild => {
    const n = new Net(o.inputShape);
    const act = { activation: 'swish' };
    const filters = (f: number) => makeDivisible(f * width, 8);
    const repeats = (r: number) => Math.ceil(depth * r);
    let x = n.add('Rescaling', { scale: 1 / 255 }, null, ['input']);
    x = n.add('Normalization', { axis: 3 }, null, [x]);
    const notes = [
      ...(o.weights === 'imagenet'
        ? [
            `${name}: with weights='imagenet' Keras adds a third Rescaling (by 1/√std of ImageNet per colour channel, no weights); Layerlab's Rescaling takes one scale, so it is left out (shapes and counts are the same)`,
          ]
        : []),
      `${name}: the Dropout before each residual Add (stochastic depth) drops whole samples in Keras (noise_shape (None, 1, 1, 1)); Layerlab's Dropout has no noise_shape and drops single values when training (shapes and counts are the same)`,
    ];
    x = n.add('ZeroPadding2D', { padding: correctPad(n.shape(x), 3) }, 'stem_conv_pad', [x]);
    x = n.add('Conv2D', { filters: filters(32), kernel_size: k2(3), strides: k2(2), padding: 'valid', use_bias: false }, 'stem_conv', [x]);
    x = n.add('BatchNormalization', {}, 'stem_bn', [x]);
    x = n.add('Activation', act, 'stem_activation', [x]);
    const total = EFFICIENTNET_STAGES.reduce((s, st) => s + repeats(st[1]), 0);
    let b = 0;
    EFFICIENTNET_STAGES.forEach(([kernel, r, fin0, fout0, expand, stride0], i) => {
      const fout = filters(fout0);
      let fin = filters(fin0);
      for (let j = 0; j < repeats(r); j++) {
        const stride = j > 0 ? 1 : stride0;
        if (j > 0) fin = fout;
        const p = `block${i + 1}${String.fromCharCode(97 + j)}_`;
        const dropRate = (0.2 * b) / total;
        const input = x;
        const f = fin * expand;
        let y = input;
        if (expand !== 1) {
          y = n.add('Conv2D', { filters: f, kernel_size: k2(1), padding: 'same', use_bias: false }, `${p}expand_conv`, [y]);
          y = n.add('BatchNormalization', {}, `${p}expand_bn`, [y]);
          y = n.add('Activation', act, `${p}expand_activation`, [y]);
        }
        if (stride === 2) y = n.add('ZeroPadding2D', { padding: correctPad(n.shape(y), kernel) }, `${p}dwconv_pad`, [y]);
        y = n.add(
          'DepthwiseConv2D',
          { kernel_size: k2(kernel), strides: k2(stride), padding: stride === 2 ? 'valid' : 'same', use_bias: false },
          `${p}dwconv`,
          [y],
        );
        y = n.add('BatchNormalization', {}, `${p}bn`, [y]);
        y = n.add('Activation', act, `${p}activation`, [y]);
        let se = n.add('GlobalAveragePooling2D', {}, `${p}se_squeeze`, [y]);
        se = n.add('Reshape', { target_shape: [1, 1, f] }, `${p}se_reshape`, [se]);
        se = n.add('Conv2D', { filters: Math.max(1, Math.trunc(fin * 0.25)), kernel_size: k2(1), padding: 'same', activation: 'swish' }, `${p}se_reduce`, [se]);
        se = n.add('Conv2D', { filters: f, kernel_size: k2(1), padding: 'same', activation: 'sigmoid' }, `${p}se_expand`, [se]);
        y = n.add('Multiply', {}, `${p}se_excite`, [y, se]);
        y = n.add('Conv2D', { filters: fout, kernel_size: k2(1), padding: 'same', use_bias: false }, `${p}project_conv`, [y]);
        y = n.add('BatchNormalization', {}, `${p}project_bn`, [y]);
        if (stride === 1 && fin === fout) {
          if (dropRate > 0) y = n.add('Dropout', { rate: dropRate }, `${p}drop`, [y]);
          y = n.add('Add', {}, `${p}add`, [y, input]);
        }
        x = y;
        b++;
      }
    });
    x = n.add('Conv2D', { filters: filters(1280), kernel_size: k2(1), padding: 'same', use_bias: false }, 'top_conv', [x]);
    x = n.add('BatchNormalization', {}, 'top_bn', [x]);
    x = n.add('Activation', act, 'top_activation', [x]);
    top(n, x, o, { top: 'avg_pool', avg: 'avg_pool', max: 'max_pool' }, (y) => (dropout > 0 ? n.add('Dropout', { rate: dropout }, 'top_dropout', [y]) : y));
    return { name, rows: n.rows, notes };
  };
}

/** Xception (Chollet 2017): depthwise separable convolutions in an entry, a middle (8 blocks) and an exit flow. */
function xception(o: AppOptions): AppBuild {
  const n = new Net(o.inputShape);
  const relu = { activation: 'relu' };
  const sep = (f: number, name: string, from: string) =>
    n.add('SeparableConv2D', { filters: f, kernel_size: k2(3), padding: 'same', use_bias: false }, name, [from]);
  const shortcut = (f: number, from: string) =>
    n.add('BatchNormalization', {}, null, [
      n.add('Conv2D', { filters: f, kernel_size: k2(1), strides: k2(2), padding: 'same', use_bias: false }, null, [from]),
    ]);
  const pool = (name: string, from: string) => n.add('MaxPooling2D', { pool_size: k2(3), strides: k2(2), padding: 'same' }, name, [from]);
  let x = n.add('Conv2D', { filters: 32, kernel_size: k2(3), strides: k2(2), use_bias: false }, 'block1_conv1', ['input']);
  x = n.add('BatchNormalization', {}, 'block1_conv1_bn', [x]);
  x = n.add('Activation', relu, 'block1_conv1_act', [x]);
  x = n.add('Conv2D', { filters: 64, kernel_size: k2(3), use_bias: false }, 'block1_conv2', [x]);
  x = n.add('BatchNormalization', {}, 'block1_conv2_bn', [x]);
  x = n.add('Activation', relu, 'block1_conv2_act', [x]);
  // Entry flow: blocks 2-4 (block 2 starts without an activation) and 13 (exit), each with a strided 1×1 shortcut.
  const entry = (b: number, f1: number, f2: number, firstAct: boolean) => {
    const res = shortcut(f2, x);
    let y = x;
    if (firstAct) y = n.add('Activation', relu, `block${b}_sepconv1_act`, [y]);
    y = sep(f1, `block${b}_sepconv1`, y);
    y = n.add('BatchNormalization', {}, `block${b}_sepconv1_bn`, [y]);
    y = n.add('Activation', relu, `block${b}_sepconv2_act`, [y]);
    y = sep(f2, `block${b}_sepconv2`, y);
    y = n.add('BatchNormalization', {}, `block${b}_sepconv2_bn`, [y]);
    y = pool(`block${b}_pool`, y);
    x = n.add('Add', {}, null, [y, res]);
  };
  entry(2, 128, 128, false);
  entry(3, 256, 256, true);
  entry(4, 728, 728, true);
  for (let i = 0; i < 8; i++) {
    const p = `block${i + 5}`;
    let y = x;
    for (let c = 1; c <= 3; c++) {
      y = n.add('Activation', relu, `${p}_sepconv${c}_act`, [y]);
      y = sep(728, `${p}_sepconv${c}`, y);
      y = n.add('BatchNormalization', {}, `${p}_sepconv${c}_bn`, [y]);
    }
    x = n.add('Add', {}, null, [y, x]);
  }
  entry(13, 728, 1024, true);
  x = sep(1536, 'block14_sepconv1', x);
  x = n.add('BatchNormalization', {}, 'block14_sepconv1_bn', [x]);
  x = n.add('Activation', relu, 'block14_sepconv1_act', [x]);
  x = sep(2048, 'block14_sepconv2', x);
  x = n.add('BatchNormalization', {}, 'block14_sepconv2_bn', [x]);
  x = n.add('Activation', relu, 'block14_sepconv2_act', [x]);
  top(n, x, o, { top: 'avg_pool', avg: null, max: null });
  return { name: 'xception', rows: n.rows, notes: [] };
}

/** InceptionV3 (Szegedy et al. 2015): factorised convolutions (n×1, 1×n) in eleven mixed modules. */
function inceptionV3(o: AppOptions): AppBuild {
  const n = new Net(o.inputShape);
  // Keras's conv2d_bn: Conv2D without bias, BatchNormalization without scale (gamma), ReLU; all named by Keras.
  const cb = (from: string, f: number, r: number, c: number, padding = 'same', s = 1) => {
    const y = n.add('Conv2D', { filters: f, kernel_size: [r, c], strides: k2(s), padding, use_bias: false }, null, [from]);
    return n.add('Activation', { activation: 'relu' }, null, [n.add('BatchNormalization', { scale: false }, null, [y])]);
  };
  const avg = (from: string) => n.add('AveragePooling2D', { pool_size: k2(3), strides: k2(1), padding: 'same' }, null, [from]);
  const maxp = (from: string) => n.add('MaxPooling2D', { pool_size: k2(3), strides: k2(2) }, null, [from]);
  const cat = (xs: string[], name: string | null) => n.add('Concatenate', { axis: 3 }, name, xs);
  let x = cb('input', 32, 3, 3, 'valid', 2);
  x = cb(x, 32, 3, 3, 'valid');
  x = cb(x, 64, 3, 3);
  x = maxp(x);
  x = cb(x, 80, 1, 1, 'valid');
  x = cb(x, 192, 3, 3, 'valid');
  x = maxp(x);
  [32, 64, 64].forEach((poolF, i) => {
    const b1 = cb(x, 64, 1, 1);
    const b5 = cb(cb(x, 48, 1, 1), 64, 5, 5);
    const b3 = cb(cb(cb(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = cb(avg(x), poolF, 1, 1);
    x = cat([b1, b5, b3, bp], `mixed${i}`);
  });
  {
    const b3 = cb(x, 384, 3, 3, 'valid', 2);
    const bd = cb(cb(cb(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 'valid', 2);
    x = cat([b3, bd, maxp(x)], 'mixed3');
  }
  [128, 160, 160, 192].forEach((f, i) => {
    const b1 = cb(x, 192, 1, 1);
    const b7 = cb(cb(cb(x, f, 1, 1), f, 1, 7), 192, 7, 1);
    const bd = cb(cb(cb(cb(cb(x, f, 1, 1), f, 7, 1), f, 1, 7), f, 7, 1), 192, 1, 7);
    const bp = cb(avg(x), 192, 1, 1);
    x = cat([b1, b7, bd, bp], `mixed${4 + i}`);
  });
  {
    const b3 = cb(cb(x, 192, 1, 1), 320, 3, 3, 'valid', 2);
    const b7 = cb(cb(cb(cb(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 'valid', 2);
    x = cat([b3, b7, maxp(x)], 'mixed8');
  }
  for (let i = 0; i < 2; i++) {
    const b1 = cb(x, 320, 1, 1);
    const b3 = cb(x, 384, 1, 1);
    const b3c = cat([cb(b3, 384, 1, 3), cb(b3, 384, 3, 1)], `mixed9_${i}`);
    const bd = cb(cb(x, 448, 1, 1), 384, 3, 3);
    const bdc = cat([cb(bd, 384, 1, 3), cb(bd, 384, 3, 1)], null);
    const bp = cb(avg(x), 192, 1, 1);
    x = cat([b1, b3c, bdc, bp], `mixed${9 + i}`);
  }
  top(n, x, o, { top: 'avg_pool', avg: null, max: null });
  return { name: 'inception_v3', rows: n.rows, notes: [] };
}

/** DenseNet (Huang et al. 2017): dense blocks of `blocks[i]` conv blocks (each concatenates 32 new channels), halving transitions. */
function denseNet(blocks: readonly number[], name: string) {
  return (o: AppOptions): AppBuild => {
    const n = new Net(o.inputShape);
    const eps = { epsilon: 1.001e-5 };
    const relu = { activation: 'relu' };
    let x = n.add('ZeroPadding2D', { padding: [3, 3, 3, 3] }, null, ['input']);
    x = n.add('Conv2D', { filters: 64, kernel_size: k2(7), strides: k2(2), use_bias: false }, 'conv1_conv', [x]);
    x = n.add('BatchNormalization', eps, 'conv1_bn', [x]);
    x = n.add('Activation', relu, 'conv1_relu', [x]);
    x = n.add('ZeroPadding2D', { padding: [1, 1, 1, 1] }, null, [x]);
    x = n.add('MaxPooling2D', { pool_size: k2(3), strides: k2(2) }, 'pool1', [x]);
    blocks.forEach((count, s) => {
      const stage = `conv${s + 2}`;
      for (let i = 1; i <= count; i++) {
        const p = `${stage}_block${i}`;
        let y = n.add('BatchNormalization', eps, `${p}_0_bn`, [x]);
        y = n.add('Activation', relu, `${p}_0_relu`, [y]);
        y = n.add('Conv2D', { filters: 128, kernel_size: k2(1), use_bias: false }, `${p}_1_conv`, [y]);
        y = n.add('BatchNormalization', eps, `${p}_1_bn`, [y]);
        y = n.add('Activation', relu, `${p}_1_relu`, [y]);
        y = n.add('Conv2D', { filters: 32, kernel_size: k2(3), padding: 'same', use_bias: false }, `${p}_2_conv`, [y]);
        x = n.add('Concatenate', { axis: 3 }, `${p}_concat`, [x, y]);
      }
      if (s < blocks.length - 1) {
        const p = `pool${s + 2}`;
        x = n.add('BatchNormalization', eps, `${p}_bn`, [x]);
        x = n.add('Activation', relu, `${p}_relu`, [x]);
        x = n.add('Conv2D', { filters: Math.trunc((n.shape(x)[3] as number) * 0.5), kernel_size: k2(1), use_bias: false }, `${p}_conv`, [x]);
        x = n.add('AveragePooling2D', { pool_size: k2(2), strides: k2(2) }, `${p}_pool`, [x]);
      }
    });
    x = n.add('BatchNormalization', eps, 'bn', [x]);
    x = n.add('Activation', relu, 'relu', [x]);
    top(n, x, o, { top: 'avg_pool', avg: 'avg_pool', max: 'max_pool' });
    return { name, rows: n.rows, notes: [] };
  };
}

/**
 * ResNet (He et al. 2015, keras/src/applications/resnet.py `ResNet`): v1 bottleneck blocks (post-activation, biased
 * convolutions) or v2 (He et al. 2016, pre-activation: BatchNormalization + ReLU before each block, `post_bn` at
 * the end); `stages` gives the blocks per stage (ResNet101: 3, 4, 23, 3).
 */
function resNet(stages: readonly number[], v2: boolean, name: string) {
  return (o: AppOptions): AppBuild => {
    const n = new Net(o.inputShape);
    const eps = { epsilon: 1.001e-5 };
    const relu = { activation: 'relu' };
    let x = n.add('ZeroPadding2D', { padding: [3, 3, 3, 3] }, 'conv1_pad', ['input']);
    x = n.add('Conv2D', { filters: 64, kernel_size: k2(7), strides: k2(2) }, 'conv1_conv', [x]);
    if (!v2) {
      x = n.add('BatchNormalization', eps, 'conv1_bn', [x]);
      x = n.add('Activation', relu, 'conv1_relu', [x]);
    }
    x = n.add('ZeroPadding2D', { padding: [1, 1, 1, 1] }, 'pool1_pad', [x]);
    x = n.add('MaxPooling2D', { pool_size: k2(3), strides: k2(2) }, 'pool1_pool', [x]);
    const blockV1 = (input: string, f: number, stride: number, convShortcut: boolean, p: string) => {
      let sc = input;
      if (convShortcut) {
        sc = n.add('Conv2D', { filters: 4 * f, kernel_size: k2(1), strides: k2(stride) }, `${p}_0_conv`, [input]);
        sc = n.add('BatchNormalization', eps, `${p}_0_bn`, [sc]);
      }
      let y = n.add('Conv2D', { filters: f, kernel_size: k2(1), strides: k2(stride) }, `${p}_1_conv`, [input]);
      y = n.add('BatchNormalization', eps, `${p}_1_bn`, [y]);
      y = n.add('Activation', relu, `${p}_1_relu`, [y]);
      y = n.add('Conv2D', { filters: f, kernel_size: k2(3), padding: 'same' }, `${p}_2_conv`, [y]);
      y = n.add('BatchNormalization', eps, `${p}_2_bn`, [y]);
      y = n.add('Activation', relu, `${p}_2_relu`, [y]);
      y = n.add('Conv2D', { filters: 4 * f, kernel_size: k2(1) }, `${p}_3_conv`, [y]);
      y = n.add('BatchNormalization', eps, `${p}_3_bn`, [y]);
      y = n.add('Add', {}, `${p}_add`, [sc, y]);
      return n.add('Activation', relu, `${p}_out`, [y]);
    };
    const blockV2 = (input: string, f: number, stride: number, convShortcut: boolean, p: string) => {
      let pre = n.add('BatchNormalization', eps, `${p}_preact_bn`, [input]);
      pre = n.add('Activation', relu, `${p}_preact_relu`, [pre]);
      const sc = convShortcut
        ? n.add('Conv2D', { filters: 4 * f, kernel_size: k2(1), strides: k2(stride) }, `${p}_0_conv`, [pre])
        : stride > 1
          ? n.add('MaxPooling2D', { pool_size: k2(1), strides: k2(stride) }, null, [input])
          : input;
      let y = n.add('Conv2D', { filters: f, kernel_size: k2(1), use_bias: false }, `${p}_1_conv`, [pre]);
      y = n.add('BatchNormalization', eps, `${p}_1_bn`, [y]);
      y = n.add('Activation', relu, `${p}_1_relu`, [y]);
      y = n.add('ZeroPadding2D', { padding: [1, 1, 1, 1] }, `${p}_2_pad`, [y]);
      y = n.add('Conv2D', { filters: f, kernel_size: k2(3), strides: k2(stride), use_bias: false }, `${p}_2_conv`, [y]);
      y = n.add('BatchNormalization', eps, `${p}_2_bn`, [y]);
      y = n.add('Activation', relu, `${p}_2_relu`, [y]);
      y = n.add('Conv2D', { filters: 4 * f, kernel_size: k2(1) }, `${p}_3_conv`, [y]);
      return n.add('Add', {}, `${p}_out`, [sc, y]);
    };
    stages.forEach((count, s) => {
      const f = 64 * 2 ** s;
      const p = `conv${s + 2}`;
      if (!v2) {
        x = blockV1(x, f, s === 0 ? 1 : 2, true, `${p}_block1`);
        for (let i = 2; i <= count; i++) x = blockV1(x, f, 1, false, `${p}_block${i}`);
      } else {
        // v2 strides in the last block of a stage (none in the last stage).
        x = blockV2(x, f, 1, true, `${p}_block1`);
        for (let i = 2; i < count; i++) x = blockV2(x, f, 1, false, `${p}_block${i}`);
        x = blockV2(x, f, s === stages.length - 1 ? 1 : 2, false, `${p}_block${count}`);
      }
    });
    if (v2) {
      x = n.add('BatchNormalization', eps, 'post_bn', [x]);
      x = n.add('Activation', relu, 'post_relu', [x]);
    }
    top(n, x, o, { top: 'avg_pool', avg: 'avg_pool', max: 'max_pool' });
    return { name, rows: n.rows, notes: [] };
  };
}

/** VGG19 (Simonyan & Zisserman 2014): 16 3×3 convolutions in five blocks, then Flatten and two 4,096-unit layers. */
function vgg19(o: AppOptions): AppBuild {
  const n = new Net(o.inputShape);
  let x = 'input';
  [64, 128, 256, 512, 512].forEach((f, i) => {
    for (let c = 1; c <= (i < 2 ? 2 : 4); c++)
      x = n.add('Conv2D', { filters: f, kernel_size: k2(3), padding: 'same', activation: 'relu' }, `block${i + 1}_conv${c}`, [x]);
    x = n.add('MaxPooling2D', { pool_size: k2(2), strides: k2(2) }, `block${i + 1}_pool`, [x]);
  });
  if (o.includeTop) {
    x = n.add('Flatten', {}, 'flatten', [x]);
    x = n.add('Dense', { units: 4096, activation: 'relu' }, 'fc1', [x]);
    x = n.add('Dense', { units: 4096, activation: 'relu' }, 'fc2', [x]);
    n.add('Dense', { units: o.classes, activation: o.activation }, 'predictions', [x]);
  } else top(n, x, o, { top: null, avg: null, max: null });
  return { name: 'vgg19', rows: n.rows, notes: [] };
}

const EFFICIENTNETS: readonly [number, number, number, number][] = [
  [1.0, 1.0, 224, 0.2],
  [1.0, 1.1, 240, 0.2],
  [1.1, 1.2, 260, 0.3],
  [1.2, 1.4, 300, 0.3],
  [1.4, 1.8, 380, 0.4],
  [1.6, 2.2, 456, 0.4],
  [1.8, 2.6, 528, 0.5],
  [2.0, 3.1, 600, 0.5],
];

/**
 * The architectures this file builds, by Keras class name (keras.applications.<name>), each with Keras's default
 * input side, minimum side, signature and submodule.
 */
export const ARCHITECTURES: Readonly<Record<string, Architecture>> = {
  MobileNetV2: {
    defaultSize: mobilenetV2Size,
    minSize: 32,
    signature: ['input_shape', 'alpha', 'include_top', 'weights', 'input_tensor', 'pooling', 'classes', 'classifier_activation', 'name'],
    module: 'mobilenet_v2',
    build: mobilenetV2,
  },
  ...Object.fromEntries(
    EFFICIENTNETS.map(([w, d, size, drop], i) => [
      `EfficientNetB${i}`,
      { defaultSize: fixed(size), minSize: 32, signature: TOP_ARGS, module: 'efficientnet', build: efficientNet(w, d, drop, `efficientnetb${i}`) },
    ]),
  ),
  Xception: { defaultSize: fixed(299), minSize: 71, signature: TOP_ARGS, module: 'xception', build: xception },
  InceptionV3: { defaultSize: fixed(299), minSize: 75, signature: TOP_ARGS, module: 'inception_v3', build: inceptionV3 },
  DenseNet121: { defaultSize: fixed(224), minSize: 32, signature: TOP_ARGS, module: 'densenet', build: denseNet([6, 12, 24, 16], 'densenet121') },
  DenseNet169: { defaultSize: fixed(224), minSize: 32, signature: TOP_ARGS, module: 'densenet', build: denseNet([6, 12, 32, 32], 'densenet169') },
  DenseNet201: { defaultSize: fixed(224), minSize: 32, signature: TOP_ARGS, module: 'densenet', build: denseNet([6, 12, 48, 32], 'densenet201') },
  ResNet101: { defaultSize: fixed(224), minSize: 32, signature: TOP_ARGS, module: 'resnet', build: resNet([3, 4, 23, 3], false, 'resnet101') },
  ResNet152: { defaultSize: fixed(224), minSize: 32, signature: TOP_ARGS, module: 'resnet', build: resNet([3, 8, 36, 3], false, 'resnet152') },
  ResNet50V2: { defaultSize: fixed(224), minSize: 32, signature: TOP_ARGS, module: 'resnet_v2', build: resNet([3, 4, 6, 3], true, 'resnet50v2') },
  ResNet101V2: { defaultSize: fixed(224), minSize: 32, signature: TOP_ARGS, module: 'resnet_v2', build: resNet([3, 4, 23, 3], true, 'resnet101v2') },
  ResNet152V2: { defaultSize: fixed(224), minSize: 32, signature: TOP_ARGS, module: 'resnet_v2', build: resNet([3, 8, 36, 3], true, 'resnet152v2') },
  VGG19: { defaultSize: fixed(224), minSize: 32, signature: TOP_ARGS, module: 'vgg19', build: vgg19 },
};

/** Keras's defaults for `AppOptions` (include_top=True, 1,000 classes, softmax, no weights, alpha 1). */
export const DEFAULT_APP_OPTIONS: Omit<AppOptions, 'inputShape'> = {
  includeTop: true,
  pooling: null,
  classes: 1000,
  activation: 'softmax',
  weights: null,
  alpha: 1,
};

/**
 * The graph of an application's rows (not laid out: every node at 0, 0; templates lay it out), named as the build.
 * @throws Error when a connection is refused (a bug in a builder).
 */
export function appGraph(built: AppBuild): Graph {
  return buildGraph(
    built.name,
    (b) => {
      const ids = new Map<string, string>();
      for (const r of built.rows)
        ids.set(
          r.id,
          b.add(
            r.kind,
            r.params,
            r.name ?? undefined,
            r.inputs.map((i) => ids.get(i)!),
          ),
        );
    },
    { layout: false },
  );
}

/**
 * The architecture `cls` of ARCHITECTURES with Keras's default arguments changed by `options`: the input is the default
 * side (an RGB square) unless `options.inputShape` says otherwise.
 * @throws Error for a class not in ARCHITECTURES.
 */
export function applicationGraph(cls: string, options: Partial<AppOptions> = {}): Graph {
  const arch = ARCHITECTURES[cls];
  if (!arch) throw new Error(`${cls} is not an architecture of core/templates/applications.ts`);
  const side = arch.defaultSize(options.inputShape ?? null);
  return appGraph(arch.build({ ...DEFAULT_APP_OPTIONS, inputShape: [side, side, 3], ...options }));
}
