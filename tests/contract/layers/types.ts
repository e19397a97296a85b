/** The shape of the per-kind tables the layer contract test runs (tests/contract/layers.contract.test.ts). */
import type { Params, Shape } from '../../../src/core';

export interface Case {
  readonly params: Params;
  /** Input shapes, batch axis first. */
  readonly inputs: readonly Shape[];
}

/**
 * What tfjs 4.22 does with an input the core refuses:
 * - a RegExp: creating or applying the layer to symbolic inputs throws this;
 * - a Shape: it builds, and declares this output shape (often one with a size ≤ 0, or one Keras would refuse);
 * - `{ run }`: it builds symbolically, but running the layer on real tensors throws this;
 * - `{ declared, ran }`: it builds with the declared shape, but running it on a batch of 1 gives another.
 */
export type TfjsOutcome = RegExp | Shape | { readonly run: RegExp } | { readonly declared: Shape; readonly ran: readonly number[] };

export interface Invalid {
  readonly what: string;
  readonly c: Case;
  readonly tfjs: TfjsOutcome;
  /** The diagnostic code the core must report on the layer. */
  readonly code: string;
}

/** Valid and invalid cases of one kind. */
export interface KindTable {
  readonly valid: readonly Case[];
  readonly invalid: readonly Invalid[];
  /** Why the kind has no invalid case (Identity: no parameter or single input shape is wrong for it); then `invalid` may be empty. */
  readonly noInvalid?: string;
}

/** Shorthand for a valid case. */
export const ok = (params: Params, ...inputs: Shape[]): Case => ({ params, inputs });

/** Shorthand for an invalid case. */
export const bad = (what: string, params: Params, inputs: Shape[], tfjs: TfjsOutcome, code: string): Invalid => ({ what, c: { params, inputs }, tfjs, code });
