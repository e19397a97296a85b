import { findCycle } from '../../graph/topology';
import { quoteName } from '../describe';
import { err, report, type Context, type Pass } from '../context';

/**
 * Cycles: when the topological order leaves nodes out, one cycle among them (`findCycle`), reported on each
 * of its nodes with the cycle's names in edge order.
 */
function cycles(ctx: Context): void {
  const { graph, nodes, cyclic, x } = ctx;
  if (!cyclic) return;
  const left: string[] = [];
  for (let i = 0; i < nodes.length; i++) if (cyclic[i]) left.push(nodes[i].id);
  const cycle = findCycle(graph, left, x);
  const names = cycle.map((id) => nodes[x.indexOf.get(id)!].name);
  const text = `These layers form a cycle: ${[...names, names[0]].map(quoteName).join(' → ')}. A model must be acyclic; remove one of these connections.`;
  for (const id of cycle) report(ctx, err('cycle', text, id), x.indexOf.get(id));
}

export const cyclesPass: Pass = { name: 'cycles', codes: ['cycle'], run: cycles };
