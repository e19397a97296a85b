/**
 * Per-node cost (src/core/validate/cost.ts): each kind's MAC formula on small shapes computed by hand, the
 * issue's check on the product classifier, shared layers, unknown shapes, and the published multiply-add
 * counts of MobileNet, VGG16 and ResNet-50 reproduced by the zoo templates.
 */
import { describe, expect, it } from 'vitest';
import { analyze, formatCompact, graphCost, LAYER_DEFS, layerDef, TEMPLATES, type Graph, type Params, type Shape } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { tpl } from '../helpers/templates';

const costOf = (g: Graph) => graphCost(g, analyze(g));
const nodeCost = (g: Graph, name: string, call = 0) => costOf(g).nodes.get(g.nodes.filter((n) => n.name === name)[call].id)!;

/** MACs of one layer of `kind` on inputs of the given per-sample shapes, through a real graph and its analysis. */
function macsOf(kind: string, params: Params, ...inputs: number[][]): number | null {
  const g = buildGraph('m', (b) => {
    const xs = inputs.map((s, i) => b.add('Input', { shape: s }, `in${i}`));
    b.add(kind, params, 'layer', xs);
  });
  const a = analyze(g);
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return nodeCost(g, 'layer').macs;
}

describe('MACs per kind, hand-computed', () => {
  it('Dense: d·units per position of the leading axes', () => {
    expect(macsOf('Dense', { units: 4 }, [8])).toBe(8 * 4);
    // (5, 8) → (5, 4): the kernel is applied at each of the 5 positions.
    expect(macsOf('Dense', { units: 4 }, [5, 8])).toBe(5 * 8 * 4);
    expect(macsOf('Dense', { units: 4, use_bias: false }, [2, 3, 8])).toBe(2 * 3 * 8 * 4);
  });

  it('Conv1D / Conv2D / Conv3D: kernel volume · c_in · filters per output position', () => {
    // 10 steps, k 3, valid: 8 positions · 3·3·4.
    expect(macsOf('Conv1D', { filters: 4, kernel_size: [3] }, [10, 3])).toBe(8 * 3 * 3 * 4);
    // stride 2, same: ⌈10/2⌉ = 5 positions.
    expect(macsOf('Conv1D', { filters: 4, kernel_size: [3], strides: [2], padding: 'same' }, [10, 3])).toBe(5 * 3 * 3 * 4);
    // 7×7, k 3×3 dilated by 2 spans 5×5: 3×3 positions; dilation adds no products.
    expect(macsOf('Conv2D', { filters: 3, kernel_size: [3, 3], dilation_rate: [2, 2] }, [7, 7, 2])).toBe(9 * 9 * 2 * 3);
    expect(macsOf('Conv2D', { filters: 3, kernel_size: [3, 1], strides: [2, 1], padding: 'same' }, [7, 5, 2])).toBe(4 * 5 * 3 * 2 * 3);
    // 4×4×4, k 2×2×2, valid: 3×3×3 positions · 8·2·5.
    expect(macsOf('Conv3D', { filters: 5, kernel_size: [2, 2, 2] }, [4, 4, 4, 2])).toBe(27 * 8 * 2 * 5);
  });

  it('DepthwiseConv2D: kh·kw·c·depth_multiplier per output position', () => {
    expect(macsOf('DepthwiseConv2D', { kernel_size: [3, 3], depth_multiplier: 2 }, [6, 6, 4])).toBe(16 * 9 * 4 * 2);
    expect(macsOf('DepthwiseConv2D', { kernel_size: [3, 3], strides: [2, 2], padding: 'same' }, [6, 6, 4])).toBe(9 * 9 * 4);
  });

  it('SeparableConv2D: depthwise + pointwise per output position', () => {
    expect(macsOf('SeparableConv2D', { filters: 8, kernel_size: [3, 3] }, [6, 6, 4])).toBe(16 * (9 * 4 + 4 * 8));
    expect(macsOf('SeparableConv2D', { filters: 8, kernel_size: [3, 3], depth_multiplier: 3 }, [6, 6, 4])).toBe(16 * (9 * 12 + 12 * 8));
  });

  it('Conv2DTranspose: kh·kw·c_in·filters per input position, whatever the padding', () => {
    // 4×4×3 → 8×8×2 ('same') or 9×9×2 ('valid'): every input value meets every tap of every filter.
    expect(macsOf('Conv2DTranspose', { filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same' }, [4, 4, 3])).toBe(16 * 9 * 3 * 2);
    expect(macsOf('Conv2DTranspose', { filters: 2, kernel_size: [3, 3], strides: [2, 2] }, [4, 4, 3])).toBe(16 * 9 * 3 * 2);
    expect(macsOf('Conv2DTranspose', { filters: 5, kernel_size: [2, 3] }, [3, 2, 4])).toBe(6 * 6 * 4 * 5);
  });

  it('Conv1DTranspose: counted as Conv2DTranspose on an image of height 1; output_padding and dilation add no products', () => {
    for (const [k, s, padding, c, f, n] of [
      [3, 2, 'same', 3, 2, 5],
      [2, 3, 'valid', 1, 4, 7],
    ] as const) {
      const one = macsOf('Conv1DTranspose', { filters: f, kernel_size: [k], strides: [s], padding }, [n, c]);
      expect(one).toBe(macsOf('Conv2DTranspose', { filters: f, kernel_size: [1, k], strides: [1, s], padding }, [1, n, c]));
      expect(one).toBeGreaterThan(0);
    }
    const base = macsOf('Conv1DTranspose', { filters: 2, kernel_size: [3], strides: [2] }, [5, 3]);
    expect(macsOf('Conv1DTranspose', { filters: 2, kernel_size: [3], strides: [2], output_padding: [1] }, [5, 3])).toBe(base);
    expect(macsOf('Conv1DTranspose', { filters: 2, kernel_size: [3], dilation_rate: [2] }, [5, 3])).toBe(base);
    expect(
      layerDef('Conv1DTranspose')!.macs!([[null, null, 3]], {
        filters: 2,
        kernel_size: [3],
        strides: [1],
        padding: 'valid',
        output_padding: null,
        dilation_rate: [1],
      }),
    ).toBeNull();
  });

  it('SimpleRNN / GRU / LSTM: steps · gates · (d·u + u·u), with or without the sequence returned', () => {
    const per = 8 * 16 + 16 * 16;
    expect(macsOf('SimpleRNN', { units: 16 }, [10, 8])).toBe(10 * 1 * per);
    expect(macsOf('GRU', { units: 16 }, [10, 8])).toBe(10 * 3 * per);
    expect(macsOf('LSTM', { units: 16 }, [10, 8])).toBe(10 * 4 * per);
    expect(macsOf('LSTM', { units: 16, return_sequences: true, use_bias: false }, [10, 8])).toBe(10 * 4 * per);
  });

  it('Bidirectional: twice the wrapped layer; TimeDistributed: the wrapped layer × steps', () => {
    const per = 8 * 16 + 16 * 16;
    expect(macsOf('Bidirectional', { layer: 'LSTM', units: 16 }, [10, 8])).toBe(2 * 10 * 4 * per);
    expect(macsOf('Bidirectional', { layer: 'GRU', units: 16, merge_mode: 'sum' }, [10, 8])).toBe(2 * 10 * 3 * per);
    expect(macsOf('TimeDistributed', { layer: 'Dense', units: 4 }, [5, 8])).toBe(5 * 8 * 4);
    // Each of 5 steps is (3, 8) → Dense → 3·8·4.
    expect(macsOf('TimeDistributed', { layer: 'Dense', units: 4 }, [5, 3, 8])).toBe(5 * 3 * 8 * 4);
  });

  it('Dot: output values · the multiplied axis', () => {
    expect(macsOf('Dot', { axes: [1, 1] }, [4], [4])).toBe(4);
    // (3, 4)·(5, 4) along the 4s → (3, 5): 15 sums of 4 products.
    expect(macsOf('Dot', { axes: [2, 2] }, [3, 4], [5, 4])).toBe(3 * 5 * 4);
    expect(macsOf('Dot', { axes: [1, 1], normalize: true }, [3, 4], [3, 5])).toBe(4 * 5 * 3);
  });

  it('element-wise, lookup and reshaping layers count no MACs', () => {
    expect(macsOf('Embedding', { input_dim: 100, output_dim: 8 }, [10])).toBe(0);
    expect(macsOf('BatchNormalization', {}, [6, 6, 4])).toBe(0);
    expect(macsOf('LayerNormalization', {}, [5, 8])).toBe(0);
    expect(macsOf('PReLU', {}, [5, 8])).toBe(0);
    expect(macsOf('MaxPooling2D', { pool_size: [2, 2] }, [6, 6, 4])).toBe(0);
    expect(macsOf('GlobalAveragePooling2D', {}, [6, 6, 4])).toBe(0);
    expect(macsOf('Add', {}, [4], [4])).toBe(0);
    expect(macsOf('Multiply', {}, [4], [4])).toBe(0);
    expect(macsOf('Flatten', {}, [6, 6, 4])).toBe(0);
  });

  it('every kind with weights computes MACs, except the documented element-wise and lookup kinds', () => {
    const zeroWithWeights = ['Embedding', 'BatchNormalization', 'LayerNormalization', 'GroupNormalization', 'Normalization', 'PReLU'];
    const withMacs = LAYER_DEFS.filter((d) => d.macs)
      .map((d) => d.kind)
      .sort();
    expect(withMacs).toEqual([
      'AdditiveAttention',
      'Attention',
      'Bidirectional',
      'Conv1D',
      'Conv1DTranspose',
      'Conv2D',
      'Conv2DTranspose',
      'Conv3D',
      'Dense',
      'DepthwiseConv2D',
      'Dot',
      'GRU',
      'LSTM',
      'MultiHeadAttention',
      'SeparableConv2D',
      'SimpleRNN',
      'TimeDistributed',
    ]);
    for (const kind of zeroWithWeights) expect(layerDef(kind)!.macs).toBeUndefined();
  });

  it('an unknown number of steps gives null, not a guess', () => {
    const shape: Shape = [null, null, 8];
    expect(layerDef('LSTM')!.macs!([shape], { units: 16 })).toBeNull();
    expect(layerDef('Dense')!.macs!([shape], { units: 4 })).toBeNull();
    expect(layerDef('Dense')!.macs!([[null, 8]], { units: 4 })).toBe(32);
  });
});

describe('graphCost', () => {
  it("the product classifier's dense1: 802,880 parameters and 802,816 MACs (issue #3's check)", () => {
    const g = tpl('product-classifier');
    const dense1 = nodeCost(g, 'dense1');
    expect(dense1.params).toBe(802_880);
    // Flatten gives 14·14·64 = 12,544 values; 12,544 · 64 units.
    expect(dense1.macs).toBe(802_816);
    expect(dense1.activations).toBe(64);
    expect(dense1.bytes).toBe(256);
  });

  it('the product classifier: every node and the totals', () => {
    const g = tpl('product-classifier');
    const c = costOf(g);
    const by = (name: string) => c.nodes.get(g.nodes.find((n) => n.name === name)!.id)!;
    // conv1: 62×62 positions · 3·3·3·32; conv2: 29×29 · 3·3·32·64; output: 64·10.
    expect(by('conv1').macs).toBe(62 * 62 * 27 * 32);
    expect(by('conv2').macs).toBe(29 * 29 * 288 * 64);
    expect(by('output_softmax').macs).toBe(640);
    expect(by('pool1').macs).toBe(0);
    expect(by('conv1').activations).toBe(62 * 62 * 32);
    expect(by('input_layer').activations).toBe(64 * 64 * 3);
    expect(c.totals.macs).toBe(3_321_216 + 15_501_312 + 802_816 + 640);
    // Every output per sample, the input included.
    expect(c.totals.activations).toBe(12_288 + 123_008 + 30_752 + 53_824 + 12_544 + 12_544 + 64 + 64 + 10);
    expect(c.totals.bytes).toBe(4 * c.totals.activations);
    expect(c.totals.params).toBe(822_922);
    expect(c.max).toEqual({ params: 802_880, macs: 15_501_312, activations: 123_008, bytes: 492_032 });
    expect(c.unknown).toEqual([]);
  });

  it('a shared layer: parameters once, MACs and activations at every call', () => {
    const g = tpl('siamese');
    const c = costOf(g);
    const calls = g.nodes.filter((n) => n.name === 'encoder_hidden').map((n) => c.nodes.get(n.id)!);
    expect(calls).toHaveLength(2);
    expect(calls.map((x) => [x.params, x.paramsCounted, x.macs, x.activations])).toEqual([
      [64 * 32 + 32, true, 64 * 32, 32],
      [64 * 32 + 32, false, 64 * 32, 32],
    ]);
    expect(c.totals.params).toBe(analyze(g).totals.total);
    // Two calls of each encoder layer, the cosine Dot (16 products) and the 1-unit head.
    expect(c.totals.macs).toBe(2 * (64 * 32) + 2 * (32 * 16) + 16 + 1);
  });

  it('a node whose shape is unknown (an error, or downstream of one) has unknown cost, and graphCost does not throw', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4] }, 'x');
      const bad = b.add('Conv2D', { filters: 2 }, 'bad', [x]);
      b.add('Dense', { units: 3 }, 'after', [bad]);
    });
    const c = costOf(g);
    expect(nodeCost(g, 'bad')).toMatchObject({ params: null, macs: null, activations: null, bytes: null });
    expect(nodeCost(g, 'after').macs).toBeNull();
    expect(c.unknown.map((id) => g.nodes.find((n) => n.id === id)!.name)).toEqual(['bad', 'after']);
    expect(c.totals).toEqual({ params: 0, macs: 0, activations: 4, bytes: 16 });
  });

  it("every template's parameter total equals the analysis's", () => {
    for (const t of TEMPLATES) {
      const g = t.build();
      expect(costOf(g).totals.params, t.id).toBe(analyze(g).totals.total);
    }
  });
});

