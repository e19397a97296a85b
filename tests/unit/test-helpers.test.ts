/**
 * The shared test helpers (tests/helpers) do what their docstrings say: the case tables merge refuses a kind
 * defined twice instead of keeping the last table; the hand-made chain has the names the editor would give and
 * is valid; a template or parameter that does not exist is named in the error.
 */
import { describe, expect, it } from 'vitest';
import { addNode, analyze, emptyGraph, isChain, TEMPLATES } from '../../src/core';
import { denseChain, paramSpec, structure } from '../helpers/graphs';
import { LAYER_KINDS, LAYER_TABLES, mergeTables } from '../helpers/layerCases';
import { tpl } from '../helpers/templates';
import { ok } from '../contract/layers/types';

describe('mergeTables', () => {
  const table = { valid: [ok({}, [null, 2])], invalid: [] };
  it('refuses a kind that two families define, naming the kind and both families', () => {
    expect(() => mergeTables({ CORE: { Dense: table }, EXTRA: { Flatten: table, Dense: table } })).toThrow(
      "Layer kind 'Dense' has cases in two families: CORE and EXTRA; keep one table.",
    );
  });
  it('keeps every table of disjoint families', () => {
    expect(Object.keys(mergeTables({ A: { Dense: table }, B: { Flatten: table } }))).toEqual(['Dense', 'Flatten']);
    expect(Object.keys(LAYER_TABLES).every((k) => LAYER_KINDS.includes(k))).toBe(true);
  });
});

describe('denseChain', () => {
  it('names the layers as adding them one by one in the editor does, and is a valid chain of (n − 1)·(w² + w) parameters', () => {
    let g = emptyGraph();
    for (const kind of ['Input', 'Dense', 'Dense', 'Dense']) g = addNode(g, kind, { x: 0, y: 0 }).graph;
    const chain = denseChain(4, 'chain', 3);
    expect(chain.nodes.map((n) => n.name)).toEqual(g.nodes.map((n) => n.name));
    expect(isChain(chain)).toBe(true);
    const a = analyze(chain);
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.total).toBe(3 * (3 * 3 + 3));
    expect(structure(chain).inputs).toEqual(['dense ← input_layer', 'dense_1 ← dense', 'dense_2 ← dense_1', 'input_layer ← ']);
    expect(() => denseChain(0)).toThrow(RangeError);
  });
});

describe('lookups that name what is missing', () => {
  it('tpl builds a template by id, or names the id and the known ones', () => {
    expect(tpl(TEMPLATES[0].id)).toEqual(TEMPLATES[0].build());
    expect(() => tpl('no-such')).toThrow(new RegExp(`^No template 'no-such' \\(known: ${TEMPLATES[0].id}, `));
  });
  it('paramSpec returns the schema, or names the kind and the key', () => {
    expect(paramSpec('Dense', 'units').type).toBe('int');
    expect(() => paramSpec('Dense', 'unit')).toThrow("No parameter 'unit' on layer kind 'Dense'.");
    expect(() => paramSpec('Dens', 'units')).toThrow("No parameter 'units' on layer kind 'Dens'.");
  });
});
