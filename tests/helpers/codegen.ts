/** Test helper for the code generators: the program of a generation that must succeed. */
import * as path from 'node:path';
import ts from 'typescript';
import type { CodeResult } from '../../src/codegen';

/**
 * The code of a generator's result (`generatePython` / `generateTypeScript`).
 * @throws Error with the generator's reason when it refused to write the program.
 */
export function written(r: CodeResult): string {
  if (!r.ok) throw new Error(r.reason);
  return r.code;
}

/**
 * Type-checks generated TypeScript programs against the installed tfjs 4.22 typings, as a user's strict project would
 * (ES2022, bundler resolution, `strict`, `noUnusedLocals`). `files` maps absolute paths inside `dir`, a folder that
 * exists only in memory, to program texts; imports between them resolve there.
 * @returns one line per diagnostic, "file.ts: message" (empty when every program type-checks).
 */
export function typeCheckPrograms(dir: string, files: ReadonlyMap<string, string>): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
    noUnusedLocals: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  // Module resolution asks for the in-memory folder.
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => path.resolve(d) === dir || (directoryExists ? directoryExists(d) : true);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, v, ...rest) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!, v) : getSourceFile.call(host, f, v, ...rest));
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
