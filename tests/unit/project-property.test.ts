/**
 * Property (issue 8, item 2): whatever graph the edit operations can produce — add any registered kind,
 * connect, set a parameter to any value `checkParam` accepts, rename to any name `checkName` accepts, call a
 * layer again (shared layers), duplicate, delete, move, list explicit outputs — and whatever training settings
 * the one definition accepts, saving and loading gives back exactly that project, with no notes.
 * Fixed seed; PROJECT_PROPERTY_RUNS sets the number of cases (default 300).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  addCall,
  addNode,
  checkName,
  checkParam,
  connect,
  DUMMY_DATA_KINDS,
  duplicate,
  emptyGraph,
  LAYER_DEFS,
  layerDef,
  moveNodes,
  OPTIMIZERS,
  parseProjectJson,
  removeEdges,
  removeNodes,
  rename,
  setParam,
  TARGET_KINDS,
  toProjectJson,
  TRAINING_SETTINGS,
  checkTrainingSettings,
  type Graph,
  type ParamSpec,
  type ParamValue,
  type TrainingSettings,
} from '../../src/core';

const RUNS = Number(process.env.PROJECT_PROPERTY_RUNS ?? 300);
const SEED = 8;
const BIG = 2 ** 31 - 1;

/** JSON has no −0: a position or value of −0 is written as 0 (the same number to every reader). */
const noNegZero = (x: number) => (Object.is(x, -0) ? 0 : x);
const coord = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(noNegZero);

/** Values of one parameter that checkParam accepts (edge values included: bounds, nulls, −1 wildcards, permutations). */
function valueArb(spec: ParamSpec): fc.Arbitrary<ParamValue> {
  const ok = (a: fc.Arbitrary<ParamValue>) => a.filter((v) => checkParam(spec, v) === null);
  if (spec.fixed !== undefined) return fc.constant(spec.default as ParamValue);
  const nul = (a: fc.Arbitrary<ParamValue>, nullable?: boolean) => (nullable ? fc.oneof(fc.constant(null), a) : a);
  switch (spec.type) {
    case 'int':
      return fc.integer({ min: spec.min, max: spec.max ?? BIG });
    case 'float':
      return nul(
        ok(fc.double({ min: spec.min ?? -1e9, max: spec.maxExclusive ?? 1e9, maxExcluded: spec.maxExclusive !== undefined, noNaN: true }).map(noNegZero)),
        spec.nullable,
      );
    case 'intTuple': {
      const max = (spec as { max?: number }).max ?? BIG;
      return nul(fc.array(fc.integer({ min: spec.min, max }), { minLength: spec.length, maxLength: spec.length }), spec.nullable);
    }
    case 'shape':
      return ok(fc.array(fc.integer({ min: 1, max: (spec as { maxDim?: number }).maxDim ?? 2 ** 24 }), { minLength: 1, maxLength: spec.maxRank }));
    case 'intList': {
      const perm = fc.integer({ min: spec.minLength, max: spec.maxLength }).chain((n) =>
        fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i + 1),
          { minLength: n, maxLength: n },
        ),
      );
      const plain = fc.array(fc.integer({ min: spec.wildcard ? -1 : spec.min, max: 64 }), { minLength: spec.minLength, maxLength: spec.maxLength });
      return nul(
        ok(
          spec.permutation
            ? perm
            : fc
                .uniqueArray(fc.integer({ min: spec.wildcard ? -1 : spec.min, max: 64 }), { minLength: spec.minLength, maxLength: spec.maxLength })
                .chain((u) => (spec.unique ? fc.constant(u) : plain)),
        ),
        spec.nullable,
      );
    }
    case 'choice':
    case 'layer':
      return fc.constantFrom(...spec.options);
    case 'text':
      return fc.constant(spec.default);
    case 'bool':
      return fc.boolean();
  }
}

const nameArb = fc.stringMatching(/^[A-Za-z0-9][-A-Za-z0-9._]{0,199}$/).filter((n) => checkName(n) === null);

const settingsArb: fc.Arbitrary<TrainingSettings> = fc.record(
  {
    epochs: fc.integer({ min: TRAINING_SETTINGS.epochs.min, max: TRAINING_SETTINGS.epochs.max }),
    batchSize: fc.integer({ min: TRAINING_SETTINGS.batchSize.min, max: TRAINING_SETTINGS.batchSize.max }),
    samples: fc.integer({ min: TRAINING_SETTINGS.samples.min, max: TRAINING_SETTINGS.samples.max }),
    optimizer: fc.constantFrom(...OPTIMIZERS),
    learningRate: fc.double({ min: TRAINING_SETTINGS.learningRate.min, minExcluded: true, max: TRAINING_SETTINGS.learningRate.max, noNaN: true }),
    data: fc.constantFrom(...DUMMY_DATA_KINDS),
    losses: fc.dictionary(fc.string({ maxLength: 30 }), fc.constantFrom(...TARGET_KINDS), { maxKeys: 3 }),
  },
  { requiredKeys: ['epochs', 'batchSize', 'samples', 'optimizer', 'learningRate'] },
);

