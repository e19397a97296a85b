/**
 * How long importing and laying out an InceptionV3-size model (~300 layers) takes.
 * Run: npx vitest bench --run bench/import-layout.bench.ts   (figures, not assertions)
 * In the page the ELK layout runs in a Web Worker, so the main thread pays only the import.
 */
import { bench, describe } from 'vitest';
import ELK from 'elkjs/lib/elk.bundled.js';
import { autoLayout, exportKerasJson, fromElk, importKerasJson, toElk, type ElkGraph } from '../src/core';
import { bigGraph } from '../tests/fixtures/bigGraph';

const json = (() => {
  const r = exportKerasJson(bigGraph());
  if (!r.ok) throw new Error(r.reason);
  return r.json;
})();
const parsed = importKerasJson(json, { layout: false });
if (!parsed.ok) throw new Error(parsed.reason);
const elk = new ELK();

describe(`import + layout of a ${parsed.graph.nodes.length}-layer model (${(json.length / 1024).toFixed(0)} KB of Keras JSON)`, () => {
  bench('import only (parse, zod check, build graph)', () => {
    importKerasJson(json, { layout: false });
  });
  bench('import + dagre layout', () => {
    importKerasJson(json);
  });
  bench('ELK layered layout (in process; the page runs it in a worker)', async () => {
    fromElk(parsed.graph, (await elk.layout(toElk(parsed.graph) as never)) as unknown as ElkGraph);
  });
  bench('dagre layout only', () => {
    autoLayout(parsed.graph);
  });
});
