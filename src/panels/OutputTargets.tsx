/**
 * The loss of each output: chosen automatically from the output's activation and size (softmax → class
 * labels, one sigmoid unit → 0/1 labels, else regression), or by the user per output.
 */
import {
  outputTarget,
  targetProblem,
  trainingOutputs,
  TARGET_KINDS,
  type Analysis,
  type Graph,
  type OutputTarget,
  type TargetKind,
  type TrainingOutput,
} from '../core';
import { useEditor } from '../store/editor';

const KIND_TEXT: Record<TargetKind, string> = {
  classes: 'class labels · sparse categorical cross-entropy',
  binary: '0/1 labels · binary cross-entropy',
  regression: 'real targets · mean squared error',
};

/** What the labels of a target are, in a few words. */
export const targetText = (t: OutputTarget): string =>
  t.kind === 'classes' ? `class labels 0–${t.classes - 1} · sparse categorical cross-entropy` : KIND_TEXT[t.kind];

/** The model's output tensors with their targets, or null when one has no known shape. */
function outputsOf(graph: Graph, analysis: Analysis, losses: Parameters<typeof trainingOutputs>[2]): TrainingOutput[] | null {
  try {
    return trainingOutputs(graph, analysis, losses);
  } catch {
    return null;
  }
}

export function OutputTargets({ graph, analysis, disabled }: { graph: Graph; analysis: Analysis; disabled: boolean }) {
  const losses = useEditor((s) => s.training.losses);
  if (!analysis.valid) return null;
  const set = (name: string, v: string) => {
    const next = { ...losses };
    if (v === 'auto') delete next[name];
    else next[name] = v as TargetKind;
    useEditor.getState().setTraining({ losses: next });
  };
  // One loss per output tensor (core trainingOutputs): an LSTM's states and attention scores get their own.
  const outputs = outputsOf(graph, analysis, losses);
  if (!outputs) return null;
  return (
    <div className="outputs" data-testid="output-losses">
      <div className="outputs__title">{outputs.length === 1 ? 'Output' : `${outputs.length} outputs, one loss each`}</div>
      {outputs.map((o) => {
        const auto = o.ref.output === 0 ? outputTarget(o.node, o.shape) : trainingOutputs(graph, analysis, {}).find((x) => x.name === o.name)!.target;
        const chosen = losses?.[o.name];
        return (
          <label key={o.name} className="setting setting--output" title={targetText(o.target)}>
            <span className="mono">{o.name}</span>
            <select aria-label={`Loss of ${o.name}`} value={chosen ?? 'auto'} disabled={disabled} onChange={(e) => set(o.name, e.target.value)}>
              <option value="auto">auto: {KIND_TEXT[auto.kind].split(' · ')[1]}</option>
              {TARGET_KINDS.map((k) => {
                const problem = targetProblem(o.shape, k);
                return (
                  <option key={k} value={k} disabled={!!problem} title={problem ?? undefined}>
                    {KIND_TEXT[k].split(' · ')[1]}
                  </option>
                );
              })}
            </select>
          </label>
        );
      })}
    </div>
  );
}
