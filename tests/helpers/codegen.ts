/** Test helper for the code generators: the program of a generation that must succeed. */
import type { CodeResult } from '../../src/codegen';

/**
 * The code of a generator's result (`generatePython` / `generateTypeScript`).
 * @throws Error with the generator's reason when it refused to write the program.
 */
export function written(r: CodeResult): string {
  if (!r.ok) throw new Error(r.reason);
  return r.code;
}
