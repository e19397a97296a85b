/**
 * Layer names the Keras way.
 */

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

/** Longest layer or model name, in characters: the project file, the importer and the inspector share it. */
export const MAX_NAME_LENGTH = 200;

/**
 * Layer names tfjs accepts (tfjs-core `isValidTensorName`: /^[A-Za-z0-9][-A-Za-z0-9\._\/]*$/),
 * a subset of what Keras accepts.
 * @returns null when valid, otherwise the reason.
 */
export function checkName(name: string): string | null {
  if (name.length === 0) return 'a layer needs a name';
  if (name.length > MAX_NAME_LENGTH) return `a layer name may have at most ${MAX_NAME_LENGTH} characters (this one has ${name.length})`;
  if (!/^[A-Za-z0-9][-A-Za-z0-9._/]*$/.test(name))
    return `'${name}' is not a valid layer name: use letters, digits, '_', '-', '.' or '/', starting with a letter or digit`;
  return null;
}
