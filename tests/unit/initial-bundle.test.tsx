// @vitest-environment jsdom
/**
 * The initial bundle (issue 9): what the editor loads statically must not bring the file readers and
 * writers (zod), dagre, lz-string, the template builders or the autosave; those are chunks of their own,
 * loaded on first use (files, templates) or in parallel with the editor (persistence.ts). The production
 * build measures the sizes (README, Performance); this test keeps the import structure that gives them.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { waitFor } from '@testing-library/react';

// The project root (vitest runs from it; jsdom gives import.meta.url no file: scheme).
const root = process.cwd();
const rel = (p: string) => relative(root, p).split('\\').join('/');

/** Static imports of a module: `import … from 'x'` and `export … from 'x'`, not `import type`, not `import('x')`. */
function staticImports(file: string): { spec: string; names: string[] }[] {
  const text = readFileSync(file, 'utf8');
  const out: { spec: string; names: string[] }[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)([^'";]*?)\s*from\s*'([^']+)'|^import\s+'([^']+)'/gm)) {
    const clause = m[1] ?? '';
    const names = [...clause.matchAll(/(?:^|[{,]\s*)(?!type\s)([A-Za-z_$][\w$]*)(?=\s*(?:,|}|as\b|$))/g)].map((x) => x[1]);
    out.push({ spec: m[2] ?? m[3], names });
  }
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const cand of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      readFileSync(cand);
      return cand;
    } catch {
      /* next */
    }
  }
  return null;
}

/**
 * Every module the editor's chunk reaches through static imports, starting at src/app/App.tsx. The core is
 * not walked: it is tree-shaken per binding (vite.config.ts declares src/core free of side effects), so what
 * counts is which core bindings the app imports.
 */
function editorGraph(): { modules: Set<string>; packages: Set<string>; coreNames: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const coreNames = new Set<string>();
  const todo = [join(root, 'src/app/App.tsx')];
  while (todo.length) {
    const f = todo.pop()!;
    if (modules.has(rel(f))) continue;
    modules.add(rel(f));
    for (const { spec, names } of staticImports(f)) {
      const target = resolveLocal(f, spec);
      if (!target) {
        if (!spec.endsWith('.css')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        continue;
      }
      if (rel(target).startsWith('src/core/') && !rel(f).startsWith('src/core/')) {
        names.forEach((n) => coreNames.add(n));
        modules.add(rel(target));
        continue;
      }
      if (!rel(target).startsWith('src/core/')) todo.push(target);
    }
  }
  return { modules, packages, coreNames };
}

describe('the editor chunk', () => {
  const g = editorGraph();
  it('imports no reader, writer, layout engine or template builder statically', () => {
    for (const pkg of ['zod', '@dagrejs/dagre', 'lz-string', 'html-to-image', 'elkjs', '@tensorflow/tfjs']) expect(g.packages, pkg).not.toContain(pkg);
    for (const m of [
      'src/app/files.ts',
      'src/app/persistence.ts',
      'src/store/autosave.ts',
      'src/app/TemplateCards.tsx',
      'src/core/templates/index.ts',
      'src/panels/CodePanel.tsx',
      'src/panels/TrainPanel.tsx',
    ])
      expect(g.modules, m).not.toContain(m);
    for (const name of ['parseProjectJson', 'toProjectJson', 'importKerasJson', 'exportKerasJson', 'autoLayout', 'TEMPLATES', 'templateById'])
      expect(g.coreNames, name).not.toContain(name);
  });
  it('still reaches the canvas, the palette, the inspector and the summary (the first paint)', () => {
    for (const m of ['src/canvas/Canvas.tsx', 'src/canvas/Palette.tsx', 'src/inspector/Inspector.tsx', 'src/panels/SummaryPanel.tsx'])
      expect(g.modules, m).toContain(m);
  });
});

describe('Download your work before persistence.ts has loaded', () => {
  it('loads it, then downloads the canvas as a project file', async () => {
    vi.resetModules();
    const names: string[] = [];
    URL.createObjectURL = () => 'blob:x';
    URL.revokeObjectURL = () => {};
    HTMLAnchorElement.prototype.click = function () {
      names.push(this.download);
    };
    const { downloadWork } = await import('../../src/app/session');
    const { useEditor } = await import('../../src/store/editor');
    useEditor.getState().addLayer('Input', { x: 0, y: 0 });
    downloadWork();
    await waitFor(() => expect(names.some((n) => n.endsWith('.layerlab.json'))).toBe(true));
  });
});
