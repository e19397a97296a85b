import { describe, expect, it } from 'vitest';
import { addNode, analyze, apiPlan, connect, removeNodes, setParam, rename, summarize, toSnakeCase, autoName, TEMPLATES, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { tpl } from '../helpers/templates';

describe('seed templates', () => {
  it('product classifier: Keras shapes and 822,922 parameters', () => {
    const g = tpl('product-classifier');
    const a = analyze(g);
    expect(a.diagnostics).toEqual([]);
    const s = summarize(g, a);
    expect(s.sequential).toBe(true);
    expect(s.rows.map((r) => r.outputShape)).toEqual([
      [null, 62, 62, 32],
      [null, 31, 31, 32],
      [null, 29, 29, 64],
      [null, 14, 14, 64],
      [null, 12544],
      [null, 64],
      [null, 64],
      [null, 10],
    ]);
    expect(s.rows.map((r) => r.params)).toEqual([896, 0, 18496, 0, 0, 802880, 0, 650]);
    expect(a.totals).toEqual({ total: 822922, trainable: 822922, nonTrainable: 0 });
  });

  it('purchase predictor: Functional, 799,233 parameters', () => {
    const g = tpl('purchase-predictor');
    const a = analyze(g);
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.total).toBe(799233);
    const plan = apiPlan(g);
    expect(plan.kind).toBe('functional');
    if (plan.kind === 'functional') expect(plan.reason).toMatch(/2 inputs/);
    const s = summarize(g, a);
    expect(s.sequential).toBe(false);
    const concat = s.rows.find((r) => r.name === 'concatenate_branches')!;
    expect(concat.outputShape).toEqual([null, 64]);
    expect(concat.connectedTo).toEqual(['dense_image_2[0][0]', 'dense_text_2[0][0]']);
    expect(s.rows.filter((r) => r.className === 'InputLayer')).toHaveLength(2);
  });

  it('Dense(2, input_dim=1): 4 parameters', () => {
    const a = analyze(tpl('dense-input-dim-1'));
    expect(a.valid).toBe(true);
    expect(a.totals.total).toBe(4);
  });
});

describe('edits', () => {
  const chain = () =>
    buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [8] }, 'in');
      const d1 = b.add('Dense', { units: 4 }, 'd1', [x]);
      b.add('Dense', { units: 2 }, 'd2', [d1]);
    });

  it('refuses a connection that would make a cycle, naming the layers', () => {
    const g = chain();
    const [, d1, d2] = g.nodes;
    const r = connect(g, d2.id, d1.id);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/cycle.*'d1' already feeds 'd2'/);
    expect(connect(g, d1.id, d1.id).ok).toBe(false);
  });

  it('reports a cycle present in a loaded graph, naming the nodes in it', () => {
    const g = chain();
    const [, d1, d2] = g.nodes;
    const cyclic: Graph = { ...g, edges: [...g.edges, { id: 'back', source: d2.id, target: d1.id }] };
    const a = analyze(cyclic);
    const cyc = a.diagnostics.filter((d) => d.code === 'cycle');
    expect(cyc.map((d) => d.nodeId).sort()).toEqual([d1.id, d2.id].sort());
    expect(cyc[0].message).toMatch(/'d1' → 'd2' → 'd1'|'d2' → 'd1' → 'd2'/);
    expect(a.valid).toBe(false);
  });

  it('refuses a second input into a single-input layer and any input into an Input', () => {
    let g = chain();
    const extra = addNode(g, 'Input', { x: 0, y: 0 });
    g = extra.graph;
    const d1 = g.nodes.find((n) => n.name === 'd1')!;
    const r = connect(g, extra.node.id, d1.id);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/takes one input and already has 1/);
    const r2 = connect(g, d1.id, extra.node.id);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.reason).toMatch(/is an Input/);
  });

  it('keeps the last valid parameter value when an edit is invalid', () => {
    const g = chain();
    const d1 = g.nodes[1];
    const r = setParam(g, d1.id, 'units', 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('units must be ≥ 1 (got 0)');
    const ok = setParam(g, d1.id, 'units', 16);
    expect(ok.ok && ok.graph.nodes[1].params.units).toBe(16);
    expect(g.nodes[1].params.units).toBe(4);
  });

  it('auto-names the Keras way and keeps names unique', () => {
    expect(['Conv2D', 'MaxPooling2D', 'Dense', 'BatchNormalization', 'GlobalAveragePooling2D', 'LSTM'].map(toSnakeCase)).toEqual([
      'conv2d',
      'max_pooling2d',
      'dense',
      'batch_normalization',
      'global_average_pooling2d',
      'lstm',
    ]);
    expect(autoName('Conv2D', ['conv2d', 'conv2d_1'])).toBe('conv2d_2');
    let g: Graph = { name: 'm', nodes: [], edges: [] };
    g = addNode(g, 'Dense', { x: 0, y: 0 }).graph;
    g = addNode(g, 'Dense', { x: 0, y: 0 }).graph;
    expect(g.nodes.map((n) => n.name)).toEqual(['dense', 'dense_1']);
    const r = rename(g, g.nodes[1].id, 'dense');
    expect(r.ok).toBe(false);
    expect(rename(g, g.nodes[1].id, 'bad name!').ok).toBe(false);
  });

  it('reports duplicate names and unreachable layers in loaded graphs', () => {
    const g = chain();
    const dup: Graph = { ...g, nodes: g.nodes.map((n) => (n.name === 'd2' ? { ...n, name: 'd1' } : n)) };
    expect(analyze(dup).diagnostics.some((d) => d.code === 'name/duplicate')).toBe(true);
    const cut = removeNodes(g, [g.nodes[0].id]);
    const a = analyze(cut);
    expect(a.diagnostics.map((d) => d.code)).toContain('graph/no-input');
    expect(a.diagnostics.map((d) => d.code)).toContain('arity/missing');
  });
});

