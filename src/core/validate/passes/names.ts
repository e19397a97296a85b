import { checkModelName, checkName } from '../../graph/naming';
import { quoteName } from '../describe';
import { err, report, type Context, type Pass } from '../context';

/**
 * Kinds and names, node by node: a kind Layerlab does not know (`kind/unknown`), a name Keras or tfjs would
 * refuse (`name/invalid`, `checkName`) or one another layer has (`name/duplicate`); then the model's name.
 * The calls of one shared layer share its name: names are counted per layer.
 */
function kindsAndNames(ctx: Context): void {
  const { nodes, groups, defs } = ctx;
  const n = nodes.length;
  const layerCount = groups ? groups.length : n;
  const layerName = (l: number) => nodes[groups ? groups[l][0] : l].name;
  // Counted only when some name repeats: one set of names says whether one does.
  const names = new Set<string>();
  for (let l = 0; l < layerCount; l++) names.add(layerName(l));
  let nameCount: Map<string, number> | null = null;
  if (names.size < layerCount) {
    nameCount = new Map();
    for (let l = 0; l < layerCount; l++) nameCount.set(layerName(l), (nameCount.get(layerName(l)) ?? 0) + 1);
  }
  for (let i = 0; i < n; i++) {
    const nd = nodes[i];
    if (!defs[i]) report(ctx, err('kind/unknown', `${quoteName(nd.name)}: Layerlab does not know the layer kind ${quoteName(nd.kind)}.`, nd.id), i);
    const bad = checkName(nd.name);
    if (bad) report(ctx, err('name/invalid', `${bad}; rename this layer.`, nd.id), i);
    else if (nameCount) {
      const c = nameCount.get(nd.name)!;
      if (c > 1) report(ctx, err('name/duplicate', `${quoteName(nd.name)}: ${c} layers have this name; Keras needs unique layer names, rename one.`, nd.id), i);
    }
  }
  const badModelName = checkModelName(ctx.graph.name);
  if (badModelName) report(ctx, err('name/invalid', badModelName), undefined);
}

export const namesPass: Pass = { name: 'kinds and names', codes: ['kind/unknown', 'name/invalid', 'name/duplicate'], run: kindsAndNames };
