/**
 * Keras 3 as the oracle of its own constructor signatures: tests/fixtures/keras/keras-signatures.json, which the fast
 * tier compares with the layer definitions (tests/unit/keras-signature.test.ts), must equal what `inspect.signature`
 * gives in the oracle environment's Keras for every class in it (tests/keras/signatures.py).
 * Run: `npx vitest run --config tests/keras/vitest.config.ts tests/keras/signature.oracle.test.ts`. Skipped, saying how
 * to get it, without the Keras environment (scripts/keras-env.sh).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const VENV =
  process.env.LAYERLAB_KERAS_VENV ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/root', '.cache'), 'layerlab', 'keras-venv');
const PYTHON = process.env.LAYERLAB_KERAS_PYTHON ?? path.join(VENV, 'bin', 'python');
const available = existsSync(PYTHON);
const RECORD_FILE = path.join(__dirname, '../fixtures/keras/keras-signatures.json');

describe.skipIf(!available)("Keras's constructor signatures", () => {
  it('equal the record the fast tier checks the layer definitions against', () => {
    const record = JSON.parse(readFileSync(RECORD_FILE, 'utf8')) as { keras: string; classes: Record<string, unknown> };
    const r = spawnSync(PYTHON, [path.join(__dirname, 'signatures.py'), ...Object.keys(record.classes)], {
      env: { ...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu', TF_CPP_MIN_LOG_LEVEL: '3' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(record);
  });
});

it.skipIf(available)('Keras signature oracle skipped: run scripts/keras-env.sh to create the Keras environment', () => {
  console.info(`No Keras environment at ${PYTHON}: the signature oracle is skipped (scripts/keras-env.sh creates it).`);
});
