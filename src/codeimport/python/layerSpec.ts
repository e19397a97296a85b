/**
 * What the Python stand-in (keras_standin.py) needs to know about Layerlab's layers, taken from the core so that a
 * kind added to the registry is importable from code at once: every Keras class name (each kind's `kerasClass` and
 * its `keras.aliases`, mapped to the canonical class), the arguments Keras takes positionally, in order, and those it
 * requires (the definitions' `keras.positional` and `keras.required`, core/layers/define.ts).
 */
import { LAYER_DEFS } from '../../core/layers/registry';
import type { LayerDef } from '../../core/layers/define';
import type { ParamValue } from '../../core/graph/types';

/** One class the stand-in offers as `keras.layers.<name>`. */
export interface StandinClass {
  /** The class Keras 3 writes for it (an alias maps to its kind's class: Convolution2D → Conv2D). */
  readonly canonical: string;
  /** Arguments Keras takes by position, in Keras's order: `Conv2D(32, (3, 3), 2, 'same')`. */
  readonly positional: readonly string[];
  /** The `module` Keras 3 writes for the class, when the kind declares one (the attention layers). */
  readonly module?: string;
  /** Arguments Keras requires (no default: `Dense()` raises); the stand-in raises as Keras does when one is missing. */
  readonly required: readonly string[];
  /**
   * Keras's defaults of the arguments Keras writes into every config and the importer therefore requires (`always`
   * in the core), where Keras has a default (MaxPooling2D pool_size (2, 2)): the stand-in writes them when omitted.
   */
  readonly defaults: Readonly<Record<string, ParamValue>>;
}

/**
 * Keras's positional arguments of a kind, in Keras's order: the definition's `keras.positional` (Keras 3.15's
 * signature where it interleaves arguments Layerlab does not model, e.g. Conv2D's data_format), else its own
 * parameters in the definition's order (a wrapper's `layer` first; Dense(units, activation, use_bias)). Call arguments
 * (MultiHeadAttention's use_causal_mask) and a wrapper's inner parameters are not constructor arguments.
 */
export function kerasPositional(def: LayerDef): readonly string[] {
  if (def.keras?.positional) return def.keras.positional;
  const own = Object.entries(def.params).filter(([, s]) => !s.inner && !s.call);
  return [...own.filter(([, s]) => s.type === 'layer'), ...own.filter(([, s]) => s.type !== 'layer')].map(([k]) => k);
}

/** The stand-in's classes by the name code uses (canonical classes and aliases), from the registry. */
export function standinClasses(): Record<string, StandinClass> {
  const out: Record<string, StandinClass> = {};
  for (const def of LAYER_DEFS) {
    if (def.kind === 'Input') continue;
    const required = def.keras?.required ?? [];
    const always = Object.entries(def.params).filter(([k, s]) => s.always && !s.inner && s.type !== 'layer' && !required.includes(k));
    const entry: StandinClass = {
      canonical: def.kerasClass,
      positional: kerasPositional(def),
      required,
      defaults: Object.fromEntries(always.map(([k, s]) => [k, s.kerasDefault ?? s.default])),
      ...(def.keras?.module ? { module: def.keras.module } : {}),
    };
    for (const name of [def.kerasClass, ...(def.keras?.aliases ?? [])]) out[name] = entry;
  }
  return out;
}

/** The JSON the stand-in's `install` reads. */
export function standinSpecJson(): string {
  return JSON.stringify({ classes: standinClasses() });
}
