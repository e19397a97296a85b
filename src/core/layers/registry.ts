/**
 * Every layer kind Layerlab offers, one file each. Adding a kind = one file + one line here.
 */
import type { LayerDef } from './define';
import { input } from './input';
import { dense } from './dense';
import { conv2d } from './conv2d';
import { maxPooling2d } from './maxPooling2d';
import { flatten } from './flatten';
import { dropout } from './dropout';
import { concatenate } from './concatenate';

export const LAYER_DEFS: readonly LayerDef[] = [input, dense, dropout, flatten, conv2d, maxPooling2d, concatenate];

const byKind = new Map(LAYER_DEFS.map((d) => [d.kind, d]));

/** The definition of a layer kind, or undefined for an unknown kind. */
export const layerDef = (kind: string): LayerDef | undefined => byKind.get(kind);

/** Categories in palette order. */
export const CATEGORIES = ['Input', 'Core', 'Convolution', 'Pooling', 'Merge'] as const;
