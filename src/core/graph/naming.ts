/**
 * Layer names the Keras way.
 */
import { describeValue, firstUnsafeChar, quoteName } from '../validate/describe';

/**
 * Keras's `to_snake_case` for class names (keras/src/utils/naming.py):
 * 'Conv2D' → 'conv2d', 'MaxPooling2D' → 'max_pooling2d', 'BatchNormalization' → 'batch_normalization'.
 */
export function toSnakeCase(name: string): string {
  const a = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  return a.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Name prefix of a new layer of a kind: Keras names Inputs 'input_layer' (Keras 3); others by class. */
export const namePrefix = (kind: string): string => (kind === 'Input' ? 'input_layer' : toSnakeCase(kind));

/**
 * Next free auto-name for a kind, as Keras numbers them: 'dense', 'dense_1', 'dense_2', …
 * (the first free one, so names freed by deletion are reused).
 */
export function autoName(kind: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = namePrefix(kind);
  if (!used.has(base)) return base;
  for (let i = 1; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * A namer for many new layers at once (duplicating a selection): each call returns what `autoName` would
 * return if every name given so far were taken too, and marks it taken. Linear in the number of names:
 * one set of taken names and, per prefix, the lowest suffix that may still be free (suffixes are only ever
 * taken, so the first free one never moves down).
 */
export function autoNamer(taken: Iterable<string>): (kind: string) => string {
  const used = new Set(taken);
  const cursor = new Map<string, number>();
  return (kind) => {
    const base = namePrefix(kind);
    let name = base;
    if (used.has(base)) {
      let i = cursor.get(base) ?? 1;
      while (used.has(`${base}_${i}`)) i++;
      cursor.set(base, i + 1);
      name = `${base}_${i}`;
    }
    used.add(name);
    return name;
  };
}

/** Longest layer or model name, in characters: the project file, the importer and the inspector share it. */
export const MAX_NAME_LENGTH = 200;

/**
 * Names a layer may not have although the pattern allows them: the properties of JavaScript's
 * `Object.prototype`. tfjs keys per-output losses and metrics by output layer name in plain objects
 * (tfjs-layers training.ts), so an output named `hasOwnProperty` or `constructor` cannot train ("… is not
 * a function"); every key of Object.prototype is refused, for every layer (a layer may become an output
 * by one deleted edge).
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** True for a name that is a property of `Object.prototype` (see PROTOTYPE_KEYS). */
export const isPrototypeKey = (name: string): boolean => PROTOTYPE_KEYS.has(name);

/** The characters of a valid layer name (see `checkName`). */
const VALID_NAME = /^[A-Za-z0-9][-A-Za-z0-9._]*$/;

/**
 * Layer names both Keras 3 and tfjs accept: tfjs-core's `isValidTensorName`
 * (/^[A-Za-z0-9][-A-Za-z0-9\._\/]*$/) without '/', which Keras 3 refuses ("Argument `name` … cannot
 * contain character `/`", keras/src/ops/operation.py), and not a key of Object.prototype (tfjs cannot train
 * an output so named: PROTOTYPE_KEYS). Each refusal says why; the name is shown with control and bidi
 * characters escaped.
 * @returns null when valid, otherwise the reason (a sentence fragment naming the offending character).
 */
export function checkName(name: string): string | null {
  if (typeof name !== 'string') return `a layer name must be text (got ${describeValue(name)})`;
  if (name.length === 0) return 'a layer needs a name';
  if (name.length > MAX_NAME_LENGTH) return `a layer name may have at most ${MAX_NAME_LENGTH} characters (this one has ${name.length})`;
  // The usual case first: a plain name (the pattern admits no control, bidi or '/' character) that is not a
  // prototype key is valid, with no message to build.
  if (VALID_NAME.test(name) && !isPrototypeKey(name)) return null;
  const shown = quoteName(name);
  const hidden = firstUnsafeChar(name);
  if (hidden) return `${shown} is not a valid layer name: it contains the invisible control character ${hidden}; use letters, digits, '_', '-' or '.'`;
  if (name.includes('/')) return `${shown} is not a valid layer name: Keras 3 refuses '/' in layer names; use letters, digits, '_', '-' or '.'`;
  if (!VALID_NAME.test(name)) return `${shown} is not a valid layer name: use letters, digits, '_', '-' or '.', starting with a letter or digit`;
  return `${shown} is not a valid layer name: it is a built-in JavaScript property name, and tfjs cannot train an output layer so named; choose another name`;
}

/**
 * Checks the model's name (`graph.name`), which code generators write into Python and TypeScript string
 * literals and comments and Keras / tfjs use as the model's name: at most MAX_NAME_LENGTH characters, no
 * control, bidi or invisible characters (they could make generated code display differently from what it
 * does: Trojan Source), no '/' (Keras 3 refuses it in any name, models included). Spaces and other printable
 * characters are allowed (tfjs and Keras accept them for a model).
 * @returns null when valid, otherwise the reason as a full sentence.
 */
export function checkModelName(name: string): string | null {
  if (typeof name !== 'string') return `The model name must be text (got ${describeValue(name)}).`;
  if (name.length > MAX_NAME_LENGTH) return `The model name may have at most ${MAX_NAME_LENGTH} characters (this one has ${name.length}); rename the model.`;
  const hidden = firstUnsafeChar(name);
  if (hidden) return `The model name ${quoteName(name)} contains the invisible control character ${hidden}; rename the model.`;
  if (name.includes('/')) return `The model name ${quoteName(name)} contains '/', which Keras 3 refuses in names; rename the model.`;
  return null;
}