describe('published multiply-add counts (224×224×3, 1,000 classes)', () => {
  it('MobileNet 1.0-224: 569 million (Howard et al. 2017, Table 1), exactly the hand sum', () => {
    // conv1 3×3×3→32 stride 2 on 112×112; then per block a 3×3 depthwise and a 1×1 pointwise at the block's
    // output size; the classifier is a 1×1 convolution 1024 → 1000.
    const blocks: [number, number, number][] = [
      [32, 64, 112],
      [64, 128, 56],
      [128, 128, 56],
      [128, 256, 28],
      [256, 256, 28],
      [256, 512, 14],
      [512, 512, 14],
      [512, 512, 14],
      [512, 512, 14],
      [512, 512, 14],
      [512, 512, 14],
      [512, 1024, 7],
      [1024, 1024, 7],
    ];
    let hand = 112 * 112 * 27 * 32 + 1024 * 1000;
    for (const [cin, cout, s] of blocks) hand += s * s * 9 * cin + s * s * cin * cout;
    const total = costOf(tpl('mobilenet')).totals.macs;
    expect(total).toBe(hand);
    expect(total).toBe(568_740_352);
    expect(Math.round(total / 1e6)).toBe(569);
  });

  it('VGG16: 15.47 G (15,300 million in MobileNets Table 8), exactly the hand sum', () => {
    const convs: [number, number, number][] = [
      [224, 3, 64],
      [224, 64, 64],
      [112, 64, 128],
      [112, 128, 128],
      [56, 128, 256],
      [56, 256, 256],
      [56, 256, 256],
      [28, 256, 512],
      [28, 512, 512],
      [28, 512, 512],
      [14, 512, 512],
      [14, 512, 512],
      [14, 512, 512],
    ];
    let hand = 7 * 7 * 512 * 4096 + 4096 * 4096 + 4096 * 1000;
    for (const [s, cin, cout] of convs) hand += s * s * 9 * cin * cout;
    const total = costOf(tpl('vgg16')).totals.macs;
    expect(total).toBe(hand);
    expect(total / 1e9).toBeCloseTo(15.47, 2);
    expect(Math.abs(total - 15.3e9) / 15.3e9).toBeLessThan(0.015);
  });

  it('ResNet50 (Keras, stride on the first 1×1 of a block): 3.86 G, the 3.8·10⁹ multiply-adds of He et al. 2015', () => {
    let hand = 112 * 112 * 49 * 3 * 64 + 2048 * 1000;
    const stages: [number, number, number, number][] = [
      [64, 3, 56, 64],
      [128, 4, 28, 256],
      [256, 6, 14, 512],
      [512, 3, 7, 1024],
    ];
    for (const [f, blocks, s, cin] of stages)
      for (let i = 0; i < blocks; i++) {
        const input = i === 0 ? cin : 4 * f;
        hand += s * s * (input * f + 9 * f * f + f * 4 * f) + (i === 0 ? s * s * cin * 4 * f : 0);
      }
    const total = costOf(tpl('resnet50')).totals.macs;
    expect(total).toBe(hand);
    expect(total).toBe(3_857_973_248);
    expect(Math.abs(total - 3.8e9) / 3.8e9).toBeLessThan(0.02);
  });
});

describe('formatCompact', () => {
  it('three significant digits with SI prefixes', () => {
    expect(formatCompact(640)).toBe('640');
    expect(formatCompact(802_816)).toBe('803 k');
    expect(formatCompact(568_740_352)).toBe('569 M');
    expect(formatCompact(15_470_264_320)).toBe('15.5 G');
    expect(formatCompact(3_857_973_248)).toBe('3.86 G');
    expect(formatCompact(1_000_000)).toBe('1 M');
    expect(formatCompact(999_999)).toBe('1 M');
    expect(formatCompact(0)).toBe('0');
  });
});
