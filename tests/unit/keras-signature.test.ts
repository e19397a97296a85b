/**
 * Keras's constructor signatures against the layer definitions (LayerDef `keras.positional`, `keras.required`), which
 * code import reads (src/codeimport/python/layerSpec.ts): `layers.Conv2DTranspose(8, 3, 1, "same", None, None, 1,
 * "relu")` must give each value to the argument Keras gives it, and `layers.AveragePooling2D()` must fail as it fails in
 * Keras. The oracle is tests/fixtures/keras/keras-signatures.json, written by Keras 3.15 itself
 * (tests/keras/signatures.py, `inspect.signature`); tests/keras/signature.oracle.test.ts checks that record against
 * the Keras of the oracle environment. Also checked: the arguments the generated Python writes by position are the
 * first of those positional arguments, in order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAYER_DEFS } from '../../src/core/layers/registry';
import type { LayerDef } from '../../src/core/layers/define';
import { kerasPositional, standinClasses } from '../../src/codeimport/python/layerSpec';

interface Signature {
  readonly positional: readonly string[];
  readonly required: readonly string[];
}
const RECORD = JSON.parse(readFileSync(new URL('../fixtures/keras/keras-signatures.json', import.meta.url), 'utf8')) as {
  keras: string;
  classes: Record<string, Signature | null>;
};

/** The kind's constructor arguments (not call arguments, not a wrapper's inner ones). */
const ownArgs = (d: LayerDef) =>
  Object.entries(d.params)
    .filter(([, s]) => !s.inner && !s.call)
    .map(([k]) => k);

/** Kinds with a class of their own in Keras 3 (ThresholdedReLU is written as ReLU: LayerDef `keras3`). */
const KINDS = LAYER_DEFS.filter((d) => d.kind !== 'Input' && !d.keras3);

describe(`the layer definitions agree with Keras ${RECORD.keras}'s constructor signatures`, () => {
  it('the record has every Keras class Layerlab offers (regenerate it with tests/keras/signatures.py when a kind is added)', () => {
    expect(KINDS.filter((d) => !RECORD.classes[d.kerasClass]).map((d) => d.kerasClass)).toEqual([]);
  });

  it.each(KINDS.map((d) => [d.kerasClass, d] as const))('%s: positional arguments in Keras order, reaching every one the kind models', (cls, d) => {
    const keras = RECORD.classes[cls]!.positional;
    const ours = kerasPositional(d);
    // A prefix of Keras's list: the n-th value given by position goes to Keras's n-th argument.
    expect(ours, `${cls}: ${ours.join(', ')} against Keras's ${keras.join(', ')}`).toEqual(keras.slice(0, ours.length));
    // Long enough: every argument the kind models that Keras takes by position can be given by position.
    const modelled = ownArgs(d);
    const last = Math.max(-1, ...keras.map((k, i) => (modelled.includes(k) ? i : -1)));
    expect(ours.length, `${cls}: Keras takes ${keras.slice(ours.length, last + 1).join(', ')} by position too`).toBeGreaterThanOrEqual(last + 1);
  });

  it.each(KINDS.map((d) => [d.kerasClass, d] as const))('%s: required arguments are those without a default in Keras', (cls, d) => {
    expect([...standinClasses()[cls].required].sort()).toEqual([...RECORD.classes[cls]!.required].sort());
    // Each is a parameter of the kind, so the importer reads it.
    for (const k of d.keras?.required ?? []) expect(ownArgs(d)).toContain(k);
  });

  it("the generated Python's positional arguments (the leading `always` parameters) are the first of Keras's, in order", () => {
    const wrong: string[] = [];
    for (const d of KINDS) {
      const own = Object.entries(d.params).filter(([, s]) => !s.inner && !s.call && s.type !== 'layer');
      const leading: string[] = [];
      for (const [k, s] of own) {
        if (!s.always) break;
        leading.push(k);
      }
      // A wrapper writes its wrapped layer first (`Bidirectional(LSTM(8))`).
      const written = Object.values(d.params).some((s) => s.type === 'layer') ? ['layer', ...leading] : leading;
      const keras = RECORD.classes[d.kerasClass]!.positional;
      if (JSON.stringify(keras.slice(0, written.length)) !== JSON.stringify(written))
        wrong.push(`${d.kerasClass}: writes ${written.join(', ')}; Keras: ${keras.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });
});
