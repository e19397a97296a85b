/**
 * The architecture rule in eslint.config.js: src/core and src/codegen import no React, React Flow, zustand
 * or tfjs, and none of the app folders. Linted as text at a path inside those folders (type-aware rules off:
 * the probe file does not exist on disk), so the rule is checked by `npm test` as well as by `npm run lint`.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });

async function restricted(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('eslint: the pure layers stay pure', () => {
  it.each([
    ["import { useState } from 'react';", 'no React'],
    ["import { createRoot } from 'react-dom/client';", 'no React'],
    ["import { create } from 'zustand';", 'state lives in src/store'],
    ["import { ReactFlow } from '@xyflow/react';", 'React Flow belongs to src/canvas'],
    ["import * as tf from '@tensorflow/tfjs';", 'only src/runtime imports tfjs'],
    ["import type { Tensor } from '@tensorflow/tfjs-core';", 'only src/runtime imports tfjs'],
    ["import { useEditor } from '../../store/editor';", 'must not import the app layers'],
  ])(
    'refuses %s in src/core and src/codegen',
    async (line, why) => {
      for (const file of ['src/core/graph/probe.ts', 'src/codegen/probe.ts']) {
        const messages = await restricted(`${line}\nexport const x = 1;\n`, file);
        expect(messages, file).toHaveLength(1);
        expect(messages[0]).toContain(why);
      }
    },
    60_000,
  );

  it('allows the same imports elsewhere, and zod in the core', async () => {
    expect(await restricted("import { useState } from 'react';\nexport const x = useState;\n", 'src/panels/probe.tsx')).toEqual([]);
    expect(await restricted("import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n", 'src/runtime/probe.ts')).toEqual([]);
    expect(await restricted("import { z } from 'zod';\nexport const x = z;\n", 'src/core/probe.ts')).toEqual([]);
  }, 60_000);
});
