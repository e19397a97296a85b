/** Words the training panel shows about how a run ended. Pure (no React), so tests can read them. */
import type { TrainingSettings } from '../core';
import type { TrainResult } from '../runtime/protocol';

/**
 * What to say when the loss became NaN or infinite: where, and what to try, most likely first (a learning
 * rate too high for the optimizer is the usual cause; sgd with a large rate diverges soonest).
 */
export function nonFiniteAdvice(r: TrainResult, s: Pick<TrainingSettings, 'learningRate' | 'optimizer'>): string | null {
  if (!r.nonFinite) return null;
  const what = Number.isNaN(r.nonFinite.loss) ? 'NaN (not a number)' : r.nonFinite.loss > 0 ? 'infinite' : '−infinite';
  const lower = Number((s.learningRate / 10).toPrecision(2));
  const tips = [`lower the learning rate (${s.learningRate} → ${lower})`];
  if (s.optimizer === 'sgd') tips.push('use adam, which adapts its steps');
  tips.push('add BatchNormalization after large layers');
  return `The loss became ${what} in epoch ${r.nonFinite.epoch + 1}, batch ${r.nonFinite.batch}, so training stopped there; the model in the editor is unchanged. Try: ${tips.join('; ')}.`;
}
