/**
 * The code-import client against fake workers (jsdom and Node have no Worker): lazy creation per language, one request
 * at a time, the 10 s run limit (which starts after Pyodide's loading progress), a crashed worker, a fresh worker after
 * a timeout. Fake timers stand in for the clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCodeImporter, RUN_LIMIT_MS, LOAD_LIMIT_MS, TIMEOUT_REASON, type CodeWorkerLike } from '../../src/codeimport/client';
import type { CodeImportMessage, CodeImportRequest, CodeLanguage } from '../../src/codeimport/types';
import { emptyGraph } from '../../src/core';

class FakeWorker implements CodeWorkerLike {
  onmessage: CodeWorkerLike['onmessage'] = null;
  onerror: CodeWorkerLike['onerror'] = null;
  onmessageerror: CodeWorkerLike['onmessageerror'] = null;
  terminated = false;
  readonly requests: CodeImportRequest[] = [];
  constructor(readonly language: CodeLanguage) {}
  postMessage(message: CodeImportRequest): void {
    this.requests.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  send(m: CodeImportMessage): void {
    if (!this.terminated) this.onmessage?.({ data: m } as MessageEvent<CodeImportMessage>);
  }
  answer(i = this.requests.length - 1): void {
    this.send({ id: this.requests[i].id, type: 'result', result: { ok: true, graph: emptyGraph(), notes: [`ran ${this.requests[i].code}`] } });
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const importCode = createCodeImporter({
    createWorker: (language) => {
      const w = new FakeWorker(language);
      workers.push(w);
      return w;
    },
  });
  return { importCode, workers };
}

/** Lets queued promise callbacks run (the queue sends the next request from a `then`). */
const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('importCode (client)', () => {
  it('creates a worker per language on first use and keeps it', async () => {
    const { importCode, workers } = setup();
    expect(workers).toHaveLength(0);
    const a = importCode('typescript', 'one');
    await flush();
    expect(workers.map((w) => w.language)).toEqual(['typescript']);
    workers[0].answer();
    expect(await a).toMatchObject({ ok: true, notes: ['ran one'] });
    const b = importCode('typescript', 'two');
    await flush();
    workers[0].answer();
    await b;
    expect(workers).toHaveLength(1);
    const c = importCode('python', 'three');
    await flush();
    expect(workers.map((w) => w.language)).toEqual(['typescript', 'python']);
    expect(workers[1].requests[0]).toMatchObject({ language: 'python', code: 'three' });
    workers[1].answer();
    await c;
  });

  it('sends one request at a time per worker, in order', async () => {
    const { importCode, workers } = setup();
    const a = importCode('typescript', 'first');
    const b = importCode('typescript', 'second');
    await flush();
    expect(workers[0].requests.map((r) => r.code)).toEqual(['first']);
    workers[0].answer();
    expect(await a).toMatchObject({ notes: ['ran first'] });
    await flush();
    expect(workers[0].requests.map((r) => r.code)).toEqual(['first', 'second']);
    workers[0].answer();
    expect(await b).toMatchObject({ notes: ['ran second'] });
  });

  it('ignores answers to other requests', async () => {
    const { importCode, workers } = setup();
    const a = importCode('typescript', 'x');
    await flush();
    workers[0].send({ id: 999, type: 'result', result: { ok: false, reason: 'not mine' } });
    workers[0].answer();
    expect(await a).toMatchObject({ ok: true });
  });

  it('stops a run after 10 s: terminates the worker, says why, and starts a fresh worker next time', async () => {
    const { importCode, workers } = setup();
    const a = importCode('typescript', 'while (true) {}');
    await flush();
    vi.advanceTimersByTime(RUN_LIMIT_MS - 1);
    let settled = false;
    void a.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await a).toEqual({ ok: false, reason: TIMEOUT_REASON });
    expect(TIMEOUT_REASON).toBe('The code ran for more than 10 s and was stopped (an endless loop?).');
    expect(workers[0].terminated).toBe(true);
    const b = importCode('typescript', 'fine');
    await flush();
    expect(workers).toHaveLength(2);
    workers[1].answer();
    expect(await b).toMatchObject({ ok: true });
  });

  it("starts the 10 s limit after Python's loading progress, and passes progress on", async () => {
    const { importCode, workers } = setup();
    const seen: [string, number | undefined][] = [];
    const a = importCode('python', 'model = ...', (stage, fraction) => seen.push([stage, fraction]));
    await flush();
    const w = workers[0];
    const id = w.requests[0].id;
    // Loading takes 25 s in all, with progress every 8 s: longer than the run limit, never stopped.
    for (let t = 0; t < 3; t++) {
      w.send({ id, type: 'progress', stage: 'Loading Python', fraction: t / 3 });
      vi.advanceTimersByTime(8_000);
    }
    w.send({ id, type: 'progress', stage: 'Running the code', fraction: 1 });
    vi.advanceTimersByTime(RUN_LIMIT_MS - 1);
    expect(w.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await a).toEqual({ ok: false, reason: TIMEOUT_REASON });
    expect(seen.map((s) => s[1])).toEqual([0, 1 / 3, 2 / 3, 1]);
  });

  it('stops a load that stalls for LOAD_LIMIT_MS', async () => {
    const { importCode, workers } = setup();
    const a = importCode('python', 'x = 1');
    await flush();
    workers[0].send({ id: workers[0].requests[0].id, type: 'progress', stage: 'Loading Python', fraction: 0.2 });
    vi.advanceTimersByTime(LOAD_LIMIT_MS);
    const r = await a;
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/Python engine did not finish loading/);
    expect(workers[0].terminated).toBe(true);
  });

  it('a crashed worker gives a clear reason naming the engine, and the next import gets a new worker', async () => {
    const { importCode, workers } = setup();
    const a = importCode('python', 'x');
    await flush();
    workers[0].onerror?.({ message: 'Uncaught RangeError: out of memory', preventDefault() {} } as ErrorEvent);
    const r = await a;
    expect(r).toEqual({ ok: false, reason: 'The Python engine stopped unexpectedly: Uncaught RangeError: out of memory. Nothing was changed; try again.' });
    expect(workers[0].terminated).toBe(true);
    const b = importCode('python', 'y');
    await flush();
    expect(workers).toHaveLength(2);
    workers[1].answer();
    expect(await b).toMatchObject({ ok: true });
  });

  it('a crash without a message still reads as a sentence', async () => {
    const { importCode, workers } = setup();
    const a = importCode('typescript', 'x');
    await flush();
    workers[0].onerror?.({ message: '' } as ErrorEvent);
    const r = await a;
    expect(!r.ok && r.reason).toBe('The TypeScript engine stopped unexpectedly. Nothing was changed; try again.');
  });

  it('a worker that cannot be created gives a reason instead of throwing', async () => {
    const importCode = createCodeImporter({
      createWorker: () => {
        throw new Error('Workers are disabled');
      },
    });
    expect(await importCode('python', 'x')).toEqual({ ok: false, reason: 'The Python engine could not be started: Workers are disabled' });
  });
});
