/**
 * The validator's pipeline: its passes in the order `analyze` runs them. Each reads what the passes before it
 * left on the context and only appends diagnostics, so the diagnostics of a prefix of the pipeline are a
 * prefix of the whole list.
 */
import type { Pass } from '../context';
import { namesPass } from './names';
import { cyclesPass } from './cycles';
import { paramsPass } from './params';
import { reachabilityPass } from './reachability';
import { shapesPass } from './shapes';
import { sharedPass } from './shared';
import { blocksPass } from './blocks';
import { outputsPass } from './outputs';
import { masksPass } from './masks';
import { trainingPass } from './training';
import { totalsPass } from './totals';

export const PASSES: readonly Pass[] = [
  namesPass,
  cyclesPass,
  paramsPass,
  reachabilityPass,
  shapesPass,
  sharedPass,
  blocksPass,
  outputsPass,
  masksPass,
  trainingPass,
  totalsPass,
];
