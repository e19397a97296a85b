/** Test helper: a seed or zoo template's graph by id. */
import { templateById, TEMPLATES, type Graph } from '../../src/core';

/**
 * Builds the template `id` (a fresh graph each call).
 * @throws Error naming the id and the known ids when no template has it.
 */
export function tpl(id: string): Graph {
  const t = templateById(id);
  if (!t) throw new Error(`No template '${id}' (known: ${TEMPLATES.map((x) => x.id).join(', ')}).`);
  return t.build();
}
