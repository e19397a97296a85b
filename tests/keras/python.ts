/**
 * The Keras oracle's Python: where it lives and how a batch of programs runs in it (tests/keras/runner.py).
 * The environment is the one scripts/keras-env.sh makes (Keras 3.15.1 on JAX, CPU); `LAYERLAB_KERAS_PYTHON` names
 * its interpreter directly, `LAYERLAB_KERAS_VENV` its folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const VENV =
  process.env.LAYERLAB_KERAS_VENV ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/root', '.cache'), 'layerlab', 'keras-venv');

/** The oracle's Python interpreter (it may not exist: see `KERAS_AVAILABLE`). */
export const KERAS_PYTHON = process.env.LAYERLAB_KERAS_PYTHON ?? path.join(VENV, 'bin', 'python');

/** Whether the Keras environment is there; the oracle files skip themselves, saying how to get it, when not. */
export const KERAS_AVAILABLE = existsSync(KERAS_PYTHON);

/**
 * Runs programs in one Keras process (tests/keras/runner.py: `kind` 'python' runs code that makes `model`, 'json'
 * loads a Keras JSON text) and returns the runner's results by program id. Ten minutes at most.
 * @throws Error with the end of the runner's stderr when the process fails as a whole (a program's own error is
 *   its result, `ok: false`).
 */
export function runKerasPrograms<R extends { id: string }>(programs: readonly { id: string; kind: 'python' | 'json'; text: string }[]): Map<string, R> {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlab-keras-'));
  try {
    writeFileSync(path.join(dir, 'batch.json'), JSON.stringify({ programs }));
    const r = spawnSync(KERAS_PYTHON, [path.join(__dirname, 'runner.py'), path.join(dir, 'batch.json'), path.join(dir, 'out.json')], {
      env: { ...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu', TF_CPP_MIN_LOG_LEVEL: '3' },
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`the Keras runner failed: ${r.stderr.slice(-3000)}`);
    const parsed = JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')) as { results: R[] };
    return new Map(parsed.results.map((x) => [x.id, x]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
