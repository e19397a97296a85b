/**
 * Keras Applications for code import: `keras.applications.ResNet50(weights=None, include_top=False, input_shape=…)`
 * and the like, built from Layerlab's templates of the same architectures (core/templates/zoo.ts) and changed as
 * Keras's own builders change them for their arguments (keras/src/applications/{vgg16,resnet,mobilenet}.py,
 * imagenet_utils.obtain_input_shape). The stand-in (keras_standin.py) asks `application` through the `layerlab_core`
 * module and builds the answer as a nested Functional model, so the importer reads it like any model used as a layer.
 *
 * The other architectures (MobileNetV2, EfficientNetB0–B7, Xception, InceptionV3, DenseNet121/169/201, ResNet101/152,
 * ResNet50V2/101V2/152V2, VGG19) are built by core/templates/applications.ts for the arguments given. Any other
 * class is refused by name.
 */
import { kerasArgs } from '../../core/layers/args';
import { layerDef } from '../../core/layers/registry';
import { mobilenet, resnet50, vgg16 } from '../../core/templates/zoo';
import { ARCHITECTURES } from '../../core/templates/applications';
import type { Graph, ParamValue, Params } from '../../core/graph/types';
import type { ArgValue } from '../../core/layers/args';

/** The Keras Applications classes built from a template of the zoo, with the template each starts from. */
export const APPLICATIONS: Readonly<Record<string, () => Graph>> = { VGG16: vgg16, ResNet50: resnet50, MobileNet: mobilenet };

/** Every Keras Applications class the stand-in builds, in the order messages list them. */
export const APPLICATION_NAMES: readonly string[] = [...Object.keys(APPLICATIONS), ...Object.keys(ARCHITECTURES)];

/** One layer of an application as the stand-in makes it: `layers.<class_name>(**args, name=name)(inputs)`. */
export interface ApplicationLayer {
  /** How later layers' `inputs` name it: its name, or an id of its own when Keras names it. */
  readonly id: string;
  readonly class_name: string;
  /** Its name; null where Keras names the layer automatically (VGG16's pooling without the top). */
  readonly name: string | null;
  /** Keras constructor arguments (snake_case). */
  readonly args: Readonly<Record<string, ArgValue>>;
  /** The ids of the layers it reads (the input is `input`), in order; several are passed as a list. */
  readonly inputs: readonly string[];
}

/** What `application` answers: the model to build, or the refusal. */
export type ApplicationAnswer =
  | {
      readonly ok: true;
      /** The model's name as Keras gives it ('resnet50', 'vgg16', 'mobilenet_1.00_224'). */
      readonly name: string;
      /** The input shape without the batch axis (None: a size the model takes of any length). */
      readonly input_shape: readonly (number | null)[];
      readonly layers: readonly ApplicationLayer[];
      /** What the stand-in should tell the user (a Keras layer left out, and why). */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly error: string };

/** The arguments Keras's application functions take (the stand-in passes those the code gave, with Keras's defaults). */
export interface ApplicationArgs {
  readonly include_top?: boolean;
  readonly weights?: string | null;
  readonly input_shape?: readonly (number | null)[] | null;
  readonly pooling?: string | null;
  readonly classes?: number;
  readonly classifier_activation?: string | null;
  readonly alpha?: number;
  readonly depth_multiplier?: number;
  readonly dropout?: number;
}

interface Row {
  kind: string;
  name: string | null;
  params: Params;
  inputs: string[];
}

class Refusal extends Error {}

