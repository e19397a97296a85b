/** Colours by layer category, as Netron colours operators (docs/design-notes.md). CSS variables per theme. */
import type { Category } from '../core';

export const CATEGORY_COLOR: Record<Category, string> = {
  Input: 'var(--cat-input)',
  Core: 'var(--cat-core)',
  Convolution: 'var(--cat-conv)',
  Pooling: 'var(--cat-pool)',
  Normalization: 'var(--cat-norm)',
  Merge: 'var(--cat-merge)',
  Recurrent: 'var(--cat-rnn)',
  Activation: 'var(--cat-act)',
  Regularization: 'var(--cat-reg)',
  Preprocessing: 'var(--cat-prep)',
};
