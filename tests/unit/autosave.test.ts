// Autosave (issue 8, "Work that is lost today" 2, 4, 5, 6): documents in IndexedDB (fake-indexeddb in
// Node), revisions, two tabs, failed writes, unreadable saved data, share links as new documents.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore as idbStore } from 'idb-keyval';
import { emptyGraph, parseProjectJson, toProjectJson, DEFAULT_TRAINING, type Graph, type Project, type TrainingSettings } from '../../src/core';
import {
  AutosaveSession,
  LEGACY_AUTOSAVE_KEY,
  TAB_DOC_KEY,
  isDocRecord,
  type BannerButton,
  type ChannelLike,
  type EditorPort,
  type SaveState,
  type UiPort,
} from '../../src/store/autosave';
import { adoptDocuments, indexedDbKv, memoryKv, type Kv } from '../../src/store/kv';
import { LEAKS } from '../helpers/messages';
import { denseChain } from '../helpers/graphs';
import { tpl } from '../helpers/templates';

let dbCount = 0;
const freshIdb = (): Kv => indexedDbKv(idbStore(`layerlab-test-${++dbCount}-${Math.random()}`, 'documents'));

/** A minimal editor: graph + training, change listeners (what the app's zustand store offers). */
function fakeEditor() {
  let state: { graph: Graph; training: TrainingSettings } = { graph: emptyGraph(), training: DEFAULT_TRAINING };
  const listeners = new Set<() => void>();
  const set = (patch: Partial<typeof state>) => {
    state = { ...state, ...patch };
    listeners.forEach((l) => l());
  };
  const port: EditorPort = {
    read: () => state,
    load: (p: Project) => set({ graph: p.graph, training: p.training }),
    subscribe: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  return { port, set, get: () => state };
}

function recorder() {
  const r = {
    states: [] as SaveState[],
    banners: [] as { text: string | null; actions: readonly BannerButton[] }[],
    toasts: [] as string[],
    downloads: [] as { name: string; text: string }[],
    docs: [] as { id: string; title: string }[],
  };
  const ui: UiPort = {
    setSaveState: (s) => r.states.push(s),
    setDocuments: (d) => (r.docs = d.map((x) => ({ id: x.id, title: x.title }))),
    banner: (text, actions = []) => r.banners.push({ text, actions }),
    toast: (t) => r.toasts.push(t),
    download: (name, text) => r.downloads.push({ name, text }),
  };
  return { r, ui, last: () => r.states[r.states.length - 1] };
}

const tabStore = () => {
  const m = new Map<string, string>();
  return { get: (k: string) => m.get(k) ?? null, set: (k: string, v: string) => (m.set(k, v), true), map: m };
};

const sessions: AutosaveSession[] = [];
const start = async (o: Parameters<typeof AutosaveSession.start>[0]) => {
  const s = await AutosaveSession.start({ delayMs: 5, channel: null, legacy: null, ...o });
  sessions.push(s.session);
  return s;
};
afterEach(() => {
  for (const s of sessions.splice(0)) s.stop();
});

const until = async (cond: () => boolean, what: string, ms = 3000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** Every stored document, by id. */
async function storedDocs(kv: Kv) {
  const out = new Map<string, { rev: number; json: string; title: string }>();
  for (const k of await kv.keys()) {
    const v = await kv.get(k);
    if (k.startsWith('doc:') && isDocRecord(v)) out.set(v.id, v);
  }
  return out;
}

describe('autosave in IndexedDB', () => {
  it('restores after a reload what was on the canvas, and writes nothing before the restore finished', async () => {
    const kv = freshIdb();
    const tab = tabStore();
    const e1 = fakeEditor();
    const a = await start({ kv, editor: e1.port, ui: recorder().ui, tabStore: tab });
    const g = denseChain(3, 'model');
    e1.set({ graph: g, training: { ...DEFAULT_TRAINING, epochs: 9 } });
    await a.session.flush();
    a.session.stop();

    // The reload: a slow store; the empty start canvas changes while the restore is under way.
    const slow: Kv = { ...kv, get: async (k) => (await new Promise((r) => setTimeout(r, 50)), kv.get(k)) };
    const e2 = fakeEditor();
    const pending = start({ kv: slow, editor: e2.port, ui: recorder().ui, tabStore: tab });
    e2.set({ graph: emptyGraph('typed-before-restore') });
    const b = await pending;
    expect(b.outcome.kind).toBe('restored');
    expect(e2.get().graph).toEqual(g);
    expect(e2.get().training.epochs).toBe(9);
    await b.session.flush();
    const docs = await storedDocs(kv);
    expect(docs.size).toBe(1);
    expect([...docs.values()][0].json).toBe(toProjectJson({ graph: g, training: { ...DEFAULT_TRAINING, epochs: 9 } }));
  });

  it('changes pending when the page unloads survive although the IndexedDB write never finishes (unload backup)', async () => {
    const base = memoryKv();
    const tab = tabStore();
    const ls = new Map<string, string>();
    const backup = { get: (k: string) => ls.get(k) ?? null, set: (k: string, v: string) => (ls.set(k, v), true), remove: (k: string) => ls.delete(k) };
    const e1 = fakeEditor();
    const a = await start({ kv: base, editor: e1.port, ui: recorder().ui, tabStore: tab, backup, delayMs: 10_000 });
    e1.set({ graph: denseChain(2, 'model') });
    await a.session.flush();
    // The page closes: this write never completes.
    const hung: Kv = { ...base, update: () => new Promise(() => {}) };
    (a.session as unknown as { kv: Kv }).kv = hung;
    e1.set({ graph: denseChain(5, 'model') });
    a.session.unloading();
    a.session.stop();
    expect(JSON.parse([...(await storedDocs(base)).values()][0].json).graph.nodes).toHaveLength(2);
    const e2 = fakeEditor();
    const b = await start({ kv: base, editor: e2.port, ui: recorder().ui, tabStore: tab, backup });
    expect(e2.get().graph.nodes).toHaveLength(5);
    await b.session.flush();
    expect(JSON.parse([...(await storedDocs(base)).values()][0].json).graph.nodes).toHaveLength(5);
    expect(ls.size).toBe(0);
  });

  it('a failed write is shown with its reason (never silent) and the next change tries again', async () => {
    let full = false;
    const base = memoryKv();
    const kv: Kv = {
      ...base,
      update: async (k, fn) => {
        if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return base.update(k, fn);
      },
    };
    const ed = fakeEditor();
    const ui = recorder();
    await start({ kv, editor: ed.port, ui: ui.ui, tabStore: tabStore() });
    full = true;
    ed.set({ graph: denseChain(2, 'model') });
    await until(() => ui.last()?.status === 'failed', 'the failed state');
    expect(ui.last()).toEqual({ status: 'failed', reason: 'the browser storage for this page is full' });
    full = false;
    ed.set({ graph: denseChain(4, 'model') });
    await until(() => ui.last()?.status === 'saved', 'the retry');
    const docs = await storedDocs(base);
    expect([...docs.values()].map((d) => JSON.parse(d.json).graph.nodes.length)).toEqual([4]);
  });

  it('a project its own reader would refuse is reported as not saved instead of stored', async () => {
    const kv = memoryKv();
    const ed = fakeEditor();
    const ui = recorder();
    await start({ kv, editor: ed.port, ui: ui.ui, tabStore: tabStore() });
    const g = denseChain(2, 'model');
    ed.set({ graph: { ...g, nodes: [{ ...g.nodes[0], position: { x: Number.NaN, y: 0 } }, g.nodes[1]] } });
    await until(() => ui.last()?.status === 'failed', 'the failed state');
    const s = ui.last();
    expect(s.status === 'failed' && s.reason).toMatch(/could not read this project back: .*position\.x: must be a finite number/);
    expect((await storedDocs(kv)).size).toBe(0);
  });

  it('unreadable saved data is left where it is, never written over, and offered as a download', async () => {
    const kv = freshIdb();
    const junk = { id: 'old', title: 'model', rev: 3, updatedAt: 1, layers: 1, json: '{"format":"layerlab-project","version":1,"graph":{"nodes":"oops"}}' };
    await kv.set('doc:old', junk);
    await kv.set('meta:last', 'old');
    const ed = fakeEditor();
    const ui = recorder();
    const { outcome } = await start({ kv, editor: ed.port, ui: ui.ui, tabStore: tabStore() });
    expect(outcome.kind).toBe('unreadable');
    expect(outcome.problem).toMatch(/could not be read\. The project file is malformed.*\. It is kept unchanged in the browser's IndexedDB/);
    outcome.actions![0].run();
    expect(ui.r.downloads).toEqual([{ name: 'layerlab-unreadable-saved-work.json', text: junk.json }]);
    ed.set({ graph: denseChain(2, 'model') });
    await sessions[0].flush();
    expect(await kv.get('doc:old')).toEqual(junk);
    expect((await storedDocs(kv)).size).toBe(2);
  });

  it('legacy localStorage autosave: readable is moved into a document; unreadable stays in place when there is no room to copy it, and is never overwritten', async () => {
    const ls = new Map<string, string>();
    const project = { graph: denseChain(3, 'legacy'), training: DEFAULT_TRAINING };
    ls.set(LEGACY_AUTOSAVE_KEY, toProjectJson(project));
    const legacy = { get: (k: string) => ls.get(k) ?? null, set: (k: string, v: string) => (ls.set(k, v), true), remove: (k: string) => ls.delete(k) };
    const kv = memoryKv();
    const ed = fakeEditor();
    const a = await start({ kv, editor: ed.port, ui: recorder().ui, tabStore: tabStore(), legacy });
    expect(a.outcome.kind).toBe('restored');
    expect(ed.get().graph).toEqual(project.graph);
    expect(ls.has(LEGACY_AUTOSAVE_KEY)).toBe(false);

    // Storage full: copying the unreadable text aside throws QuotaExceededError.
    const bad = '{"format":"layerlab-project","vers';
    const full = new Map([[LEGACY_AUTOSAVE_KEY, bad]]);
    const fullLegacy = {
      get: (k: string) => full.get(k) ?? null,
      set: () => false,
      remove: (k: string) => full.delete(k),
    };
    const ed2 = fakeEditor();
    const ui = recorder();
    const b = await start({ kv: memoryKv(), editor: ed2.port, ui: ui.ui, tabStore: tabStore(), legacy: fullLegacy });
    expect(b.outcome.kind).toBe('unreadable');
    expect(b.outcome.problem).toMatch(/where it was \('layerlab\.autosave'; there was no room to copy it aside\)/);
    expect(b.outcome.problem).not.toMatch(LEAKS);
    b.outcome.actions![0].run();
    expect(ui.r.downloads[0].text).toBe(bad);
    ed2.set({ graph: denseChain(2, 'model') });
    await b.session.flush();
    expect(full.get(LEGACY_AUTOSAVE_KEY)).toBe(bad);
  });
});

describe('fallback storage', () => {
  it('documents saved in the localStorage fallback move into IndexedDB; a newer revision there is kept', async () => {
    const fallback = memoryKv();
    const idb = freshIdb();
    await fallback.set('doc:a', { id: 'a', title: 'a', rev: 2, updatedAt: 1, layers: 1, json: '{}' });
    await fallback.set('doc:b', { id: 'b', title: 'b-old', rev: 1, updatedAt: 1, layers: 1, json: '{}' });
    await idb.set('doc:b', { id: 'b', title: 'b-new', rev: 5, updatedAt: 2, layers: 1, json: '{}' });
    expect(await adoptDocuments(fallback, idb)).toBe(2);
    expect(await idb.get('doc:a')).toMatchObject({ title: 'a', rev: 2 });
    expect(await idb.get('doc:b')).toMatchObject({ title: 'b-new', rev: 5 });
    expect(await fallback.keys()).toEqual([]);
  });
});

describe('replacing the canvas (New, a template, an opened file)', () => {
  it('keeps the current model as its own document, with its last change, and saves what follows as a new one', async () => {
    const kv = freshIdb();
    const tab = tabStore();
    const ed = fakeEditor();
    const a = await start({ kv, editor: ed.port, ui: recorder().ui, tabStore: tab, delayMs: 10_000 });
    ed.set({ graph: denseChain(3, 'mine') });
    await a.session.flush();
    const mineId = a.session.currentId;
    ed.set({ graph: denseChain(4, 'mine') }); // not yet written when the template replaces it
    a.session.startNewDocument();
    ed.set({ graph: denseChain(2, 'template') });
    await a.session.flush();
    expect(a.session.currentId).not.toBe(mineId);
    const docs = await storedDocs(kv);
    expect(JSON.parse(docs.get(mineId)!.json).graph.nodes).toHaveLength(4);
    expect(JSON.parse(docs.get(a.session.currentId)!.json).graph.name).toBe('template');
    // New on an empty canvas does not make a document; a reload before any change reopens the last one.
    a.session.startNewDocument();
    ed.set({ graph: emptyGraph() });
    a.session.startNewDocument();
    a.session.stop();
    const ed2 = fakeEditor();
    await start({ kv, editor: ed2.port, ui: recorder().ui, tabStore: tab });
    expect((await storedDocs(kv)).size).toBe(2);
    expect(ed2.get().graph.name).toBe('template');
  });
});

describe('share links open as new documents', () => {
  it('keeps the previous work, even through unload and reload, and switches back to it', async () => {
    const kv = freshIdb();
    const tab = tabStore();
    const ed = fakeEditor();
    const a = await start({ kv, editor: ed.port, ui: recorder().ui, tabStore: tab });
    const mine = denseChain(3, 'mine');
    ed.set({ graph: mine });
    await a.session.flush();
    const mineId = a.session.currentId;

    const shared: Project = { graph: denseChain(5, 'shared'), training: DEFAULT_TRAINING };
    const before = await a.session.openAsNewDocument(shared, 'from a share link');
    expect(before).toEqual({ previous: mineId, reused: false });
    expect(a.session.currentId).not.toBe(mineId);
    expect(ed.get().graph).toEqual(shared.graph);
    ed.set({ graph: denseChain(6, 'shared') }); // an edit to the shared copy, then the tab unloads
    await a.session.flush();
    a.session.stop();
    let docs = await storedDocs(kv);
    expect(JSON.parse(docs.get(mineId)!.json).graph).toEqual(mine);
    expect(docs.size).toBe(2);
    expect([...docs.values()].map((d) => d.title).sort()).toEqual(['mine', 'shared (from a share link)']);

    // Reload: the tab reopens its document (the shared one); the previous work is in the list.
    const ed2 = fakeEditor();
    const ui = recorder();
    const b = await start({ kv, editor: ed2.port, ui: ui.ui, tabStore: tab });
    expect(ed2.get().graph.nodes).toHaveLength(6);
    expect(ui.r.docs.map((d) => d.id)).toContain(mineId);
    expect(await b.session.switchTo(mineId)).toBe(true);
    expect(ed2.get().graph).toEqual(mine);
    // A link to exactly a stored document's project reopens that document instead of duplicating it.
    const storedShared = [...docs.values()].find((d) => d.title === 'shared (from a share link)')!;
    const again = parseProjectJson(storedShared.json);
    if (!again.ok) throw new Error(again.reason);
    expect(await b.session.openAsNewDocument(again.project, 'from a share link')).toEqual({ previous: mineId, reused: true });
    expect((await storedDocs(kv)).size).toBe(2);
    expect(ed2.get().graph.nodes).toHaveLength(6);
    docs = await storedDocs(kv);
    expect(JSON.parse(docs.get(mineId)!.json).graph).toEqual(mine);
  });
});

describe('two tabs', () => {
  const channelPair = () => {
    const a = new BroadcastChannel('layerlab-test-' + Math.random());
    const b = new BroadcastChannel(a.name);
    return [a as unknown as ChannelLike, b as unknown as ChannelLike] as const;
  };

  it('a tab without changes follows the other; with changes, both versions are kept and the banner says so', async () => {
    const kv = freshIdb();
    const [c1, c2] = channelPair();
    const e1 = fakeEditor();
    const t1 = await start({ kv, editor: e1.port, ui: recorder().ui, tabStore: tabStore(), channel: c1 });
    e1.set({ graph: denseChain(2, 'shared-doc') });
    await t1.session.flush();

    const e2 = fakeEditor();
    const ui2 = recorder();
    const t2 = await start({ kv, editor: e2.port, ui: ui2.ui, tabStore: tabStore(), channel: c2 });
    expect(t2.session.currentId).toBe(t1.session.currentId);
    expect(e2.get().graph.nodes).toHaveLength(2);

    // Tab 1 edits; tab 2 has nothing unsaved and follows.
    e1.set({ graph: denseChain(3, 'shared-doc') });
    await t1.session.flush();
    await until(() => e2.get().graph.nodes.length === 3, 'tab 2 to follow tab 1');
    expect(ui2.r.toasts.join()).toMatch(/changed in another tab/);

    // Both edit; tab 1 writes first; tab 2's version is kept as a copy, tab 1's stays.
    e2.set({ graph: denseChain(7, 'shared-doc') });
    e1.set({ graph: denseChain(4, 'shared-doc') });
    await t1.session.flush();
    await until(() => ui2.r.banners.some((b) => /also changed in another tab/.test(b.text ?? '')), 'the banner in tab 2');
    await t2.session.flush();
    const docs = await storedDocs(kv);
    const sizes = [...docs.values()].map((d) => JSON.parse(d.json).graph.nodes.length).sort();
    expect(sizes).toEqual([4, 7]);
    expect(t2.session.currentId).not.toBe(t1.session.currentId);
    expect(e1.get().graph.nodes).toHaveLength(4);
    expect(e2.get().graph.nodes).toHaveLength(7);
    // The banner's choice opens the other tab's version.
    const open = ui2.r.banners.find((b) => b.actions.length)!.actions[0];
    expect(open.label).toBe("Open the other tab's version");
    open.run();
    await until(() => e2.get().graph.nodes.length === 4, "tab 2 to open tab 1's version");
  });

  it('without the channel, the revision check alone keeps both versions', async () => {
    const kv = freshIdb();
    const e1 = fakeEditor();
    const t1 = await start({ kv, editor: e1.port, ui: recorder().ui, tabStore: tabStore() });
    e1.set({ graph: denseChain(2, 'model') });
    await t1.session.flush();
    const e2 = fakeEditor();
    const t2 = await start({ kv, editor: e2.port, ui: recorder().ui, tabStore: tabStore() });
    e1.set({ graph: denseChain(5, 'model') });
    await t1.session.flush();
    e2.set({ graph: denseChain(8, 'model') });
    await t2.session.flush();
    const sizes = [...(await storedDocs(kv)).values()].map((d) => JSON.parse(d.json).graph.nodes.length).sort();
    expect(sizes).toEqual([5, 8]);
  });
});

describe('large projects', () => {
  it('a 10,000-layer project (5,000 imported, selected, duplicated) is saved and restored', async () => {
    const kv = freshIdb();
    const tab = tabStore();
    const e1 = fakeEditor();
    const a = await start({ kv, editor: e1.port, ui: recorder().ui, tabStore: tab });
    const big = denseChain(10_000, 'model');
    e1.set({ graph: big });
    const t0 = performance.now();
    await a.session.flush();
    const ms = performance.now() - t0;
    a.session.stop();
    const e2 = fakeEditor();
    await start({ kv, editor: e2.port, ui: recorder().ui, tabStore: tab });
    expect(e2.get().graph).toEqual(big);
    console.log(`10,000-layer save: ${ms.toFixed(0)} ms`);
  });
});

describe('reload round trip through the real editor store', () => {
  it('restores exactly the graph (shared layers included), positions and training settings', async () => {
    const { useEditor } = await import('../../src/store/editor');
    const { editorPort } = await import('../../src/store/editorPort');
    const kv = freshIdb();
    const tab = tabStore();
    const a = await start({ kv, editor: editorPort, ui: recorder().ui, tabStore: tab });
    const siamese = tpl('siamese');
    useEditor.getState().loadGraph(siamese);
    const first = useEditor.getState().graph.nodes[0];
    useEditor.getState().moveNodes(new Map([[first.id, { x: 123.5, y: -40 }]]), false);
    useEditor.getState().setTraining({ epochs: 12, batchSize: 16, learningRate: 0.003, optimizer: 'rmsprop', data: 'noise' });
    const graph = useEditor.getState().graph;
    const training = useEditor.getState().training;
    expect(graph.nodes.some((n) => n.layerOf)).toBe(true);
    await a.session.flush();
    a.session.stop();

    useEditor.setState({ graph: emptyGraph(), training: DEFAULT_TRAINING });
    await start({ kv, editor: editorPort, ui: recorder().ui, tabStore: tab });
    expect(useEditor.getState().graph).toEqual(graph);
    expect(useEditor.getState().training).toEqual(training);
    expect(tab.map.get(TAB_DOC_KEY)).toBe(a.session.currentId);
  });
});

describe('deleting a document (Recent ×, after a confirmation)', () => {
  it('deletes a stored model, never the one on the canvas nor one open in another tab', async () => {
    const kv = freshIdb();
    const ed = fakeEditor();
    const rec = recorder();
    const a = await start({ kv, editor: ed.port, ui: rec.ui, tabStore: tabStore() });
    ed.set({ graph: denseChain(3, 'old') });
    await a.session.flush();
    const oldId = a.session.currentId;
    await a.session.openAsNewDocument({ graph: denseChain(4, 'new'), training: DEFAULT_TRAINING }, 'from a share link');
    const newId = a.session.currentId;
    expect((await storedDocs(kv)).size).toBe(2);

    expect(await a.session.deleteDocument(newId)).toBe(false);
    expect(rec.r.toasts.at(-1)).toMatch(/on the canvas cannot be deleted/);
    expect(await a.session.deleteDocument(oldId)).toBe(true);
    expect([...(await storedDocs(kv)).keys()]).toEqual([newId]);
    expect(rec.r.docs.map((d) => d.id)).toEqual([newId]);
    expect(ed.get().graph.nodes).toHaveLength(4);
  });

  it('refuses to delete a model another tab has open', async () => {
    const kv = freshIdb();
    const c1 = new BroadcastChannel('layerlab-del-' + Math.random());
    const c2 = new BroadcastChannel(c1.name);
    const e1 = fakeEditor();
    const r1 = recorder();
    const t1 = await start({ kv, editor: e1.port, ui: r1.ui, tabStore: tabStore(), channel: c1 as unknown as ChannelLike });
    e1.set({ graph: denseChain(2, 'one') });
    await t1.session.flush();
    const oneId = t1.session.currentId;
    await t1.session.openAsNewDocument({ graph: denseChain(3, 'two'), training: DEFAULT_TRAINING }, 'from a share link');
    // A second tab opens the first model.
    const e2 = fakeEditor();
    const t2 = await start({ kv, editor: e2.port, ui: recorder().ui, tabStore: tabStore(), channel: c2 as unknown as ChannelLike });
    expect(await t2.session.switchTo(oneId)).toBe(true);
    await new Promise((r) => setTimeout(r, 100)); // the second tab's 'here' reaches the first over the channel
    expect(await t1.session.deleteDocument(oneId)).toBe(false);
    expect(r1.r.toasts.at(-1)).toMatch(/open in another tab/);
    expect((await storedDocs(kv)).has(oneId)).toBe(true);
    c1.close();
    c2.close();
  });
});
