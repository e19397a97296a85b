/**
 * Every project file ever written loads forever (issue 8): the frozen files in tests/fixtures/projects/v<N>/
 * (written once by the writer of that version; never regenerate them) load through the current reader with
 * what manifest.json records — node, edge and shared-call counts, outputs in order, the totals tfjs gave when
 * the files were written, the training settings and the notes. Every file in the folders must be listed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, parseProjectJson, PROJECT_VERSION, templateById, toProjectJson } from '../../src/core';

const DIR = join(__dirname, '../fixtures/projects');

interface Entry {
  file: string;
  nodes: number;
  edges: number;
  sharedCalls: number;
  valid: boolean;
  diagnostics?: string[];
  totals: { total: number; trainable: number; nonTrainable: number } | null;
  outputs: string[];
  /** The model's output tensors as [layer name, output index] (version 3: one output of a layer with several). */
  outputTensors?: [string, number][];
  training: unknown;
  /** The exercise goals the file holds (version 4); absent = none. */
  goals?: unknown[];
  notes: string[];
}
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { fixtures: Entry[] };

it('lists every fixture file, and has fixtures of every version from 1 to the current one', () => {
  const onDisk = readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(DIR, d.name)).map((f) => `${d.name}/${f}`))
    .sort();
  expect(manifest.fixtures.map((f) => f.file).sort()).toEqual(onDisk);
  const versions = new Set(manifest.fixtures.map((f) => Number(/^v(\d+)\//.exec(f.file)![1])));
  for (let v = 1; v <= PROJECT_VERSION; v++) expect(versions.has(v), `a fixture of version ${v}`).toBe(true);
});

describe.each(manifest.fixtures.map((f) => [f.file, f] as const))('%s', (file, want) => {
  it('loads as recorded', () => {
    const text = readFileSync(join(DIR, file), 'utf8');
    expect(JSON.parse(text).version).toBe(Number(/^v(\d+)\//.exec(file)![1]));
    const r = parseProjectJson(text);
    if (!r.ok) throw new Error(r.reason);
    const g = r.project.graph;
    const a = analyze(g);
    expect({
      nodes: g.nodes.length,
      edges: g.edges.length,
      sharedCalls: g.nodes.filter((n) => n.layerOf).length,
      valid: a.valid,
      outputs: a.outputs.map((id) => g.nodes.find((n) => n.id === id)!.name),
      training: r.project.training,
      goals: r.project.goals,
      notes: r.notes,
    }).toEqual({
      nodes: want.nodes,
      edges: want.edges,
      sharedCalls: want.sharedCalls,
      valid: want.valid,
      outputs: want.outputs,
      training: want.training,
      goals: want.goals,
      notes: want.notes,
    });
    if (want.totals) expect(a.totals).toEqual(want.totals);
    if (want.outputTensors) expect(a.outputTensors.map((t) => [g.nodes.find((n) => n.id === t.node)!.name, t.output])).toEqual(want.outputTensors);
    if (want.diagnostics) expect([...new Set(a.diagnostics.map((d) => d.code))].sort()).toEqual(want.diagnostics);
  });
});

describe('version 3: layers with several outputs', () => {
  const text = readFileSync(join(DIR, 'v3/encoder-decoder-states.layerlab.json'), 'utf8');

  it("loads back equal to the encoder-decoder template with the Dense and the encoder's state_h as outputs", () => {
    const r = parseProjectJson(text);
    if (!r.ok) throw new Error(r.reason);
    const t = templateById('encoder-decoder')!.build();
    const id = (name: string) => t.nodes.find((n) => n.name === name)!.id;
    const strip = (g: typeof t) => ({ ...g, nodes: g.nodes.map(({ position: _p, ...n }) => n) });
    // Edges reading the encoder's states keep `output` (1 and 2); the listed output keeps `{ node, output: 1 }`.
    expect(strip(r.project.graph)).toEqual(strip({ ...t, outputs: [id('dense'), { node: id('encoder'), output: 1 }] }));
    expect(r.project.graph.edges.filter((e) => e.output).map((e) => e.output)).toEqual([1, 2]);
  });

  it('writes back and reads again as the same graph (the current writer keeps output indices)', () => {
    const r = parseProjectJson(text);
    if (!r.ok) throw new Error(r.reason);
    const again = parseProjectJson(toProjectJson(r.project));
    if (!again.ok) throw new Error(again.reason);
    expect(again.project).toEqual(r.project);
    expect(again.notes).toEqual([]);
  });
});
