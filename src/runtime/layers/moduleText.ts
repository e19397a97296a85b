/**
 * The text of `layerlab-layers.ts`, the module generated TypeScript imports for the Keras layers tfjs 4.22
 * lacks: every custom layer file of this folder, each self-contained (it imports only tfjs), joined under one
 * tfjs import. Reads the files as text (Vite `?raw`), so importing this module runs no tfjs: the Code panel
 * offers the text as a download.
 */
const SOURCES = import.meta.glob<string>(['./*.ts', '!./index.ts', '!./moduleText.ts'], { query: '?raw', import: 'default', eager: true });

const TFJS_IMPORT = "import * as tf from '@tensorflow/tfjs';";

/**
 * `layerlab-layers.ts`: a header saying what it is, one tfjs import, then each custom layer file without its own
 * import line, in file-name order.
 * @throws Error when a file imports anything but tfjs (it could not be shipped alone).
 */
export function customLayersModuleText(): string {
  const parts = Object.keys(SOURCES)
    .sort()
    .map((path) => {
      const text = SOURCES[path];
      const imports = text.split('\n').filter((line) => /^import\s/.test(line));
      const foreign = imports.filter((line) => line.trim() !== TFJS_IMPORT);
      if (foreign.length) throw new Error(`${path} imports ${foreign.join('; ')}: a custom layer file may import only tfjs (${TFJS_IMPORT})`);
      return `// ---- ${path.slice(2)} ----\n${text
        .split('\n')
        .filter((line) => line.trim() !== TFJS_IMPORT)
        .join('\n')
        .trim()}\n`;
    });
  return [
    '// layerlab-layers.ts: Keras layers TensorFlow.js 4.22 lacks, as tfjs custom layers (subclasses of',
    "// tf.layers.Layer registered for serialization under their Keras class names), with Keras's arguments,",
    '// weight layout and outputs. Written by Layerlab (its src/runtime/layers folder); generated code imports it',
    "// as `import * as layerlab from './layerlab-layers';` and calls e.g. `layerlab.spatialDropout2d({ rate: 0.2 })`.",
    '',
    TFJS_IMPORT,
    '',
    ...parts,
  ].join('\n');
}
