/**
 * The project file keeps everything (issue 8, items 1, 2, 3, 5, 7): every template round-trips through
 * toProjectJson → parseProjectJson with the same graph (shared layers included), the same analysis and no
 * notes; values the editor holds load, flagged by the validator rather than refused; a bad value is repaired
 * with a note naming where; a newer file is refused saying so; migrations run in order.
 */
import { describe, expect, it } from 'vitest';
import {
  addCall,
  analyze,
  DEFAULT_TRAINING,
  LAYER_DEFS,
  layerDef,
  MAX_NAME_LENGTH,
  MAX_PARAM_LIST,
  parseProjectJson,
  PROJECT_FORMAT,
  PROJECT_VERSION,
  TEMPLATES,
  templateById,
  toProjectJson,
  type Graph,
  type ParamMigration,
} from '../../src/core';
import { PROJECT_MIGRATIONS, type MigrationSource } from '../../src/core/serialize/migrations';
import { buildGraph } from '../../src/core/templates/build';
import { LEAKS } from '../helpers/messages';
import { tpl } from '../helpers/templates';

const codes = (g: Graph) =>
  analyze(g)
    .diagnostics.map((d) => `${d.code} ${d.nodeId ?? ''}`)
    .sort();

describe.each(TEMPLATES.map((t) => [t.id, t] as const))('template %s', (_id, t) => {
  it('round-trips exactly, with the same totals, no new diagnostics and no notes', () => {
    const graph = t.build();
    const training = { ...DEFAULT_TRAINING, epochs: 9, data: 'noise' as const };
    const r = parseProjectJson(toProjectJson({ graph, training }));
    if (!r.ok) throw new Error(r.reason);
    expect(r.notes).toEqual([]);
    expect(r.project.graph).toEqual(graph);
    expect(r.project.training).toEqual(training);
    const before = analyze(graph);
    const after = analyze(r.project.graph);
    expect(after.totals).toEqual(before.totals);
    expect(codes(r.project.graph)).toEqual(codes(graph));
  });
});

describe('shared layers', () => {
  it('the siamese template keeps its shared encoder (2,610 parameters, no duplicate-name errors) after save and load', () => {
    const g = tpl('siamese');
    expect(g.nodes.some((n) => n.layerOf)).toBe(true);
    const r = parseProjectJson(toProjectJson({ graph: g, training: DEFAULT_TRAINING }));
    if (!r.ok) throw new Error(r.reason);
    const a = analyze(r.project.graph);
    expect(a.totals.total).toBe(2610);
    expect(a.valid).toBe(true);
    expect(r.project.graph.nodes.filter((n) => n.layerOf).map((n) => n.id)).toEqual(g.nodes.filter((n) => n.layerOf).map((n) => n.id));
  });

  it('a call whose owner is not in the file becomes a layer of its own, with a note', () => {
    const g = buildGraph('m', (b) => void b.add('Dense', { units: 2 }, 'd', [b.add('Input', { shape: [3] }, 'x')]));
    const bad = { ...g, nodes: g.nodes.map((n, i) => (i === 1 ? { ...n, layerOf: 'gone' } : n)) };
    const r = parseProjectJson(toProjectJson({ graph: bad, training: DEFAULT_TRAINING }));
    if (!r.ok) throw new Error(r.reason);
    expect(r.project.graph.nodes[1].layerOf).toBeUndefined();
    expect(r.notes).toEqual([`graph.nodes.1.layerOf: 'gone' is not another node of this graph; layer 'd' becomes a layer of its own.`]);
  });

  it('keeps explicit outputs (Graph.outputs) in order, dropping ids of missing nodes with a note', () => {
    const g = templateById('two-headed')?.build() ?? TEMPLATES.find((t) => analyze(t.build()).outputs.length > 1)!.build();
    const outs = [...analyze(g).outputs].reverse();
    const text = toProjectJson({ graph: { ...g, outputs: [...outs, 'nope'] } as Graph, training: DEFAULT_TRAINING });
    const r = parseProjectJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect((r.project.graph as Graph & { outputs?: string[] }).outputs).toEqual(outs);
    expect(r.notes).toEqual([`graph.outputs.${outs.length}: 'nope' is not a node of this graph; dropped from the outputs.`]);
  });
});

