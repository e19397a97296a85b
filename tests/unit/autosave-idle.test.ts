// Autosave out of the edit's frame (issue 13): a debounced write serialises and checks the project in idle
// periods, never in the timer that fires after an edit; leaving the page or switching documents writes at once,
// so a change is never dropped while a write waits for idle time.
import { afterEach, describe, expect, it } from 'vitest';
import { emptyGraph, DEFAULT_TRAINING, type Graph, type Project, type TrainingSettings } from '../../src/core';
import { AutosaveSession, isDocRecord, type EditorPort, type IdleDeadlineLike, type UiPort } from '../../src/store/autosave';
import { memoryKv, type Kv } from '../../src/store/kv';
import { denseChain } from '../helpers/graphs';

/** An editor store with a count of reads (a write reads the canvas when it serialises it). */
function fakeEditor() {
  let state: { graph: Graph; training: TrainingSettings } = { graph: emptyGraph(), training: DEFAULT_TRAINING };
  const listeners = new Set<() => void>();
  const counts = { reads: 0 };
  const set = (patch: Partial<typeof state>) => {
    state = { ...state, ...patch };
    listeners.forEach((l) => l());
  };
  const port: EditorPort = {
    read: () => (counts.reads++, state),
    load: (p: Project) => set({ graph: p.graph, training: p.training }),
    subscribe: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  return { port, set, counts };
}

const ui: UiPort = { setSaveState: () => {}, setDocuments: () => {}, banner: () => {}, toast: () => {}, download: () => {} };

/** An idle scheduler driven by the test: callbacks wait in `queue` until `run` calls the first one. */
function manualIdle() {
  const queue: ((d: IdleDeadlineLike) => void)[] = [];
  const idle = (cb: (d: IdleDeadlineLike) => void) => {
    queue.push(cb);
    return () => {
      const i = queue.indexOf(cb);
      if (i >= 0) queue.splice(i, 1);
    };
  };
  const run = (room = 50, didTimeout = false) => {
    const cb = queue.shift();
    if (!cb) throw new Error('no idle callback is waiting');
    cb({ didTimeout, timeRemaining: () => room });
  };
  return { idle, queue, run };
}

/** A store that counts writes. */
function countingKv() {
  const base = memoryKv();
  const n = { updates: 0 };
  const kv: Kv = { ...base, update: (k, fn) => (n.updates++, base.update(k, fn)) };
  return { kv, n };
}

const sessions: AutosaveSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.stop();
});

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const until = async (cond: () => boolean | Promise<boolean>, what: string, ms = 3000) => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await tick(5);
  }
};

/** The graph of every stored document, by id. */
async function storedGraphs(kv: Kv) {
  const out = new Map<string, { name: string; nodes: unknown[] }>();
  for (const k of await kv.keys()) {
    const v = await kv.get(k);
    if (k.startsWith('doc:') && isDocRecord(v)) out.set(v.id, JSON.parse(v.json).graph);
  }
  return out;
}

async function startSession(o: { kv: Kv; editor: EditorPort; idle: ReturnType<typeof manualIdle>['idle']; backup?: Map<string, string> }) {
  const ls = o.backup ?? new Map<string, string>();
  const backup = { get: (k: string) => ls.get(k) ?? null, set: (k: string, v: string) => (ls.set(k, v), true), remove: (k: string) => ls.delete(k) };
  const m = new Map<string, string>();
  const tabStore = { get: (k: string) => m.get(k) ?? null, set: (k: string, v: string) => (m.set(k, v), true) };
  const { session } = await AutosaveSession.start({ kv: o.kv, editor: o.editor, ui, idle: o.idle, delayMs: 5, channel: null, legacy: null, backup, tabStore });
  sessions.push(session);
  return session;
}

