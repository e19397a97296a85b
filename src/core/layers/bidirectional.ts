import { rnnMask } from './shared/mask';
import { defineLayer, wrappedParams, type LayerDef } from './define';
import { gru } from './gru';
import { lstm } from './lstm';
import { innerSpec, p, type ArgsOf } from './params';
import { simpleRnn } from './simpleRnn';
import { rnnSteps } from './shared/rnn';
import { traceSteps, tracing } from './trace';
import { toSnakeCase } from '../graph/naming';

/** The recurrent kinds Bidirectional can wrap. */
const INNER: Readonly<Record<string, LayerDef>> = { LSTM: lstm, GRU: gru, SimpleRNN: simpleRnn };

const params = {
  layer: p.layer({ default: 'LSTM', options: Object.keys(INNER), help: 'The recurrent layer run in both directions (its arguments follow).' }),
  units: innerSpec(lstm.params.units),
  activation: innerSpec(lstm.params.activation),
  recurrent_activation: innerSpec(lstm.params.recurrent_activation),
  use_bias: innerSpec(lstm.params.use_bias),
  dropout: innerSpec(lstm.params.dropout),
  recurrent_dropout: innerSpec(lstm.params.recurrent_dropout),
  return_sequences: innerSpec(lstm.params.return_sequences),
  reset_after: innerSpec(gru.params.reset_after),
  merge_mode: p.choice({
    default: 'concat',
    options: ['concat', 'sum', 'ave', 'mul'],
    help: "How the forward and backward outputs are combined; 'concat' doubles the last axis. (Keras's None, two outputs, is not offered.)",
  }),
};

const inner = (q: ArgsOf<typeof params>) => {
  const def = INNER[q.layer];
  return { def, q: wrappedParams(params, def, q) };
};

/**
 * Bidirectional: runs a copy of a recurrent layer forwards and another backwards over the sequence and
 * merges their outputs. The wrapped layer is the `layer` parameter plus the parameters marked `inner`
 * (see args.ts `innerLayer`); the runtime builds `tf.layers.bidirectional({ layer: tf.layers.lstm({…}), mergeMode })`.
 * Shape (Keras keras/src/layers/rnn/bidirectional.py `compute_output_shape`, tfjs-layers wrappers.ts
 * `Bidirectional.computeOutputShape`): the wrapped layer's, with the last axis doubled for merge_mode 'concat'.
 * Weights: twice the wrapped layer's (two independent copies): the forward copy's tensors, then the backward
 * copy's, named `forward_lstm/kernel`, … `backward_lstm/bias` (Keras 3's layer.weights order). MACs: twice the wrapped layer's (both copies
 * read the whole sequence); the merge is element-wise and not counted (validate/cost.ts).
 */
export const bidirectional = defineLayer({
  kind: 'Bidirectional',
  category: 'Recurrent',
  description: 'Runs a recurrent layer forwards and backwards over the sequence and merges both outputs.',
  shapeRule: "as the wrapped RNN, last axis ×2 for merge_mode 'concat'",
  inputs: { min: 1, max: 1 },
  params,
  outputShape: ([x], q) => {
    const w = inner(q);
    // When tracing, the wrapped layer's own steps are replaced by the merged ones below.
    const s = tracing() ? traceSteps(() => w.def.outputShape([x], w.q)).value : w.def.outputShape([x], w.q);
    const last = s[s.length - 1];
    const out = q.merge_mode === 'concat' ? [...s.slice(0, -1), last === null ? null : last * 2] : s;
    if (tracing())
      rnnSteps(
        x,
        out[out.length - 1] as number,
        q.return_sequences === true,
        q.merge_mode === 'concat' ? `2 directions × units ${q.units}` : 'units',
        q.merge_mode === 'concat'
          ? "merge_mode 'concat': forward and backward side by side"
          : `merge_mode '${q.merge_mode}' combines forward and backward value by value`,
      );
    return out;
  },
  // Keras 3 names the copies forward_<wrapped layer> and backward_<wrapped layer> (bidirectional.py `__init__`);
  // the Python code leaves the wrapped layer its default name, Keras's snake case of the class (lstm, simple_rnn).
  weightShapes: ([x], q) => {
    const w = inner(q);
    const ws = w.def.weightShapes!([x], w.q);
    const named = (dir: string) => ws.map((s) => ({ ...s, name: `${dir}_${toSnakeCase(w.def.kerasClass)}/${s.name}` }));
    return [...named('forward'), ...named('backward')];
  },
  macs: ([x], q) => {
    const w = inner(q);
    const m = w.def.macs?.([x], w.q) ?? 0;
    return m === null ? null : 2 * m;
  },
  keyParams: (q) => [`${q.layer} ${q.units}`, q.return_sequences ? 'seq' : null, q.merge_mode].filter(Boolean).join(' · '),
  kerasClass: 'Bidirectional',
  tfjsFactory: 'bidirectional',
  inputSpec: () => ({ ndim: 3 }),
  // Keras 3 writes the forward and the backward copy (keras/src/layers/rnn/bidirectional.py get_config).
  keras: {
    required: ['layer'],
    wrapper: { backward: true },
  },
  mask: (xs, ms, q, received) => rnnMask(xs, ms, q.return_sequences === true, received),
});