/** A small graph and its file as raw JSON, to edit. */
const denseFile = () => {
  const g = buildGraph('m', (b) => void b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [b.add('Input', { shape: [3] }, 'x')]));
  return JSON.parse(toProjectJson({ graph: g, training: DEFAULT_TRAINING })) as {
    graph: { nodes: { name: string; params: Record<string, unknown> }[] };
    training: Record<string, unknown>;
    version: number;
  };
};

describe('values the editor could hold load (the validator flags them), never refusing the work', () => {
  it('a layer name over MAX_NAME_LENGTH characters (written before names were bounded) loads and is flagged', () => {
    const f = denseFile();
    f.graph.nodes[1].name = 'd'.repeat(MAX_NAME_LENGTH + 50);
    const r = parseProjectJson(JSON.stringify(f));
    if (!r.ok) throw new Error(r.reason);
    expect(r.project.graph.nodes[1].name).toHaveLength(MAX_NAME_LENGTH + 50);
    expect(analyze(r.project.graph).diagnostics.map((d) => d.code)).toContain('name/invalid');
  });

  it('node ids of any length (the importer made them from long Keras names) load unchanged, connections and shared calls included', () => {
    const g0 = buildGraph('m', (b) => void b.add('Dense', { units: 2 }, 'd', [b.add('Input', { shape: [3] }, 'x')]));
    const long = (id: string) => `${id}_${'k'.repeat(500)}`;
    const c = addCall(g0, g0.nodes[1].id, { x: 0, y: 0 }, 'call');
    if (!c.ok) throw new Error(c.reason);
    const g: Graph = {
      ...c.graph,
      nodes: c.graph.nodes.map((n) => ({ ...n, id: long(n.id), ...(n.layerOf ? { layerOf: long(n.layerOf) } : {}) })),
      edges: c.graph.edges.map((e) => ({ ...e, id: long(e.id), source: long(e.source), target: long(e.target) })),
    };
    const r = parseProjectJson(toProjectJson({ graph: g, training: DEFAULT_TRAINING }));
    if (!r.ok) throw new Error(r.reason);
    expect(r.notes).toEqual([]);
    expect(r.project.graph).toEqual(g);
  });

  it('a parameter value checkParam refuses (units 0, activation "__proto__") loads as stored and the validator flags it', () => {
    const f = denseFile();
    f.graph.nodes[1].params.units = 0;
    f.graph.nodes[1].params.activation = '__proto__';
    const r = parseProjectJson(JSON.stringify(f));
    if (!r.ok) throw new Error(r.reason);
    expect(r.notes).toEqual([]);
    expect(r.project.graph.nodes[1].params).toMatchObject({ units: 0, activation: '__proto__' });
    expect(analyze(r.project.graph).valid).toBe(false);
  });

  it('a value no parameter can hold gets the default, an unknown key is dropped, a missing one filled — each with a note naming where', () => {
    const f = denseFile();
    const p = f.graph.nodes[1].params;
    p.kernel_initializer = { class_name: 'GlorotUniform' };
    p.units = [[3], [3]];
    delete p.use_bias;
    const r = parseProjectJson(JSON.stringify(f));
    if (!r.ok) throw new Error(r.reason);
    expect(r.project.graph.nodes[1].params).toMatchObject({ units: 32, use_bias: true });
    expect(r.project.graph.nodes[1].params).not.toHaveProperty('kernel_initializer');
    expect(r.notes).toEqual([
      "graph.nodes.1.params.units: [[3],[3]] is a list whose entries are not all numbers; layer 'out' gets Dense's default 32.",
      "graph.nodes.1.params.use_bias: missing; layer 'out' gets Dense's default true.",
      `graph.nodes.1.params.kernel_initializer: Dense has no parameter 'kernel_initializer'; dropped from layer 'out' (it was {"class_name":"GlorotUniform"}).`,
    ]);
    for (const n of r.notes) expect(n).not.toMatch(LEAKS);
  });

  it('a value nested 100,000 deep (kernel_size-style) is replaced with a short note, without deep recursion', () => {
    const text = JSON.stringify(denseFile()).replace('"units":2', `"units":${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const r = parseProjectJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect(r.project.graph.nodes[1].params.units).toBe(32);
    expect(r.notes).toEqual(["graph.nodes.1.params.units: [[[[…]]]] is a list whose entries are not all numbers; layer 'out' gets Dense's default 32."]);
  });

  it('a list longer than any parameter holds (MAX_PARAM_LIST, from the registry) is replaced; every list a spec allows fits', () => {
    const longest = Math.max(
      ...LAYER_DEFS.flatMap((d) =>
        Object.values(d.params).map((s) => (s.type === 'intTuple' ? s.length : s.type === 'shape' ? s.maxRank : s.type === 'intList' ? s.maxLength : 0)),
      ),
    );
    expect(MAX_PARAM_LIST).toBe(longest);
    const f = denseFile();
    (f.graph.nodes[0].params as Record<string, unknown>).shape = Array.from({ length: MAX_PARAM_LIST + 1 }, () => 1);
    const r = parseProjectJson(JSON.stringify(f));
    if (!r.ok) throw new Error(r.reason);
    const dflt = layerDef('Input')!.params.shape.default;
    expect(r.project.graph.nodes[0].params.shape).toEqual(dflt);
    expect(r.notes).toEqual([
      `graph.nodes.0.params.shape: [${Array(MAX_PARAM_LIST + 1)
        .fill(1)
        .join(
          ',',
        )}] is a list of ${MAX_PARAM_LIST + 1} entries, but no parameter holds more than ${MAX_PARAM_LIST}; layer 'x' gets Input's default ${JSON.stringify(dflt)}.`,
    ]);
  });

  it('training settings outside the one definition (epochs 20000, 1e21, batch 2e6, learning rate 50) load within it, each with a note', () => {
    const f = denseFile();
    Object.assign(f.training, {
      epochs: 1e21,
      batchSize: 2_000_000,
      learningRate: 50,
      optimizer: 'adagrad',
      losses: { out: 'classes', other: 'hinge' },
      extra: 1,
    });
    const r = parseProjectJson(JSON.stringify(f));
    if (!r.ok) throw new Error(r.reason);
    expect(r.project.training).toEqual({
      ...DEFAULT_TRAINING,
      epochs: 10_000,
      batchSize: 1_000_000,
      learningRate: 10,
      optimizer: 'adam',
      losses: { out: 'classes' },
    });
    expect(r.notes).toEqual([
      'training.epochs: Epochs must be at most 10,000 (got 1e+21); 10000 is used instead.',
      'training.batchSize: Batch size must be at most 1,000,000 (got 2000000); 1000000 is used instead.',
      "training.optimizer: Optimizer must be one of adam, sgd, rmsprop (got 'adagrad'); adam is used instead.",
      'training.learningRate: Learning rate must be at most 10 (got 50); 10 is used instead.',
      "training.losses.other: The loss of output 'other' must be one of classes, binary, regression (got 'hinge'); that output's loss is chosen from its activation.",
      'training.extra: not a training setting; dropped.',
    ]);
  });
});

