/**
 * Keras 3 as the oracle of the code-import fixtures: every Python file of tests/fixtures/code/ runs as written in real
 * Keras 3 (codeimport_fixtures.py, one process), and `model.count_params()`, the trainable and non-trainable weight
 * sizes, the output shapes, and the figures `model.summary()` prints where the file calls it, must equal
 * manifest.json, which the fast tier (tests/unit/codeimport-fixtures.test.ts) holds Layerlab's import to. So the
 * manifest is Keras's count, not Layerlab's.
 * Run: `npx vitest run --config tests/keras/vitest.config.ts tests/keras/codeimport-fixtures.oracle.test.ts`. Skipped,
 * saying how to get it, without the Keras environment (scripts/keras-env.sh).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const VENV =
  process.env.LAYERLAB_KERAS_VENV ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/root', '.cache'), 'layerlab', 'keras-venv');
const PYTHON = process.env.LAYERLAB_KERAS_PYTHON ?? path.join(VENV, 'bin', 'python');
const available = existsSync(PYTHON);
const DIR = path.join(__dirname, '../fixtures/code');

interface Counts {
  readonly total: number;
  readonly trainable: number;
  readonly non_trainable: number;
}
type Result = (Counts & { file: string; ok: true; printed: Counts | null; outputs: (number | null)[][] | null }) | { file: string; ok: false; error: string };

if (!available)
  describe('Keras oracle of the code-import fixtures', () => it.skip(`skipped: no Keras environment at ${PYTHON}; run scripts/keras-env.sh`, () => {}));

describe.runIf(available)('Keras 3 counts every Python code fixture as manifest.json says', () => {
  const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as {
    files: Record<string, Counts & { oracle: string; outputs?: (number | null)[][] | null }>;
  };
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.py'))
    .sort();
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlab-code-fixtures-'));
  let results: Map<string, Result>;
  let keras = '';
  try {
    const out = path.join(dir, 'out.json');
    const r = spawnSync(PYTHON, [path.join(__dirname, 'codeimport_fixtures.py'), out, ...files.map((f) => path.join(DIR, f))], {
      env: { ...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu', TF_CPP_MIN_LOG_LEVEL: '3' },
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`the Keras runner failed: ${r.stderr.slice(-3000)}`);
    const parsed = JSON.parse(readFileSync(out, 'utf8')) as { keras: string; results: Result[] };
    keras = parsed.keras;
    results = new Map(parsed.results.map((x) => [x.file, x]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  it('ran every Python fixture', () => {
    expect([...results.keys()].sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s', (file) => {
    const res = results.get(file)!;
    expect(res.ok ? '' : res.error).toBe('');
    if (!res.ok) return;
    const want = manifest.files[file];
    expect(want, `${file} is not in manifest.json`).toBeDefined();
    expect(want.oracle).toBe(`Keras ${keras}`);
    expect({ total: res.total, trainable: res.trainable, non_trainable: res.non_trainable }).toEqual({
      total: want.total,
      trainable: want.trainable,
      non_trainable: want.non_trainable,
    });
    // What a reader of the tutorial sees printed.
    if (res.printed) expect(res.printed).toEqual({ total: want.total, trainable: want.trainable, non_trainable: want.non_trainable });
    expect(res.outputs ?? null).toEqual(want.outputs ?? null);
  });
});
