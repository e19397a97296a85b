// ESLint flat config for Layerlab (`npm run lint`; CI runs it after `npm ci`).
//
// Layers, each for a reason:
// - @eslint/js recommended and typescript-eslint recommended, everywhere (src, tests, bench, scripts, configs).
// - Type-aware typescript-eslint rules (recommendedTypeChecked) for src/ only: they catch what tsc does not
//   (floating promises, "[object Object]" in strings, any leaking into typed code) and the whole lint stays
//   around 25 s on 2 cores. Tests, bench and scripts are linted without type information (tsc -b checks them).
// - react-hooks (7.x, with the React Compiler rules) for the React code.
// - The architecture rule: src/core and src/codegen are pure TypeScript and import no React, React Flow,
//   zustand or tfjs (ARCHITECTURE.md). Only src/runtime imports tfjs; only src/store and the UI import zustand.
//
// No rule is staged as a warning: every type-aware rule of the recommended set is an error.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Packages the pure layers (src/core, src/codegen) must not import, with the reason shown in the error. */
const UI_AND_RUNTIME_PACKAGES = [
  { regex: '^react(-dom)?(/.*)?$', message: 'src/core and src/codegen are pure TypeScript: no React (see ARCHITECTURE.md).' },
  { regex: '^(zustand|zundo)(/.*)?$', message: 'src/core and src/codegen are pure TypeScript: state lives in src/store (see ARCHITECTURE.md).' },
  { regex: '^@xyflow/', message: 'src/core and src/codegen are pure TypeScript: React Flow belongs to src/canvas (see ARCHITECTURE.md).' },
  { regex: '^@tensorflow/', message: 'src/core and src/codegen are pure TypeScript: only src/runtime imports tfjs (see ARCHITECTURE.md).' },
];

/** Application folders that must not be reached from the pure layers either (they import React, zustand or tfjs). */
const IMPURE_FOLDERS = ['**/store/**', '**/canvas/**', '**/inspector/**', '**/panels/**', '**/app/**', '**/runtime/**'];

export default defineConfig(
  {
    name: 'layerlab/ignores',
    ignores: ['dist/**', 'bench-results/**', 'test-results/**', 'node_modules/**', 'coverage/**', '.scratch/**', '.vite/**', 'public/**', '.*.mjs'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'layerlab/react-hooks',
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.tsx'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    name: 'layerlab/language',
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.worker },
    },
  },
  {
    name: 'layerlab/node-scripts',
    files: ['tests/**', 'bench/**', 'scripts/**', '*.config.{js,ts}', '.ci/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'layerlab/type-aware',
    files: ['src/**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `async` on a method that does not await is how a Kv or a tfjs callback turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // zustand actions are arrow functions typed as methods (`set(x): void`): unbinding them is safe.
      '@typescript-eslint/unbound-method': 'off',
      // React ignores an event handler's result; the async handlers (copy, ask tfjs) catch their own errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // Passing on a rejection reason unchanged (`reject(e)` from a caught promise) is not inventing a non-Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true, allowThrowingAny: true }],
    },
  },
  {
    name: 'layerlab/rules',
    rules: {
      // `_`-prefixed names are deliberately unused (tsc's noUnusedParameters follows the same convention).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    name: 'layerlab/pure-core',
    files: ['src/core/**', 'src/codegen/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...UI_AND_RUNTIME_PACKAGES,
            { group: IMPURE_FOLDERS, message: 'src/core and src/codegen must not import the app layers (store, canvas, inspector, panels, app, runtime).' },
          ],
        },
      ],
    },
  },
);
