/**
 * Typed parameters (issue 9): a kind's argument type is inferred from its parameter schema (`ArgsOf`,
 * params.ts), so layer code reads `p.units` as a number without casts and a typo in a key does not compile.
 * The type assertions below are checked by `tsc -b` (tests are type checked); the runtime checks tie the
 * types to what `checkParam` lets through, since the registry's view hands the functions plain `Params`.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { checkParam, defineLayer, LAYER_DEFS, noWeights, p, type ArgsOf, type ParamSpec } from '../../src/core';
import { dense } from '../../src/core/layers/dense';
import { maxPooling2d } from '../../src/core/layers/maxPooling2d';
import { reLU } from '../../src/core/layers/reLU';
import { conv2d } from '../../src/core/layers/conv2d';
import { pReLU } from '../../src/core/layers/pReLU';
import { lstm } from '../../src/core/layers/lstm';

describe('ArgsOf: argument types from the schema', () => {
  it('gives each spec type its value type, null only where the spec is nullable', () => {
    expectTypeOf<ArgsOf<typeof dense.params>>().toEqualTypeOf<{ readonly units: number; readonly activation: string; readonly use_bias: boolean }>();
    expectTypeOf<ArgsOf<typeof conv2d.params>['kernel_size']>().toEqualTypeOf<readonly number[]>();
    const _schema = {
      strides: p.intTuple({ length: 2, default: null, min: 1, nullable: true, help: 'nullable' }),
      size: p.intTuple({ length: 2, default: [1, 1], min: 1, help: 'not nullable' }),
      rate: p.float({ default: 0, help: 'not nullable' }),
    };
    expectTypeOf<ArgsOf<typeof _schema>>().toEqualTypeOf<{
      readonly strides: readonly number[] | null;
      readonly size: readonly number[];
      readonly rate: number;
    }>();
    // A kind declared through a family helper (pooling) is typed inside the helper; its export is the registry's view.
    expect(maxPooling2d.params.strides.type).toBe('intTuple');
    expectTypeOf<ArgsOf<typeof reLU.params>['max_value']>().toEqualTypeOf<number | null>();
    expectTypeOf<ArgsOf<typeof pReLU.params>['shared_axes']>().toEqualTypeOf<readonly number[] | null>();
    expectTypeOf<ArgsOf<typeof lstm.params>['recurrent_activation']>().toEqualTypeOf<string>();
  });

  it('makes a key the schema lacks a compile error in a definition', () => {
    const def = defineLayer({
      kind: 'Typo',
      category: 'Core',
      description: 'test',
      shapeRule: 'test',
      inputs: { min: 1, max: 1 },
      params: { units: p.int({ default: 1, min: 1, help: 'test' }) },
      // @ts-expect-error 'unit' is not a parameter of this kind
      outputShape: ([x], q) => [x[0], q.unit],
      weights: noWeights,
      keyParams: (q) => String(q.units),
      kerasClass: 'Typo',
      tfjsFactory: null,
      inputSpec: null,
    });
    expect(def.params.units.type).toBe('int');
  });

  it('agrees at run time: every default of every kind has the type its spec promises', () => {
    const kindOf = (s: ParamSpec, v: unknown): boolean => {
      if (v === null) return 'nullable' in s && s.nullable === true;
      switch (s.type) {
        case 'int':
        case 'float':
          return typeof v === 'number';
        case 'intTuple':
        case 'intList':
        case 'shape':
          return Array.isArray(v) && v.every((d) => typeof d === 'number');
        case 'choice':
        case 'layer':
        case 'text':
          return typeof v === 'string';
        case 'bool':
          return typeof v === 'boolean';
      }
    };
    const wrong = LAYER_DEFS.flatMap((d) =>
      Object.entries(d.params)
        .filter(([, s]) => !kindOf(s, s.default) || checkParam(s, s.default) !== null)
        .map(([k]) => `${d.kind}.${k}`),
    );
    expect(wrong).toEqual([]);
  });
});