describe('autosave in idle time', () => {
  it('the debounce timer only asks for an idle period; the write serialises there, checks in a second one, and takes the edits made meanwhile', async () => {
    const { kv, n } = countingKv();
    const ed = fakeEditor();
    const idle = manualIdle();
    const s = await startSession({ kv, editor: ed.port, idle: idle.idle });
    const reads0 = ed.counts.reads;
    ed.set({ graph: denseChain(3, 'model') });
    await until(() => idle.queue.length === 1, 'the idle request after the debounce');
    await tick(20);
    // The timer fired: nothing was read, serialised or written in it.
    expect(ed.counts.reads).toBe(reads0);
    expect(n.updates).toBe(0);
    expect(s.dirty).toBe(true);
    // A further edit while the write waits joins it.
    ed.set({ graph: denseChain(6, 'model') });
    idle.run(); // serialises (in the idle callback's microtasks)
    await Promise.resolve();
    expect(ed.counts.reads).toBe(reads0 + 1);
    await until(() => idle.queue.length === 1, 'the idle request of the read-back check');
    expect(n.updates).toBe(0);
    idle.run(); // checks, then writes
    await until(() => !s.dirty, 'the write');
    const graphs = [...(await storedGraphs(kv)).values()];
    expect(graphs.map((g) => g.nodes.length)).toEqual([6]);
    await tick(20);
    expect(n.updates).toBe(1); // one write for both edits (the second timer found the first write waiting)
  });

  it('pagehide (unloading) while the write waits for an idle period that never comes still saves, in the store and in the backup', async () => {
    const { kv } = countingKv();
    const ed = fakeEditor();
    const idle = manualIdle(); // never run: the page is busy until it closes
    const backup = new Map<string, string>();
    const s = await startSession({ kv, editor: ed.port, idle: idle.idle, backup });
    ed.set({ graph: denseChain(4, 'model') });
    await until(() => idle.queue.length === 1, 'the idle request after the debounce');
    s.unloading();
    // The backup is written at once (an IndexedDB write may not finish while the page unloads) ...
    expect([...backup.values()].map((v) => JSON.parse(JSON.parse(v).json).graph.nodes.length)).toEqual([4]);
    // ... and the store write goes on without waiting for idle time.
    await until(() => !s.dirty, 'the write started by unloading');
    expect([...(await storedGraphs(kv)).values()].map((g) => g.nodes.length)).toEqual([4]);
    expect(idle.queue).toHaveLength(0);
  });

  it('a flush in the middle of an idle write (serialised, check pending) finishes it at once with the latest canvas', async () => {
    const { kv } = countingKv();
    const ed = fakeEditor();
    const idle = manualIdle();
    const s = await startSession({ kv, editor: ed.port, idle: idle.idle });
    ed.set({ graph: denseChain(2, 'model') });
    await until(() => idle.queue.length === 1, 'the idle request after the debounce');
    idle.run(); // serialised the 2-layer graph; the check waits
    await until(() => idle.queue.length === 1, 'the idle request of the read-back check');
    ed.set({ graph: denseChain(5, 'model') }); // then the user edits, and the page is hidden
    await s.flush();
    expect(s.dirty).toBe(false);
    expect([...(await storedGraphs(kv)).values()].map((g) => g.nodes.length)).toEqual([5]);
  });

  it('an idle period shorter than the last serialisation is skipped; the timeout runs it anyway', async () => {
    const { kv, n } = countingKv();
    const ed = fakeEditor();
    const idle = manualIdle();
    const s = await startSession({ kv, editor: ed.port, idle: idle.idle });
    ed.set({ graph: denseChain(400, 'model') });
    await s.flush(); // measures how long 400 layers take to serialise and check
    const updates = n.updates;
    ed.set({ graph: denseChain(401, 'model') });
    await until(() => idle.queue.length === 1, 'the idle request after the debounce');
    const reads = ed.counts.reads;
    idle.run(0); // no room left in this idle period: ask again
    expect(idle.queue).toHaveLength(1);
    expect(ed.counts.reads).toBe(reads);
    idle.run(0, true); // the timeout passed: serialise now
    await until(() => idle.queue.length === 1, 'the idle request of the read-back check');
    idle.run(0, true);
    await until(() => !s.dirty, 'the write');
    expect(n.updates).toBe(updates + 1);
    expect([...(await storedGraphs(kv)).values()].map((g) => g.nodes.length)).toEqual([401]);
  });

  it('a document replaced while its write waits keeps its last change, and the new document never receives the old canvas', async () => {
    const { kv } = countingKv();
    const ed = fakeEditor();
    const idle = manualIdle();
    const s = await startSession({ kv, editor: ed.port, idle: idle.idle });
    ed.set({ graph: denseChain(3, 'mine') });
    await s.flush();
    const mine = s.currentId;
    ed.set({ graph: denseChain(7, 'mine') });
    await until(() => idle.queue.length === 1, 'the idle request after the debounce');
    s.startNewDocument(); // a template is opened; its graph arrives later (an opened file is parsed first)
    while (idle.queue.length) idle.run();
    await tick(20);
    while (idle.queue.length) idle.run();
    await until(() => !s.dirty, 'the old document written');
    let docs = await storedGraphs(kv);
    expect(docs.get(mine)?.nodes).toHaveLength(7);
    expect(docs.has(s.currentId)).toBe(false);
    ed.set({ graph: denseChain(2, 'template') });
    await s.flush();
    docs = await storedGraphs(kv);
    expect(docs.get(s.currentId)?.name).toBe('template');
    expect(docs.get(mine)?.nodes).toHaveLength(7);
  });
});
