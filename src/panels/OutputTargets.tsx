/**
 * The loss of each output: chosen automatically from the output's activation and size (softmax → class
 * labels, one sigmoid unit → 0/1 labels, else regression), or by the user per output.
 */
import { outputTarget, targetProblem, TARGET_KINDS, type Analysis, type Graph, type OutputTarget, type TargetKind } from '../core';
import { useEditor } from '../store/editor';

const KIND_TEXT: Record<TargetKind, string> = {
  classes: 'class labels · sparse categorical cross-entropy',
  binary: '0/1 labels · binary cross-entropy',
  regression: 'real targets · mean squared error',
};

/** What the labels of a target are, in a few words. */
export const targetText = (t: OutputTarget): string =>
  t.kind === 'classes' ? `class labels 0–${t.classes - 1} · sparse categorical cross-entropy` : KIND_TEXT[t.kind];

export function OutputTargets({ graph, analysis, disabled }: { graph: Graph; analysis: Analysis; disabled: boolean }) {
  const losses = useEditor((s) => s.training.losses);
  if (!analysis.valid) return null;
  const set = (name: string, v: string) => {
    const next = { ...losses };
    if (v === 'auto') delete next[name];
    else next[name] = v as TargetKind;
    useEditor.getState().setTraining({ losses: next });
  };
  return (
    <div className="outputs" data-testid="output-losses">
      <div className="outputs__title">{analysis.outputs.length === 1 ? 'Output' : `${analysis.outputs.length} outputs, one loss each`}</div>
      {analysis.outputs.map((id) => {
        const n = graph.nodes.find((x) => x.id === id)!;
        const shape = analysis.nodes.get(id)!.outputShape!;
        const auto = outputTarget(n, shape);
        const chosen = losses?.[n.name];
        return (
          <label key={id} className="setting setting--output" title={targetText(outputTarget(n, shape, chosen))}>
            <span className="mono">{n.name}</span>
            <select aria-label={`Loss of ${n.name}`} value={chosen ?? 'auto'} disabled={disabled} onChange={(e) => set(n.name, e.target.value)}>
              <option value="auto">auto: {KIND_TEXT[auto.kind].split(' · ')[1]}</option>
              {TARGET_KINDS.map((k) => {
                const problem = targetProblem(shape, k);
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
