/**
 * Real third-party Keras / tfjs topology files from ../shared/fixtures/keras (read in place, never
 * copied into the project). Each must import, and its parameter count must equal the count its
 * source states (SOURCES.md) and the count tfjs gives for the model Layerlab builds from it.
 * Skipped, and says so, when ../shared is not beside the project (a user's clone).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { analyze, importKerasJson } from '../../src/core';
import { buildModel } from '../../src/runtime/buildModel';
import { cpuBackend } from '../helpers/tfjs';

const dir = fileURLToPath(new URL('../../../shared/fixtures/keras/', import.meta.url));
const present = existsSync(`${dir}SOURCES.md`);

/** Rows of SOURCES.md's table: file name and the first number in its "parameters" column. */
function stated(): [string, number][] {
  const rows = readFileSync(`${dir}SOURCES.md`, 'utf8')
    .split('\n')
    .filter((l) => /^\|\s*[\w.-]+\.json\s*\|/.test(l));
  return rows.map((l) => {
    const cells = l.split('|').map((c) => c.trim());
    const count = Number(/([\d,]+)/.exec(cells[4])![1].replace(/,/g, ''));
    return [cells[1], count];
  });
}

describe.skipIf(!present)('real Keras / tfjs files in ../shared/fixtures/keras', () => {
  beforeAll(cpuBackend);

  it('lists at least one file', () => {
    expect(stated().length).toBeGreaterThan(0);
  });

  it.each(present ? stated() : [])('%s imports with the stated %i parameters, as tfjs counts them', (file, count) => {
    const r = importKerasJson(readFileSync(`${dir}${file}`, 'utf8'));
    if (!r.ok) throw new Error(r.reason);
    const a = analyze(r.graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals.total).toBe(count);
    const model = buildModel(tf, r.graph);
    expect(model.countParams()).toBe(count);
    model.dispose();
  });
});

if (!present) console.warn(`keras-corpus: skipped, ${dir} is absent (it exists beside the project in CI).`);
