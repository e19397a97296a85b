/**
 * How a shape rule got its numbers, for the explanations the editor shows (validate/explain.ts): while
 * `traceSteps` runs a definition's `outputShape`, the shared shape helpers record each computation as a line of
 * arithmetic with the actual numbers (`height: ⌊(64 − 3) / 1⌋ + 1 = 62`). Outside `traceSteps` nothing is
 * recorded and `tracing()` is false, so the validator pays one comparison per helper call. The steps come from the
 * code that computes the value, never from a second copy of a formula.
 */
import { formatCount } from '../format';

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
export const num = (n: number | null): string => (n === null ? 'None' : formatCount(n));

const AXIS_NAMES: Readonly<Record<number, readonly string[]>> = {
  2: ['batch', 'features'],
  3: ['batch', 'steps', 'features'],
  4: ['batch', 'height', 'width', 'channels'],
  5: ['batch', 'depth', 'height', 'width', 'channels'],
};

/**
 * The name a step gives axis `i` of a rank-`rank` shape (batch first): (batch, features), (batch, steps, features),
 * (batch, height, width, channels), (batch, depth, height, width, channels); other ranks 'axis i'.
 */
export const axisName = (rank: number, i: number): string => AXIS_NAMES[rank]?.[i] ?? `axis ${i}`;

/** An axis argument as written, with a typographic minus for a negative one: 'axis −1'. */
export const axisArg = (a: number): string => `axis ${a < 0 ? `−${-a}` : a}`;

/**
 * Records one step in the common form `<axis>: <arithmetic> = <result>` with an optional ` (<note>)`, e.g.
 * `height: 14 × 2 = 28`. Call only when `tracing()` (the caller builds the texts only then).
 */
export function step(axis: string, arithmetic: string, result: number | null, extra?: string): void {
  note(`${axis}: ${arithmetic} = ${num(result)}${extra ? ` (${extra})` : ''}`);
}

/**
 * Records a spatial axis changed by a fixed amount (cropping, padding, upsampling): `height: 28 − 1 − 1 = 26`,
 * `height: 14 × 2 = 28`; `change` is the arithmetic after the input size. An unknown size stays None.
 */
export function spatialStep(axis: string, n: number | null, change: string, out: number | null): void {
  if (n === null) step(axis, 'an unknown size stays unknown', null);
  else step(axis, `${num(n)} ${change}`, out);
}
