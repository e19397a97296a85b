import { defineLayer, expectMinRank, wrappedParams, type LayerDef } from './define';
import { dense } from './dense';
import { innerSpec, p, type ArgsOf } from './params';
import { passMask } from './shared/mask';
import { step, tracing } from './trace';

/** The kinds TimeDistributed can wrap. */
const INNER: Readonly<Record<string, LayerDef>> = { Dense: dense };

const params = {
  layer: p.layer({ default: 'Dense', options: Object.keys(INNER), help: 'The layer applied to every time step (its arguments follow).' }),
  units: innerSpec(dense.params.units),
  activation: innerSpec(dense.params.activation),
  use_bias: innerSpec(dense.params.use_bias),
};

const inner = (q: ArgsOf<typeof params>) => {
  const def = INNER[q.layer];
  return { def, q: wrappedParams(params, def, q) };
};

/**
 * TimeDistributed: applies the same layer (one set of weights) to every time step of a sequence.
 * Shape (Keras keras/src/layers/rnn/time_distributed.py `compute_output_shape`, tfjs-layers wrappers.ts
 * `TimeDistributed.computeOutputShape`): the wrapped layer's output for (batch, d2, …) with the steps axis
 * put back: (batch, steps, d2, …) → (batch, steps, *inner_output[1:]). The input needs rank ≥ 3.
 * Weights: the wrapped layer's tensors (kernel, bias), built for one step's input, counted once. MACs: the wrapped layer's on one step's input, times the steps
 * (null when the steps are unknown).
 */
export const timeDistributed = defineLayer({
  kind: 'TimeDistributed',
  category: 'Recurrent',
  description: 'Applies one layer (a Dense) to every time step of a sequence, with shared weights.',
  shapeRule: '(batch, steps, …) → (batch, steps, wrapped layer’s output)',
  inputs: { min: 1, max: 1 },
  params,
  outputShape: ([x], q) => {
    expectMinRank(x, 3, '(batch, steps, …)');
    const w = inner(q);
    const s = w.def.outputShape([[x[0], ...x.slice(2)]], w.q);
    if (tracing()) step('steps', `kept: the wrapped ${q.layer} runs on each of them`, x[1]);
    return [s[0], x[1], ...s.slice(1)];
  },
  weightShapes: ([x], q) => {
    const w = inner(q);
    return w.def.weightShapes!([[x[0], ...x.slice(2)]], w.q);
  },
  macs: ([x], q) => {
    const w = inner(q);
    const m = w.def.macs?.([[x[0], ...x.slice(2)]], w.q) ?? 0;
    return m === null || x[1] === null ? null : m * x[1];
  },
  keyParams: (q) => `${q.layer} ${inner(q).def.keyParams(inner(q).q)}`,
  kerasClass: 'TimeDistributed',
  tfjsFactory: 'timeDistributed',
  inputSpec: ([x]) => ({ shape: [null, ...x.slice(1)] }),
  // The wrapped layer is built for one time step (keras/src/layers/rnn/time_distributed.py build).
  keras: {
    required: ['layer'],
    wrapper: { innerShape: (x) => [x[0], ...x.slice(2)] },
  },
  mask: passMask,
});