describe('refusals name where and why', () => {
  it('a file newer than this build is refused saying so', () => {
    const f = denseFile();
    f.version = PROJECT_VERSION + 1;
    const r = parseProjectJson(JSON.stringify(f));
    expect(r).toEqual({
      ok: false,
      reason: `The file is a version ${PROJECT_VERSION + 1} project, newer than this Layerlab (it reads versions 1 to ${PROJECT_VERSION}); update Layerlab to open it.`,
    });
  });

  it.each([
    ['not JSON', '{', /^The file is not valid JSON: /],
    [
      'another format',
      JSON.stringify({ format: 'keras', version: 1 }),
      /^This is not a Layerlab project file: its "format" is "keras" \(expected "layerlab-project"\)\.$/,
    ],
    [
      'no version',
      JSON.stringify({ format: PROJECT_FORMAT, graph: {} }),
      /^The project file has no valid version: "version" is nothing \(expected a whole number from 1 to \d+\)\.$/,
    ],
    [
      'a position that is not a number',
      JSON.stringify({
        ...denseFile(),
        graph: { ...denseFile().graph, nodes: denseFile().graph.nodes.map((n, i) => (i === 1 ? { ...n, position: { x: 'a', y: 0 } } : n)) },
      }),
      /^The project file is malformed at graph\.nodes\.1\.position\.x: /,
    ],
    [
      'an infinite position (1e999)',
      toProjectJson({ graph: { name: 'm', nodes: [], edges: [] }, training: DEFAULT_TRAINING }).replace(
        '"nodes": []',
        '"nodes": [{"id":"a","kind":"Dense","name":"d","params":{},"position":{"x":1e999,"y":0}}]',
      ),
      /^The project file is malformed at graph\.nodes\.0\.position\.x: /,
    ],
    [
      'two nodes with one id',
      JSON.stringify({
        format: PROJECT_FORMAT,
        version: 1,
        graph: { name: 'm', edges: [], nodes: [0, 1].map(() => ({ id: 'a', kind: 'Input', name: 'x', params: { shape: [1] }, position: { x: 0, y: 0 } })) },
      }),
      /^The project file is malformed at graph\.nodes\.1\.id: two nodes have the id 'a'\.$/,
    ],
  ])('%s', (_what, text, reason) => {
    const r = parseProjectJson(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(reason);
      expect(r.reason).not.toMatch(LEAKS);
    }
  });

  it('never throws, whatever the JSON holds', () => {
    for (const text of [
      'null',
      '[]',
      '1',
      '"x"',
      '{"format":"layerlab-project","version":1}',
      '{"format":"layerlab-project","version":1,"graph":{"name":"m","nodes":[null],"edges":[]}}',
      '{"format":"layerlab-project","version":1.5}',
      '{"__proto__":{"format":"layerlab-project"}}',
    ])
      expect(() => parseProjectJson(text)).not.toThrow();
  });
});