const KINDS = LAYER_DEFS.map((d) => d.kind);
type Op =
  | { op: 'add'; kind: number; x: number; y: number }
  | { op: 'connect'; a: number; b: number }
  | { op: 'set'; node: number; key: number }
  | { op: 'rename'; node: number; name: string }
  | { op: 'call'; node: number; x: number; y: number }
  | { op: 'duplicate'; nodes: number[] }
  | { op: 'delete'; nodes: number[] }
  | { op: 'unwire'; edge: number }
  | { op: 'move'; node: number; x: number; y: number }
  | { op: 'outputs'; nodes: number[] };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('add' as const), kind: fc.nat(), x: coord, y: coord }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('connect' as const), a: fc.nat(), b: fc.nat() }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('set' as const), node: fc.nat(), key: fc.nat() }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('rename' as const), node: fc.nat(), name: nameArb }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('call' as const), node: fc.nat(), x: coord, y: coord }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('duplicate' as const), nodes: fc.array(fc.nat(), { maxLength: 3 }) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), nodes: fc.array(fc.nat(), { maxLength: 2 }) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('unwire' as const), edge: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('move' as const), node: fc.nat(), x: coord, y: coord }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('outputs' as const), nodes: fc.array(fc.nat(), { maxLength: 3 }) }), weight: 1 },
);

/** Applies the edit operations (refusals leave the graph as it was, as in the editor); `set` draws a value checkParam accepts. */
function play(ops: readonly Op[], name: string, draw: fc.GeneratorValue): Graph {
  let g = emptyGraph(name);
  const pick = (i: number) => (g.nodes.length ? g.nodes[i % g.nodes.length] : null);
  for (const o of ops) {
    switch (o.op) {
      case 'add':
        g = addNode(g, KINDS[o.kind % KINDS.length], { x: o.x, y: o.y }).graph;
        break;
      case 'connect': {
        const a = pick(o.a),
          b = pick(o.b);
        if (a && b) {
          const r = connect(g, a.id, b.id);
          if (r.ok) g = r.graph;
        }
        break;
      }
      case 'set': {
        const n = pick(o.node);
        const specs = n ? Object.entries(layerDef(n.kind)!.params) : [];
        if (!n || !specs.length) break;
        const [key, spec] = specs[o.key % specs.length];
        const r = setParam(g, n.id, key, draw(valueArb, spec));
        if (!r.ok) throw new Error(`setParam refused a value checkParam accepts: ${r.reason}`);
        g = r.graph;
        break;
      }
      case 'rename': {
        const n = pick(o.node);
        if (n) {
          const r = rename(g, n.id, o.name);
          if (r.ok) g = r.graph;
        }
        break;
      }
      case 'call': {
        const n = pick(o.node);
        if (n) {
          const r = addCall(g, n.id, { x: o.x, y: o.y });
          if (r.ok) g = r.graph;
        }
        break;
      }
      case 'duplicate':
        g = duplicate(
          g,
          o.nodes.map((i) => pick(i)?.id).filter((x): x is string => !!x),
        ).graph;
        break;
      case 'delete':
        g = removeNodes(
          g,
          o.nodes.map((i) => pick(i)?.id).filter((x): x is string => !!x),
        );
        break;
      case 'unwire':
        if (g.edges.length) g = removeEdges(g, [g.edges[o.edge % g.edges.length].id]);
        break;
      case 'move': {
        const n = pick(o.node);
        if (n) g = moveNodes(g, new Map([[n.id, { x: o.x, y: o.y }]]));
        break;
      }
      case 'outputs': {
        const ids = [...new Set(o.nodes.map((i) => pick(i)?.id).filter((x): x is string => !!x))];
        g = ids.length ? { ...g, outputs: ids } : g;
        break;
      }
    }
  }
  return g;
}

const stats = { nodes: 0, calls: 0 };
it(`graphs made by the edit operations and settings the definition accepts round-trip exactly (${RUNS} cases, seed ${SEED})`, () => {
  fc.assert(
    fc.property(
      fc.array(opArb, { minLength: 5, maxLength: 40, size: 'large' }),
      fc.string({ maxLength: 40 }),
      settingsArb,
      fc.gen(),
      (ops, name, training, draw) => {
        expect(checkTrainingSettings(training)).toBeNull();
        const graph = play(ops, name, draw);
        const r = parseProjectJson(toProjectJson({ graph, training }));
        if (!r.ok) throw new Error(r.reason);
        expect(r.notes).toEqual([]);
        expect(r.project.graph).toEqual(graph);
        expect(r.project.training).toEqual(training);
        stats.nodes += graph.nodes.length;
        stats.calls += graph.nodes.filter((n) => n.layerOf).length;
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
  // The cases are not trivial: on average several layers, and shared-layer calls among them.
  expect(stats.nodes / RUNS).toBeGreaterThan(3);
  expect(stats.calls).toBeGreaterThan(RUNS / 4);
});
