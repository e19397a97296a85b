/** Code generation: TypeScript (tfjs 4.22) and Python (Keras), Sequential or Functional. Pure: no React, no tfjs. */
export { explainApi, FUNCTIONAL_ADDS, type ApiChoice } from './api';
export { camelBase, identifiers, JS_RESERVED, PY_RESERVED, pyString, snakeBase, tsString, type ApiForm, type CodeResult } from './common';
export { generateTypeScript, tsValue } from './typescript';
export { generatePython, pyLayerArgs, pyValue } from './python';
