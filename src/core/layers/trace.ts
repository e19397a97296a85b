/**
 * How a shape rule got its numbers, for the explanations the editor shows (validate/explain.ts): while
 * `traceSteps` runs a definition's `outputShape`, the shared shape helpers record each computation as a line of
 * arithmetic with the actual numbers (`height: ⌊(64 − 3) / 1⌋ + 1 = 62`). Outside `traceSteps` nothing is
 * recorded and `tracing()` is false, so the validator pays one comparison per helper call. The steps come from the
 * code that computes the value, never from a second copy of a formula.
 */

let steps: string[] | null = null;

/** True while `traceSteps` runs: a helper builds its step's text only then. */
export const tracing = (): boolean => steps !== null;

/** Records one step (a line of arithmetic with its result) when tracing; does nothing otherwise. */
export function note(text: string): void {
  if (steps) steps.push(text);
}

/**
 * Runs `f` (a definition's shape rule) and returns its value with the steps the helpers it called recorded, in
 * order. Nested calls keep their own steps. Whatever `f` throws is thrown (the steps are dropped).
 */
export function traceSteps<T>(f: () => T): { value: T; steps: string[] } {
  const saved = steps;
  const mine: string[] = [];
  steps = mine;
  try {
    return { value: f(), steps: mine };
  } finally {
    steps = saved;
  }
}

/** A number as the explanations write it: thousands separated by commas (200,768), None for an unknown size. */
export const num = (n: number | null): string => (n === null ? 'None' : n.toLocaleString('en-US'));
