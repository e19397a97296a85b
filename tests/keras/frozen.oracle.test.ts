/**
 * Keras 3 as the oracle for frozen layers (Keras trainable=False, LayerNode.trainable): for the graphs of
 * tests/helpers/frozenGraphs.ts (a frozen Dense and BatchNormalization, a frozen Bidirectional LSTM, a frozen shared
 * layer, a frozen nested model, a nested model frozen but one of its layers), the generated Python in every form and
 * both Keras JSON exports run in real Keras 3 (tests/keras/runner.py), and Keras's trainable and non-trainable counts
 * (`model.trainable_weights`, `non_trainable_weights`), of the model and of each layer, must equal the core's.
 * The Keras 2 / tfjs JSON form is read by Keras 3 only without nested models (README: it reads legacy node indices as
 * is), so the frozen nested models go through the Keras 3 form only there.
 * Run: `npx vitest run --config tests/keras/vitest.config.ts tests/keras/frozen.oracle.test.ts`. Skipped, saying how
 * to get it, without the Keras environment (scripts/keras-env.sh).
 */
import { describe, expect, it } from 'vitest';
import { KERAS_AVAILABLE, runKerasPrograms } from './python';
import { analyze, DEFAULT_TRAINING, exportKeras3Json, exportKerasJson, hasBlocks, summarize, type Graph } from '../../src/core';
import { generatePython } from '../../src/codegen';
import { frozenGraphs } from '../helpers/frozenGraphs';

interface KerasModel {
  layers: { name: string; class: string; trainable: number; non_trainable: number }[];
  trainable: number;
  non_trainable: number;
  total: number;
}
type KerasResult = { id: string; ok: true; model: KerasModel } | { id: string; ok: false; error: string };

/** Every difference between the core's counts of `g` and Keras's (the model's, and each summary row's that Keras lists). */
function differences(g: Graph, k: KerasModel): string[] {
  const a = analyze(g);
  const out: string[] = [];
  const mine = { total: a.totals.total, trainable: a.totals.trainable, non_trainable: a.totals.nonTrainable };
  const theirs = { total: k.total, trainable: k.trainable, non_trainable: k.non_trainable };
  if (JSON.stringify(mine) !== JSON.stringify(theirs)) out.push(`totals ${JSON.stringify(theirs)}, core ${JSON.stringify(mine)}`);
  // Per row: a row's parameters are the weights of the layer (a block: its layers'); its trainable part from the analysis.
  const byName = new Map(g.nodes.map((n) => [n.name, n]));
  for (const l of k.layers) {
    const n = byName.get(l.name);
    if (!n || n.kind === 'Input') continue;
    const w = a.nodes.get(n.id)?.weights;
    if (w && (w.trainable !== l.trainable || w.nonTrainable !== l.non_trainable))
      out.push(`${l.name}: Keras ${l.trainable} / ${l.non_trainable}, core ${w.trainable} / ${w.nonTrainable}`);
  }
  return out;
}

const FORMS = ['functional', 'subclassing', 'sequential'] as const;

describe.skipIf(!KERAS_AVAILABLE)('Keras 3 counts frozen layers as the core does', () => {
  it('generated Python (every form) and the Keras JSON exports (Keras 3 form; Keras 2 form without nested models)', () => {
    const programs: { id: string; kind: 'python' | 'json'; text: string; g: Graph }[] = [];
    for (const [what, g] of frozenGraphs()) {
      for (const form of FORMS) {
        if (form === 'sequential' && !summarize(g, analyze(g)).sequential) continue;
        const c = generatePython(g, DEFAULT_TRAINING, form);
        if (!c.ok) throw new Error(`${what} ${form}: ${c.reason}`);
        programs.push({ id: `${what} ${form}`, kind: 'python', text: c.code.slice(0, c.code.indexOf('model.compile(')), g });
      }
      const k3 = exportKeras3Json(g);
      if (!k3.ok) throw new Error(`${what}: ${k3.reason}`);
      programs.push({ id: `${what} Keras 3 JSON`, kind: 'json', text: k3.json, g });
      if (!hasBlocks(g)) {
        const k2 = exportKerasJson(g);
        if (!k2.ok) throw new Error(`${what}: ${k2.reason}`);
        programs.push({ id: `${what} Keras 2 JSON`, kind: 'json', text: k2.json, g });
      }
    }
    const results = runKerasPrograms<KerasResult>(programs.map(({ id, kind, text }) => ({ id, kind, text })));
    const problems: string[] = [];
    for (const p of programs) {
      const r = results.get(p.id)!;
      if (!r.ok) problems.push(`${p.id}: Keras failed: ${r.error}`);
      else for (const d of differences(p.g, r.model)) problems.push(`${p.id}: ${d}`);
    }
    expect(problems).toEqual([]);
    // Every graph has frozen weights, so the comparison is about them.
    for (const p of programs) expect(analyze(p.g).totals.nonTrainable, p.id).toBeGreaterThan(0);
  });

  it('the comparison sees a layer left trainable', () => {
    const [[, g]] = frozenGraphs();
    const c = generatePython(g, DEFAULT_TRAINING, 'functional');
    if (!c.ok) throw new Error(c.reason);
    const code = c.code.slice(0, c.code.indexOf('model.compile('));
    expect(code.match(/trainable=False/g)).toHaveLength(2);
    const open = code.replace('trainable=False, ', '');
    const r = runKerasPrograms<KerasResult>([{ id: 'open', kind: 'python', text: open }]).get('open')!;
    expect(r.ok && differences(g, r.model).some((d) => d.startsWith('totals'))).toBe(true);
  });
});