/** The template as rows in graph order (a topological order: templates add layers after their inputs). */
function rowsOf(g: Graph): Row[] {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  return g.nodes.map((n) => ({
    kind: n.kind,
    name: n.name,
    params: n.params,
    inputs: g.edges.filter((e) => e.target === n.id).map((e) => byId.get(e.source)!.name),
  }));
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
/** A shape as Python writes it: (None, None, 3). */
const pyShape = (s: readonly unknown[]) =>
  `(${s.map((d) => (d === null ? 'None' : typeof d === 'number' ? String(d) : JSON.stringify(d))).join(', ')}${s.length === 1 ? ',' : ''})`;

/**
 * Keras's `imagenet_utils.obtain_input_shape` for channels-last images: the input shape an application is built for.
 * @throws Refusal with Keras's reason (a shape of other than 3 sizes, a side under `minSize`, unknown sizes with the top,
 *   ImageNet weights with another shape than the default and the top).
 */
function inputShapeOf(
  cls: string,
  given: ApplicationArgs['input_shape'],
  includeTop: boolean,
  weights: string | null,
  defaultSize: number,
  minSize = 32,
): (number | null)[] {
  const def = [defaultSize, defaultSize, 3];
  if (weights === 'imagenet' && includeTop) {
    if (given && JSON.stringify(given) !== JSON.stringify(def))
      throw new Refusal(`${cls}: with weights='imagenet' and include_top=True, input_shape must be ${pyShape(def)}, got ${pyShape(given)}`);
    return def;
  }
  if (!given) {
    if (includeTop) return def;
    return [null, null, 3];
  }
  if (given.length !== 3 || !given.every((d) => d === null || (isInt(d) && d > 0)))
    throw new Refusal(`${cls}: input_shape must be a tuple of three integers (height, width, channels), got ${pyShape(given)}`);
  if (weights === 'imagenet' && given[2] !== 3) throw new Refusal(`${cls}: the input must have 3 channels with weights='imagenet', got ${given[2]}`);
  if ((given[0] !== null && given[0] < minSize) || (given[1] !== null && given[1] < minSize))
    throw new Refusal(`${cls}: input size must be at least ${minSize}x${minSize}; received input_shape=${pyShape(given)}`);
  if (includeTop && given.some((d) => d === null))
    throw new Refusal(`${cls}: with include_top=True the input_shape must be static (no None), got ${pyShape(given)}`);
  return [...given];
}

/** Removes the rows after `last` (the top) and adds the pooling Keras adds for `pooling` without the top. */
function withoutTop(rows: Row[], last: string, pooling: string | null, names: { avg: string | null; max: string | null }): Row[] {
  const kept = rows.slice(0, rows.findIndex((r) => r.name === last) + 1);
  if (pooling === 'avg') kept.push({ kind: 'GlobalAveragePooling2D', name: names.avg, params: {}, inputs: [last] });
  else if (pooling === 'max') kept.push({ kind: 'GlobalMaxPooling2D', name: names.max, params: {}, inputs: [last] });
  return kept;
}

const set = (rows: Row[], name: string, params: Record<string, ParamValue>) => {
  const r = rows.find((x) => x.name === name);
  if (r) r.params = { ...r.params, ...params };
};

/** The Keras 3 `classifier_activation` of the top layer (None: linear). */
const activationOf = (a: string | null | undefined): string => (a === null ? 'linear' : (a ?? 'softmax'));

function build(cls: string, a: ApplicationArgs): Extract<ApplicationAnswer, { ok: true }> {
  const make = APPLICATIONS[cls];
  if (!make && !Object.hasOwn(ARCHITECTURES, cls))
    throw new Refusal(`keras.applications.${cls} is not one Layerlab can build; it builds ${APPLICATION_NAMES.join(', ')}`);
  const includeTop = a.include_top ?? true;
  const weights = a.weights === undefined ? 'imagenet' : a.weights;
  const classes = a.classes ?? 1000;
  const pooling = a.pooling ?? null;
  if (typeof includeTop !== 'boolean') throw new Refusal(`${cls}: include_top must be True or False`);
  if (!isInt(classes) || classes < 1) throw new Refusal(`${cls}: classes must be a positive whole number, got ${String(classes)}`);
  if (pooling !== null && pooling !== 'avg' && pooling !== 'max') throw new Refusal(`${cls}: pooling must be None, 'avg' or 'max', got '${String(pooling)}'`);
  if (weights === 'imagenet' && includeTop && classes !== 1000)
    throw new Refusal(`${cls}: with weights='imagenet' and include_top=True, classes must be 1000, got ${classes}`);
  const activation = activationOf(a.classifier_activation);
  // Keras's imagenet_utils.validate_activation: with weights (any but None) the top must give softmax or logits.
  if (weights !== null && includeTop && activation !== 'softmax' && activation !== 'linear')
    throw new Refusal(
      `${cls}: with weights=${weights === 'imagenet' ? "'imagenet'" : 'a weights file'} and include_top=True, classifier_activation must be None or 'softmax', got '${activation}'`,
    );
  if (!make) return buildArchitecture(cls, a, { includeTop, weights, classes, pooling, activation });
  const template = make();
  let rows = rowsOf(template);
  const shape = inputShapeOf(cls, a.input_shape, includeTop, weights, 224);
  let name = template.name;
  if (cls === 'VGG16') {
    if (includeTop) {
      set(rows, 'predictions', { units: classes, activation });
    } else rows = withoutTop(rows, 'block5_pool', pooling, { avg: null, max: null });
  } else if (cls === 'ResNet50') {
    if (includeTop) set(rows, 'predictions', { units: classes, activation });
    else rows = withoutTop(rows, 'conv5_block3_out', pooling, { avg: 'avg_pool', max: 'max_pool' });
  } else {
    const alpha = a.alpha ?? 1.0;
    const depth = a.depth_multiplier ?? 1;
    if (typeof alpha !== 'number' || !(alpha > 0)) throw new Refusal(`MobileNet: alpha must be a positive number, got ${String(alpha)}`);
    if (!isInt(depth) || depth < 1) throw new Refusal(`MobileNet: depth_multiplier must be a positive whole number, got ${String(depth)}`);
    // Keras 3's _conv_block: Conv2D 'conv1' with padding='same' (no ZeroPadding2D before it, as Keras 2.2 had).
    rows = rows
      .filter((r) => r.name !== 'conv1_pad')
      .map((r) => (r.name === 'conv1' ? { ...r, params: { ...r.params, padding: 'same' }, inputs: ['input_1'] } : r));
    for (const r of rows) {
      if (r.kind === 'Conv2D' && r.name !== 'conv_preds') r.params = { ...r.params, filters: Math.trunc((r.params.filters as number) * alpha) };
      if (r.kind === 'DepthwiseConv2D' && depth !== 1) r.params = { ...r.params, depth_multiplier: depth };
    }
    const width = Math.trunc(1024 * alpha);
    if (includeTop) {
      set(rows, 'reshape_1', { target_shape: [1, 1, width] });
      set(rows, 'dropout', { rate: a.dropout ?? 1e-3 });
      set(rows, 'conv_preds', { filters: classes });
      set(rows, 'reshape_2', { target_shape: [classes] });
      rows = rows.map((r) => (r.name === 'act_softmax' ? { ...r, name: 'predictions', params: { activation } } : r));
    } else rows = withoutTop(rows, 'conv_pw_13_relu', pooling, { avg: null, max: null });
    const rows0 = shape[0] ?? 224;
    name = `mobilenet_${alpha.toFixed(2)}_${rows0}`;
  }
  if (rows[0].kind !== 'Input') throw new Refusal(`${cls}: the template does not start with its input`);
  const input = rows[0].name!;
  const layers: ApplicationLayer[] = rows.slice(1).map((r, i) => ({
    id: r.name ?? `${r.kind}#${i}`,
    class_name: layerDef(r.kind)!.kerasClass,
    name: r.name,
    args: Object.fromEntries(kerasArgs({ id: r.name ?? r.kind, kind: r.kind, name: r.name ?? r.kind, params: r.params, position: { x: 0, y: 0 } })),
    inputs: r.inputs.map((n) => (n === input ? 'input' : n)),
  }));
  // The model's output is the last layer's (a layer without a name, the pooling added without the top, is last).
  return { ok: true, name, input_shape: shape, layers, notes: [] };
}

/**
 * An architecture of core/templates/applications.ts for checked arguments: its input shape as Keras's
 * `obtain_input_shape` gives it (the architecture's default and minimum sides), MobileNetV2's `alpha` checked as Keras
 * checks it.
 * @throws Refusal naming the class, the argument and the value Keras would refuse.
 */
function buildArchitecture(
  cls: string,
  a: ApplicationArgs,
  o: { includeTop: boolean; weights: string | null; classes: number; pooling: string | null; activation: string },
): Extract<ApplicationAnswer, { ok: true }> {
  const arch = ARCHITECTURES[cls];
  const alpha = a.alpha ?? 1.0;
  if (cls === 'MobileNetV2') {
    if (typeof alpha !== 'number' || !(alpha > 0)) throw new Refusal(`MobileNetV2: alpha must be a positive number, got ${String(alpha)}`);
    if (o.weights === 'imagenet' && ![0.35, 0.5, 0.75, 1.0, 1.3, 1.4].includes(alpha))
      throw new Refusal(`MobileNetV2: with weights='imagenet', alpha must be one of 0.35, 0.50, 0.75, 1.0, 1.3 or 1.4, got ${alpha}`);
  }
  const given = a.input_shape ?? null;
  const shape = inputShapeOf(cls, given, o.includeTop, o.weights, arch.defaultSize(given), arch.minSize);
  let built;
  try {
    built = arch.build({ ...o, pooling: o.pooling as 'avg' | 'max' | null, inputShape: shape, alpha });
  } catch (e) {
    throw new Refusal(`${cls} on input_shape=${pyShape(shape)}: ${(e as Error).message}`);
  }
  const layers: ApplicationLayer[] = built.rows.slice(1).map((r) => ({
    id: r.id,
    class_name: layerDef(r.kind)!.kerasClass,
    name: r.name,
    args: Object.fromEntries(kerasArgs({ id: r.id, kind: r.kind, name: r.name ?? r.kind, params: r.params, position: { x: 0, y: 0 } })),
    inputs: [...r.inputs],
  }));
  return { ok: true, name: built.name, input_shape: shape, layers, notes: [...built.notes] };
}

/**
 * Builds the Keras Application `cls` for the arguments the code gave (JSON of `ApplicationArgs`), as Keras 3.15 would:
 * the input shape from `input_shape` (checked as Keras checks it: three sizes, each at least 32; unknown sizes only
 * without the top), the top (`include_top`, `classes`, `classifier_activation`) or the pooling Keras adds without it
 * (`pooling`: 'avg' / 'max'), MobileNet's width `alpha` and `depth_multiplier`, MobileNetV2's `alpha`. Weights are never loaded (their values
 * change no shape or count).
 * @returns JSON of an `ApplicationAnswer`: the layers in order (each with Keras arguments and the names of its inputs),
 *   or `{ ok: false, error }` naming the class and the argument Keras would refuse. Never throws.
 */
export function application(cls: string, argsJson: string): string {
  try {
    return JSON.stringify(build(cls, JSON.parse(argsJson) as ApplicationArgs));
  } catch (e) {
    return JSON.stringify({
      ok: false,
      error: e instanceof Refusal ? e.message : `Layerlab could not build keras.applications.${cls}: ${(e as Error).message}`,
    });
  }
}