describe('migrations', () => {
  it('the chain has one step per version from 1 to the current one', () => {
    expect(PROJECT_MIGRATIONS.map((m) => m.from)).toEqual(Array.from({ length: PROJECT_VERSION - 1 }, (_, i) => i + 1));
  });

  it('runs file steps and layer-kind steps in order, v → v + 1, with notes; then fills and drops parameters generically', () => {
    // A pretend history: version 2 renamed Dense `units` from `size`; version 3 moved the graph under `model`.
    const renamed: ParamMigration = { version: 2, description: 'size renamed units', up: ({ size, ...p }) => ({ ...p, units: size }) };
    const source: MigrationSource = {
      steps: [
        { from: 1, description: 'Dense size renamed units' },
        { from: 2, description: 'the graph moved under "model"', up: ({ graph, ...f }) => ({ ...f, model: graph }) },
        { from: 3, description: 'back to "graph"', up: ({ model, ...f }) => ({ ...f, graph: model }) },
      ],
      layerMigrations: (kind) => (kind === 'Dense' ? [renamed] : undefined),
    };
    const f = { ...denseFile(), version: 1 };
    const p = f.graph.nodes[1].params;
    p.size = 7;
    delete p.units;
    const r = parseProjectJson(JSON.stringify(f), source, 4);
    if (!r.ok) throw new Error(r.reason);
    expect(r.project.graph.nodes[1].params.units).toBe(7);
    expect(r.notes).toEqual([
      "graph.nodes.1 ('out'): Dense parameters upgraded to version 2: size renamed units.",
      'Upgraded the file from version 2 to 3: the graph moved under "model".',
      'Upgraded the file from version 3 to 4: back to "graph".',
    ]);
  });

  it('a missing step or a step that throws refuses the file, naming the versions', () => {
    const f = JSON.stringify({ ...denseFile(), version: 1 });
    expect(parseProjectJson(f, { steps: [], layerMigrations: () => undefined }, 2)).toEqual({
      ok: false,
      reason: 'This Layerlab cannot upgrade version 1 project files (no migration from version 1 to 2).',
    });
    const boom = parseProjectJson(
      f,
      {
        steps: [
          {
            from: 1,
            description: 'x',
            up: () => {
              throw new Error('bad file');
            },
          },
        ],
        layerMigrations: () => undefined,
      },
      2,
    );
    expect(boom).toEqual({ ok: false, reason: 'The version 1 file could not be upgraded to version 2 (x): bad file' });
  });
});

it('a shared layer called again keeps its calls through a round trip (ops path)', () => {
  const g0 = buildGraph('m', (b) => void b.add('Dense', { units: 3 }, 'd', [b.add('Input', { shape: [3] }, 'x')]));
  const c = addCall(g0, g0.nodes[1].id, { x: 5, y: 5 }, 'call');
  if (!c.ok) throw new Error(c.reason);
  const r = parseProjectJson(toProjectJson({ graph: c.graph, training: DEFAULT_TRAINING }));
  if (!r.ok) throw new Error(r.reason);
  expect(r.project.graph).toEqual(c.graph);
});
