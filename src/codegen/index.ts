/**
 * Code generation: TypeScript (tfjs 4.22) and Python (Keras), Sequential, Functional or (Python) Model subclassing,
 * each line mapped to the nodes it builds. Pure: no React, no tfjs.
 */
export { explainApi, FUNCTIONAL_ADDS, SUBCLASSING_NOTE, TFJS_NO_SUBCLASSING, type ApiChoice } from './api';
export {
  camelBase,
  formSpecific,
  identifiers,
  JS_RESERVED,
  PY_RESERVED,
  pyString,
  snakeBase,
  tsString,
  type ApiForm,
  type CodeResult,
  type LineKind,
} from './common';
export { generateTypeScript, tsValue } from './typescript';
export { generatePython, KERAS_MODEL_ATTRS, pyClassName, pyLayerArgs, pyValue } from './python';
