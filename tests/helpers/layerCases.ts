/**
 * The per-kind contract tables (tests/contract/layers/*.cases.ts) in one map, and the graph each case stands
 * for. Used by the layer contract test, the Keras JSON round trip of every kind and the kind checks. A new
 * family file of cases is added to FAMILIES here, once.
 */
import { LAYER_DEFS, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { ACTIVATION } from '../contract/layers/activation.cases';
import { ATTENTION } from '../contract/layers/attention.cases';
import { CONV } from '../contract/layers/conv.cases';
import { CORE } from '../contract/layers/core.cases';
import { MERGE_NORM } from '../contract/layers/merge-norm.cases';
import { NORM_PREPROCESSING } from '../contract/layers/norm-preprocessing.cases';
import { POOLING } from '../contract/layers/pooling.cases';
import { RECURRENT } from '../contract/layers/recurrent.cases';
import { SPATIAL } from '../contract/layers/spatial.cases';
import type { Case, KindTable } from '../contract/layers/types';

type Tables = Readonly<Record<string, KindTable>>;

/**
 * Merges family tables into one map by kind.
 * @throws Error naming the kind and both families when two families define the same kind (a spread would
 * silently keep only the last table).
 */
export function mergeTables(families: Readonly<Record<string, Tables>>): Tables {
  const merged: Record<string, KindTable> = {};
  const from: Record<string, string> = {};
  for (const [family, tables] of Object.entries(families)) {
    for (const [kind, table] of Object.entries(tables)) {
      if (kind in merged) throw new Error(`Layer kind '${kind}' has cases in two families: ${from[kind]} and ${family}; keep one table.`);
      merged[kind] = table;
      from[kind] = family;
    }
  }
  return merged;
}

/** Every family file of cases, by the name of its export. */
const FAMILIES = { CORE, CONV, POOLING, MERGE_NORM, RECURRENT, ACTIVATION, SPATIAL, NORM_PREPROCESSING, ATTENTION };

/** The valid and invalid cases of every kind that has a table, by kind. */
export const LAYER_TABLES: Tables = mergeTables(FAMILIES);

/** Every registered layer kind except Input, in registry order. */
export const LAYER_KINDS: readonly string[] = LAYER_DEFS.filter((d) => d.kind !== 'Input').map((d) => d.kind);

/**
 * The graph of one case: one Input per input shape of `c` (named `in_0`, `in_1`, …; the batch axis dropped)
 * feeding one layer of `kind` with the case's parameters, named `layer`. Returns the graph and the layer's id.
 * @throws Error when the builder refuses a connection (the case's input count does not fit the kind).
 */
export function singleLayerGraph(kind: string, c: Case): { graph: Graph; id: string } {
  let id = '';
  const graph = buildGraph('case', (b) => {
    const ins = c.inputs.map((s, i) => b.add('Input', { shape: s.slice(1) as number[] }, `in_${i}`));
    id = b.add(kind, c.params, 'layer', ins);
  });
  return { graph, id };
}