describe('shape diagnostics', () => {
  it('mismatched Concatenate inputs', () => {
    const g = buildGraph('m', (b) => {
      const a = b.add('Input', { shape: [8, 8, 64] }, 'a');
      const c = b.add('Input', { shape: [32] }, 'b');
      b.add('Concatenate', {}, 'concatenate', [c, a]);
    });
    const d = analyze(g).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0].code).toBe('shape/concat-mismatch');
    expect(d[0].message).toBe(
      "'concatenate' (Concatenate) input 2 has shape (None, 8, 8, 64) but input 1 has (None, 32); all inputs need the same rank and all axes but axis -1 must match.",
    );
  });

  it('Concatenate on axis 1 of images sums that axis', () => {
    const g = buildGraph('m', (b) => {
      const a = b.add('Input', { shape: [8, 8, 3] }, 'a');
      const c = b.add('Input', { shape: [4, 8, 3] }, 'b');
      b.add('Concatenate', { axis: 1 }, 'cat', [a, c]);
    });
    const a = analyze(g);
    expect(a.nodes.get(g.nodes[2].id)!.outputShape).toEqual([null, 12, 8, 3]);
    const bad = buildGraph('m', (b) => {
      const a = b.add('Input', { shape: [8, 8, 3] }, 'a');
      const c = b.add('Input', { shape: [4, 8, 3] }, 'b');
      b.add('Concatenate', { axis: -1 }, 'cat', [a, c]);
    });
    expect(analyze(bad).diagnostics[0].code).toBe('shape/concat-mismatch');
  });

  it('a kernel larger than its input', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4, 4, 1] }, 'in');
      b.add('Conv2D', { filters: 8, kernel_size: [5, 5] }, 'conv', [x]);
    });
    const d = analyze(g).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['shape/kernel-too-large']);
    expect(d[0].message).toMatch(/kernel_size 5×5 is larger than its input 4×4/);
    const same = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4, 4, 1] }, 'in');
      b.add('Conv2D', { filters: 8, kernel_size: [5, 5], padding: 'same', strides: [2, 2] }, 'conv', [x]);
    });
    const a = analyze(same);
    expect(a.nodes.get(same.nodes[1].id)!.outputShape).toEqual([null, 2, 2, 8]);
  });

  it('a bad dropout rate', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4] }, 'in');
      b.add('Dropout', { rate: 1 }, 'drop', [x]);
    });
    const d = analyze(g).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['param/invalid']);
    expect(d[0].message).toBe("'drop': rate must be < 1 (got 1).");
  });

  it('Dense on a rank-3 input acts on the last axis', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [10, 7] }, 'in');
      b.add('Dense', { units: 3 }, 'd', [x]);
    });
    const a = analyze(g);
    expect(a.nodes.get(g.nodes[1].id)!.outputShape).toEqual([null, 10, 3]);
    expect(a.totals.total).toBe(7 * 3 + 3);
  });

  it('errors downstream of an error do not pile up', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4, 4, 1] }, 'in');
      const c = b.add('Conv2D', { kernel_size: [5, 5] }, 'conv', [x]);
      const f = b.add('Flatten', {}, 'f', [c]);
      b.add('Dense', { units: 2 }, 'd', [f]);
    });
    expect(analyze(g).diagnostics).toHaveLength(1);
  });

  it('Flatten on an already flat input', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4] }, 'in');
      b.add('Flatten', {}, 'f', [x]);
    });
    expect(analyze(g).diagnostics.map((d) => d.code)).toEqual(['shape/already-flat']);
  });
});

describe('model zoo', () => {
  it.each([
    ['vgg16', 138_357_544],
    ['resnet50', 25_636_712],
    ['mobilenet', 4_253_864],
    ['lenet5', 61_706],
    ['mnist-mlp', 669_706],
    ['mnist-convnet', 34_826],
  ])('%s has the published %i parameters', (id, total) => {
    const a = analyze(tpl(id));
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.total).toBe(total);
  });

  it('ResNet50 and MobileNet split trainable / non-trainable as Keras prints', () => {
    expect(analyze(tpl('resnet50')).totals).toEqual({ total: 25_636_712, trainable: 25_583_592, nonTrainable: 53_120 });
    expect(analyze(tpl('mobilenet')).totals).toEqual({ total: 4_253_864, trainable: 4_231_976, nonTrainable: 21_888 });
  });

  it('every template is valid', () => {
    for (const t of TEMPLATES) expect([t.id, analyze(t.build()).diagnostics]).toEqual([t.id, []]);
  });
});

describe('tfjs deviations the core reports', () => {
  it('Concatenate with a negative axis other than -1 (tfjs runs it as -1)', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [2, 3] }, 'a');
      const y = b.add('Input', { shape: [4, 3] }, 'b');
      b.add('Concatenate', { axis: -2 }, 'cat', [x, y]);
    });
    const d = analyze(g).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['shape/bad-axis']);
    expect(d[0].message).toMatch(/write the same axis as 1/);
  });
});
