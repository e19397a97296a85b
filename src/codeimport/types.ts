/**
 * Code import (issue: paste Keras code, get the model): the contract between the code editor, the client that runs
 * imports off the main thread, and the two engines (Python through Pyodide with a recording stand-in for Keras,
 * `python/`; tfjs TypeScript or JavaScript against a recording stand-in for `tf`, `typescript/`).
 */
import type { Graph } from '../core/graph/types';

/** The languages code can be imported from. */
export type CodeLanguage = 'python' | 'typescript';

/**
 * What an import gives: the model as a graph (laid out, with Keras's names) and notes on what was changed or
 * ignored to read it (e.g. "model.fit(...) at line 40 ignored"), or why it could not be read: a specific message,
 * with the 1-based line of the code it concerns when there is one (a Python exception's line, an unknown layer
 * class's line).
 */
export type CodeImportResult =
  { readonly ok: true; readonly graph: Graph; readonly notes: readonly string[] } | { readonly ok: false; readonly reason: string; readonly line?: number };

/** A request to an import worker. `id` pairs the answer with the request. */
export interface CodeImportRequest {
  readonly id: number;
  readonly language: CodeLanguage;
  readonly code: string;
}

/** An import worker's answer, or its progress while loading (Pyodide's first load: `loading` with a fraction 0…1). */
export type CodeImportMessage =
  | { readonly id: number; readonly type: 'result'; readonly result: CodeImportResult }
  | { readonly id: number; readonly type: 'progress'; readonly stage: string; readonly fraction?: number };
