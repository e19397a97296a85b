/**
 * Autosave: the canvas is saved as you go, as documents, in IndexedDB (idb-keyval; localStorage only
 * when IndexedDB is refused; memory when both are), and restored on load.
 *
 * - Documents: `doc:<id>` → {@link DocRecord} (the project file text, a title, a revision). `meta:last`
 *   names the document last written (what a new tab opens); each tab keeps its own document id in
 *   sessionStorage (a reload reopens that tab's document). A share link opens as a new document.
 * - Nothing is overwritten silently: every write is a read-compare-write in one transaction; a tab whose
 *   document was saved by another tab (a higher revision than it loaded) loads that revision when it has
 *   no unsaved change, and otherwise saves its own version as a copy and says so. Tabs tell each other
 *   about saves on the BroadcastChannel "layerlab".
 * - A failed write is never silent: the save state says "Not saved: <why>" and the next change retries.
 * - Saved data that cannot be read is never written over: a new document is started beside it, and the
 *   banner offers its bytes as a download.
 * - Saving stays out of the edit's frame: a change starts a debounce timer; when it fires, the project is
 *   serialised in one idle period and read back (the check that it loads) in another, each started only when the
 *   browser's idle period has room for it (requestIdleCallback), so an edit, a drag or a paint never waits for a
 *   save. Edits made meanwhile are coalesced into the next write. Leaving the page (`unloading`) or switching
 *   documents (`flush`) skips the wait: nothing pending is ever dropped.
 */
import { parseProjectJson, toProjectJson, type Goal, type Graph, type Project, type TrainingSettings } from '../core';
import type { Kv } from './kv';
import { safeGet, safeRemove, safeSet, storageErrorText } from './safeStorage';
import { idleScheduler, type IdleDeadlineLike, type IdleScheduler } from './idle';

/** The key of the single-project autosave of earlier versions (read once, then kept aside or removed). */
export const LEGACY_AUTOSAVE_KEY = 'layerlab.autosave';
/** sessionStorage key holding this tab's document id. */
export const TAB_DOC_KEY = 'layerlab.tabDocument';
export const CHANNEL_NAME = 'layerlab';
/** localStorage key of the unload backup of a document's unsaved changes. */
export const backupKey = (docId: string) => `layerlab.unsaved.${docId}`;

/** One saved document as stored. */
export interface DocRecord {
  readonly id: string;
  /** The model name when saved, plus where the document came from ("from a share link"). */
  readonly title: string;
  /** Where the document came from, when not made here: 'from a share link', 'copy: edited in two tabs'. */
  readonly origin?: string;
  /** Milliseconds since 1970 (Date.now()) of the last write. */
  readonly updatedAt: number;
  /** Incremented by every write; a tab never overwrites a revision newer than the one it loaded. */
  readonly rev: number;
  readonly layers: number;
  /** The project file text (`toProjectJson`). */
  readonly json: string;
}

/** A document as listed in the Recent menu; `unreadable` when its record cannot be read. */
export interface DocSummary {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: number;
  readonly layers: number;
  readonly unreadable?: boolean;
}

export type SaveState =
  | { readonly status: 'idle' }
  | { readonly status: 'saving' }
  | { readonly status: 'saved'; readonly at: number; readonly where: Kv['kind']; readonly note?: string }
  | { readonly status: 'failed'; readonly reason: string };

/** What the session needs from the editor store (the app passes `useEditor`; tests pass their own). */
export interface EditorPort {
  /** The project on the canvas: graph, training settings and exercise goals (absent for none). */
  read(): Project;
  /** Replaces the canvas with `project` (no undo across documents). */
  load(project: Project): void;
  /** Calls `onChange` after every change of the graph, training settings or goals; returns unsubscribe. */
  subscribe(onChange: () => void): () => void;
}

export interface BannerButton {
  readonly label: string;
  readonly run: () => void;
}

/** What the session tells the user through (the app passes the ui store; tests record the calls). */
export interface UiPort {
  setSaveState(s: SaveState): void;
  setDocuments(docs: readonly DocSummary[], currentId: string, otherTabs: number): void;
  banner(text: string | null, actions?: readonly BannerButton[]): void;
  toast(text: string, tone?: 'error' | 'info'): void;
  download(fileName: string, text: string): void;
}

/** The part of BroadcastChannel the session uses. */
export interface ChannelLike {
  postMessage(m: unknown): void;
  close(): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

/** The longest an idle save waits for an idle period before it runs anyway (ms; requestIdleCallback's timeout). */
export const IDLE_TIMEOUT_MS = 2000;

/** The autosave's default scheduler: idle periods, {@link IDLE_TIMEOUT_MS} ms at most (store/idle.ts). */
export const defaultIdle: IdleScheduler = idleScheduler(IDLE_TIMEOUT_MS);

export type { IdleDeadlineLike, IdleScheduler };

export interface AutosaveOptions {
  kv: Kv;
  editor: EditorPort;
  ui: UiPort;
  /** Debounce of writes after a change (ms). */
  delayMs?: number;
  /** Where the serialising and the read-back check of a debounced write run (default {@link defaultIdle}). */
  idle?: IdleScheduler;
  /** The tab-to-tab channel; default a BroadcastChannel "layerlab" when the browser has one; null for none. */
  channel?: ChannelLike | null;
  /** Per-tab storage of this tab's document id (default sessionStorage, guarded). */
  tabStore?: { get(k: string): string | null; set(k: string, v: string): boolean };
  /** The storage holding the legacy single-project autosave (default localStorage, guarded); null to skip. */
  legacy?: { get(k: string): string | null; set(k: string, v: string): boolean; remove(k: string): boolean } | null;
  /**
   * Synchronous storage for the unload backup (default localStorage, guarded): an IndexedDB write started
   * while the page unloads may never finish, so `unloading()` also writes pending changes here.
   */
  backup?: { get(k: string): string | null; set(k: string, v: string): boolean; remove(k: string): boolean } | null;
  /** Why the store is not IndexedDB, shown with the save state. */
  storeNote?: string;
  now?: () => number;
}

/** What `start` found: shown by the caller (main.tsx) after the share link, if any, is handled. */
export interface RestoreOutcome {
  /** 'restored': saved work is on the canvas; 'empty': nothing was saved; 'unreadable': saved work could not be read (kept, and `problem` says so). */
  readonly kind: 'restored' | 'empty' | 'unreadable';
  readonly problem?: string;
  readonly actions?: readonly BannerButton[];
  /** What migration changed in the restored project (from parseProjectJson's notes). */
  readonly notes?: readonly string[];
}

const docKey = (id: string) => `doc:${id}`;
const LAST_KEY = 'meta:last';

const newId = (): string => {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
};

/** A stored value is a record when it has the fields this version writes. */
export function isDocRecord(v: unknown): v is DocRecord {
  const r = v as Partial<DocRecord> | null;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.id === 'string' &&
    typeof r.json === 'string' &&
    typeof r.rev === 'number' &&
    Number.isFinite(r.rev) &&
    typeof r.title === 'string'
  );
}

/** The text of an unreadable stored value, for the download (its JSON if it is not text already). */
function rawText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isDocRecord(v)) return v.json;
  const t = (v as { unreadableText?: unknown } | null)?.unreadableText;
  if (typeof t === 'string') return t;
  try {
    return JSON.stringify(v, null, 1) ?? String(v);
  } catch {
    return String(v);
  }
}

const notesOf = (r: { ok: true; project: Project }): readonly string[] => {
  const n = (r as { notes?: unknown }).notes;
  return Array.isArray(n) ? n.filter((x): x is string => typeof x === 'string') : [];
};

/** A reason as a sentence: capital first letter, one final full stop. */
const sentence = (t: string): string => {
  const s = t.trim();
  return s ? `${s[0].toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}` : '';
};

const titleOf = (graph: Graph, origin?: string) => (origin ? `${graph.name} (${origin})` : graph.name);

const defaultTabStore = {
  get: (k: string) => safeGet(k, 'sessionStorage'),
  set: (k: string, v: string) => safeSet(k, v, 'sessionStorage'),
};
const defaultLegacy = { get: (k: string) => safeGet(k), set: (k: string, v: string) => safeSet(k, v), remove: (k: string) => safeRemove(k) };

function defaultChannel(): ChannelLike | null {
  try {
    return typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
  } catch {
    return null;
  }
}

interface Snapshot {
  readonly id: string;
  readonly base: number;
  readonly origin: string | undefined;
  readonly seq: number;
  readonly graph: Graph;
  readonly training: TrainingSettings;
  readonly goals?: readonly Goal[];
}

type Message =
  | { type: 'hello'; tab: string; doc: string }
  | { type: 'here'; tab: string; doc: string }
  | { type: 'bye'; tab: string }
  | { type: 'saved'; tab: string; doc: string; rev: number };

/**
 * One tab's autosave. Create it with {@link AutosaveSession.start}, which restores before it starts
 * saving, so the empty start canvas can never be written over saved work.
 */
export class AutosaveSession {
  /** This tab's id on the channel. */
  readonly tab = newId();
  private docId = newId();
  /** The origin of the current document when it has not been written yet (a share link's). */
  private origin: string | undefined;
  /** Revision of the stored document this tab's canvas derives from (0: never stored). */
  private baseRev = 0;
  /** Counts changes; `savedSeq` is the count the last successful write included. */
  private changeSeq = 0;
  private savedSeq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | null = null;
  private applying = false;
  private stopped = false;
  private readonly peers = new Map<string, string>();
  private unsubscribe: () => void = () => {};
  private readonly kv: Kv;
  private readonly editor: EditorPort;
  private readonly ui: UiPort;
  private readonly delayMs: number;
  private readonly channel: ChannelLike | null;
  private readonly tabStore: NonNullable<AutosaveOptions['tabStore']>;
  private readonly legacy: AutosaveOptions['legacy'];
  private readonly backup: AutosaveOptions['backup'];
  private readonly storeNote: string | undefined;
  private readonly now: () => number;
  private readonly idle: IdleScheduler;
  /** Idle waits under way; `hurry` ends them at once. */
  private readonly idleWaits = new Set<() => void>();
  /** Above 0 while a flush runs: the stages of a write then run without waiting for idle time. */
  private urgent = 0;
  /** Last measured duration of each idle stage (ms): a stage starts only in an idle period with that much room. */
  private readonly stageMs = { serialise: 0, check: 0 };

  private constructor(o: AutosaveOptions) {
    this.kv = o.kv;
    this.editor = o.editor;
    this.ui = o.ui;
    this.delayMs = o.delayMs ?? 400;
    this.channel = o.channel === undefined ? defaultChannel() : o.channel;
    this.tabStore = o.tabStore ?? defaultTabStore;
    this.legacy = o.legacy === undefined ? defaultLegacy : o.legacy;
    this.backup = o.backup === undefined ? defaultLegacy : o.backup;
    this.storeNote = o.storeNote;
    this.now = o.now ?? Date.now;
    this.idle = o.idle ?? defaultIdle;
  }

  /**
   * Restores this tab's document (or the last one written, or the legacy autosave), then starts saving
   * every change. Never throws: a store that fails is reported through the save state and the outcome.
   */
  static async start(o: AutosaveOptions): Promise<{ session: AutosaveSession; outcome: RestoreOutcome }> {
    const s = new AutosaveSession(o);
    let outcome: RestoreOutcome;
    try {
      outcome = await s.restore();
    } catch (e) {
      // The store answered the probe but failed now: start a new document; nothing stored is touched.
      outcome = {
        kind: 'unreadable',
        problem: `Your saved work could not be read (${storageErrorText(e)}). Nothing stored was changed; the canvas starts as a new document.`,
      };
    }
    s.unsubscribe = s.editor.subscribe(() => s.changed());
    if (s.channel) {
      s.channel.onmessage = (e) => s.onMessage(e.data as Message);
      s.post({ type: 'hello', tab: s.tab, doc: s.docId });
    }
    s.ui.setSaveState(s.baseRev > 0 ? { status: 'saved', at: s.now(), where: s.kv.kind, note: s.storeNote } : { status: 'idle' });
    await s.refreshList();
    return { session: s, outcome };
  }

  /** The id of the document on this tab's canvas. */
  get currentId(): string {
    return this.docId;
  }

  /** True when the canvas has changes not yet written. */
  get dirty(): boolean {
    return this.changeSeq !== this.savedSeq;
  }

  private async restore(): Promise<RestoreOutcome> {
    const legacy = await this.migrateLegacy();
    // This tab's document; if it was never written (New, then a reload), the last one written.
    const tabDoc = this.tabStore.get(TAB_DOC_KEY);
    const tabStored = tabDoc ? await this.kv.get(docKey(tabDoc)) : undefined;
    const wanted = tabStored !== undefined ? tabDoc : (((await this.kv.get(LAST_KEY)) as string | undefined) ?? legacy.id);
    if (typeof wanted !== 'string') return legacy.outcome ?? { kind: 'empty' };
    const stored = tabStored !== undefined ? tabStored : await this.kv.get(docKey(wanted));
    if (stored === undefined) return legacy.outcome ?? { kind: 'empty' };
    const r = isDocRecord(stored) ? parseProjectJson(stored.json) : ({ ok: false, reason: 'the stored record is not a Layerlab document' } as const);
    if (!r.ok) {
      // Left exactly where it is; this tab works on a new document beside it.
      const text = rawText(stored);
      return {
        kind: 'unreadable',
        problem: `Your saved work could not be read. ${sentence(r.reason)} It is kept unchanged in the browser's ${this.kv.kind} (document '${isDocRecord(stored) ? stored.title : wanted}'); the canvas starts as a new document.`,
        actions: [{ label: 'Download the unreadable data', run: () => this.ui.download('layerlab-unreadable-saved-work.json', text) }],
      };
    }
    const rec = stored as DocRecord;
    this.setDoc(rec.id, rec.rev, rec.origin);
    this.apply(r.project);
    const notes = notesOf(r);
    await this.recoverBackup(rec);
    return { kind: 'restored', notes, ...(legacy.outcome?.kind === 'unreadable' ? { problem: legacy.outcome.problem, actions: legacy.outcome.actions } : {}) };
  }

  /**
   * Reads the single-project autosave of earlier versions (localStorage `layerlab.autosave`) into a
   * document, and removes it once the document is written. Unreadable legacy data is moved to
   * `layerlab.autosave.unreadable.<time>` only if that write succeeds; otherwise it stays where it is
   * (this version never writes that key).
   */
  private async migrateLegacy(): Promise<{ id?: string; outcome?: RestoreOutcome }> {
    const text = this.legacy?.get(LEGACY_AUTOSAVE_KEY);
    if (!this.legacy || text == null) return {};
    const r = parseProjectJson(text);
    if (r.ok) {
      const id = newId();
      try {
        await this.kv.set(docKey(id), this.record(id, 1, r.project.graph, text));
        await this.kv.set(LAST_KEY, id);
        this.legacy.remove(LEGACY_AUTOSAVE_KEY);
        return { id };
      } catch {
        // Could not copy it: restore it from where it is, and keep it there.
        this.apply(r.project);
        this.changeSeq++;
        return { outcome: { kind: 'restored', notes: notesOf(r) } };
      }
    }
    const aside = `${LEGACY_AUTOSAVE_KEY}.unreadable.${new Date(this.now()).toISOString()}`;
    const moved = this.legacy.set(aside, text) && this.legacy.remove(LEGACY_AUTOSAVE_KEY);
    const where = moved ? `under '${aside}'` : `where it was ('${LEGACY_AUTOSAVE_KEY}'; there was no room to copy it aside)`;
    return {
      outcome: {
        kind: 'unreadable',
        problem: `Your saved work could not be read. ${sentence(r.reason)} It is kept unchanged in the browser's storage ${where}; the canvas starts as a new document.`,
        actions: [{ label: 'Download the unreadable data', run: () => this.ui.download('layerlab-unreadable-saved-work.json', text) }],
      },
    };
  }

  /**
   * Changes written to the unload backup and not to the store (the page closed mid-write) are put back
   * on the canvas when nothing newer was stored meanwhile, and kept as a separate document otherwise.
   */
  private async recoverBackup(rec: DocRecord): Promise<void> {
    const text = this.backup?.get(backupKey(rec.id));
    if (!this.backup || text == null) return;
    const b = ((): { baseRev?: unknown; json?: unknown } | null => {
      try {
        return JSON.parse(text) as { baseRev?: unknown; json?: unknown } | null;
      } catch {
        return null; // unreadable backup: left in place, never used
      }
    })();
    const r = typeof b?.json === 'string' ? parseProjectJson(b.json) : null;
    if (!b || !r || !r.ok) return;
    if (b.baseRev === rec.rev) {
      this.apply(r.project);
      this.changeSeq++;
      await this.flush();
    } else {
      const id = newId();
      await this.kv.set(docKey(id), this.record(id, 1, r.project.graph, b.json as string, 'recovered after the page closed'));
      this.ui.toast(
        'Changes made just before the page closed were kept as a separate document (see Recent); another tab had saved this model meanwhile.',
        'info',
      );
    }
    if (!this.dirty) this.backup.remove(backupKey(rec.id));
  }

  /**
   * The page is being hidden or unloaded: writes pending changes synchronously to the backup (an
   * IndexedDB write may not finish while the page unloads), then starts the normal write.
   */
  unloading(): void {
    if (this.dirty && this.backup) {
      try {
        this.backup.set(backupKey(this.docId), JSON.stringify({ baseRev: this.baseRev, json: toProjectJson(this.editor.read()) }));
      } catch {
        /* the store write below is the main path */
      }
    }
    void this.flush();
  }

  private record(id: string, rev: number, graph: Graph, json: string, origin?: string): DocRecord {
    return { id, title: titleOf(graph, origin), ...(origin ? { origin } : {}), updatedAt: this.now(), rev, layers: graph.nodes.length, json };
  }

  private setDoc(id: string, rev: number, origin?: string): void {
    this.docId = id;
    this.baseRev = rev;
    this.origin = origin;
    this.tabStore.set(TAB_DOC_KEY, id);
  }

  /** Puts a project on the canvas without counting it as a change. */
  private apply(p: Project): void {
    this.applying = true;
    try {
      this.editor.load(p);
    } finally {
      this.applying = false;
    }
    this.savedSeq = this.changeSeq;
  }

  private changed(): void {
    if (this.applying || this.stopped) return;
    this.changeSeq++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(), this.delayMs);
  }

  /**
   * Writes pending changes now (pagehide, switching documents), without waiting for idle time: a write already
   * waiting for an idle period goes on at once. Resolves when the write has ended.
   */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.urgent++;
    try {
      for (const go of [...this.idleWaits]) go();
      await this.save();
    } finally {
      this.urgent--;
    }
  }

  /**
   * Resolves in an idle period with at least `needMs` of room (or when the scheduler's timeout passed, or at once
   * during a flush or after stop). `needMs` is capped at 40 ms: a longer stage waits for a whole idle period.
   */
  private idleTurn(needMs: number): Promise<void> {
    if (this.urgent > 0 || this.stopped) return Promise.resolve();
    const need = Math.min(needMs, 40);
    return new Promise((resolve) => {
      let cancel: () => void = () => {};
      const done = () => {
        if (!this.idleWaits.delete(done)) return;
        cancel();
        resolve();
      };
      this.idleWaits.add(done);
      const ask = () => {
        cancel = this.idle((d) => {
          if (!this.idleWaits.has(done)) return;
          if (d.didTimeout || d.timeRemaining() >= need || this.urgent > 0) done();
          else ask();
        });
      };
      ask();
    });
  }

  /** Runs `f` and records how long it took as stage `k`'s estimate. */
  private timed<T>(k: 'serialise' | 'check', f: () => T): T {
    const t0 = typeof performance === 'object' ? performance.now() : Date.now();
    try {
      return f();
    } finally {
      this.stageMs[k] = (typeof performance === 'object' ? performance.now() : Date.now()) - t0;
    }
  }

  private save(): Promise<void> {
    if (this.running) return this.running.then(() => (this.dirty ? this.save() : undefined));
    if (!this.dirty) return Promise.resolve();
    return this.enqueue(null);
  }

  /** What a write stores: the canvas and the document it belongs to, taken at one instant. */
  private snapshot(): Snapshot {
    const { graph, training, goals } = this.editor.read();
    return { id: this.docId, base: this.baseRev, origin: this.origin, seq: this.changeSeq, graph, training, goals };
  }

  /**
   * Writes run one after another, in order. `snap` null: the canvas as it is when the write's turn comes (after
   * an idle wait, so edits made meanwhile go into this write).
   */
  private enqueue(snap: Snapshot | null): Promise<void> {
    const p: Promise<void> = (this.running ?? Promise.resolve())
      .then(async () => {
        if (snap) return this.write(snap);
        const doc = this.docId;
        await this.idleTurn(this.stageMs.serialise);
        // Another document came onto the canvas meanwhile: the switch wrote this one's changes (flush, or the
        // snapshot startNewDocument takes), and the new one's changes start their own write.
        if (this.docId !== doc) return;
        return this.write(this.snapshot());
      })
      .finally(() => {
        if (this.running === p) this.running = null;
      });
    this.running = p;
    return p;
  }

  /**
   * The canvas is about to be replaced by something else (New, a template, an opened file): pending
   * changes are written to the current document, and what follows goes to a new document, so the
   * current one stays in Recent (undo within the tab still works). Nothing happens for an empty canvas.
   */
  startNewDocument(): void {
    if (this.editor.read().graph.nodes.length === 0) return;
    clearTimeout(this.timer);
    if (this.dirty) void this.enqueue(this.snapshot());
    this.setDoc(newId(), 0);
    this.savedSeq = this.changeSeq;
  }

  private async write(snap: Snapshot): Promise<void> {
    const { seq, graph, training, goals, id, base, origin } = snap;
    this.ui.setSaveState({ status: 'saving' });
    let json: string;
    try {
      json = this.timed('serialise', () => toProjectJson({ graph, training, goals }));
    } catch (e) {
      this.ui.setSaveState({ status: 'failed', reason: `the project could not be written as a file (${storageErrorText(e)})` });
      return;
    }
    // What is saved must load again: a project the reader refuses is reported, never stored as "saved". The check
    // runs in an idle period of its own (at once during a flush).
    await this.idleTurn(this.stageMs.check);
    const check = this.timed('check', () => parseProjectJson(json));
    if (!check.ok) {
      this.ui.setSaveState({ status: 'failed', reason: `Layerlab could not read this project back: ${check.reason}` });
      return;
    }
    const out: { conflict: boolean; rev: number } = { conflict: false, rev: 0 };
    try {
      await this.kv.update(docKey(id), (old) => {
        if (old !== undefined && (!isDocRecord(old) || old.rev > base)) {
          out.conflict = true;
          return undefined;
        }
        out.rev = Math.max(base, isDocRecord(old) ? old.rev : 0) + 1;
        return this.record(id, out.rev, graph, json, origin ?? (isDocRecord(old) ? old.origin : undefined));
      });
    } catch (e) {
      this.ui.setSaveState({ status: 'failed', reason: storageErrorText(e) });
      return;
    }
    if (out.conflict) return this.keepBoth(id, graph, json, seq);
    if (this.docId === id) {
      this.baseRev = out.rev;
      this.savedSeq = seq;
      if (!this.dirty) this.backup?.remove(backupKey(id));
    }
    this.ui.setSaveState({ status: 'saved', at: this.now(), where: this.kv.kind, note: this.storeNote });
    this.post({ type: 'saved', tab: this.tab, doc: id, rev: out.rev });
    if (this.docId === id) {
      await this.kv.set(LAST_KEY, id).catch(() => {});
      this.tabStore.set(TAB_DOC_KEY, id);
    }
    await this.refreshList();
  }

  /** Another tab saved this document after this tab loaded it, and this tab has changes: keep both. */
  private async keepBoth(otherId: string, graph: Graph, json: string, seq: number): Promise<void> {
    const copyId = newId();
    const origin = 'copy: edited in two tabs';
    try {
      await this.kv.set(docKey(copyId), this.record(copyId, 1, graph, json, origin));
    } catch (e) {
      this.ui.setSaveState({
        status: 'failed',
        reason: `another tab saved this model meanwhile, and your version could not be kept beside it (${storageErrorText(e)})`,
      });
      return;
    }
    // The tab moves to the copy only if it is still on that document (not after New or a switch).
    if (this.docId === otherId) {
      this.setDoc(copyId, 1, origin);
      this.savedSeq = seq;
    }
    this.backup?.remove(backupKey(otherId));
    await this.kv.set(LAST_KEY, copyId).catch(() => {});
    this.ui.setSaveState({ status: 'saved', at: this.now(), where: this.kv.kind, note: this.storeNote });
    this.post({ type: 'saved', tab: this.tab, doc: copyId, rev: 1 });
    await this.refreshList();
    this.ui.banner(
      `This model was also changed in another tab. Nothing was overwritten: your version here is saved as a separate document, "${titleOf(graph, origin)}", and the other tab's version is kept as it was.`,
      [{ label: "Open the other tab's version", run: () => void this.switchTo(otherId).then((ok) => ok && this.ui.banner(null)) }],
    );
  }

  private post(m: Message): void {
    try {
      this.channel?.postMessage(m);
    } catch {
      /* a closed channel: the revision check still protects the data */
    }
  }

  private onMessage(m: Message): void {
    if (this.stopped || !m || typeof m !== 'object' || m.tab === this.tab) return;
    if (m.type === 'hello' || m.type === 'here') {
      this.peers.set(m.tab, m.doc);
      if (m.type === 'hello') this.post({ type: 'here', tab: this.tab, doc: this.docId });
      void this.refreshList();
    } else if (m.type === 'bye') {
      this.peers.delete(m.tab);
      void this.refreshList();
    } else if (m.type === 'saved') {
      this.peers.set(m.tab, m.doc);
      if (m.doc === this.docId && m.rev > this.baseRev) void this.otherTabSaved();
      else void this.refreshList();
    }
  }

  /** Another tab wrote this tab's document: follow it when nothing here is unsaved; else save now (keeping both). */
  private async otherTabSaved(): Promise<void> {
    if (this.dirty || this.running) return this.flush();
    const rec = await this.kv.get(docKey(this.docId)).catch(() => undefined);
    if (!isDocRecord(rec) || rec.rev <= this.baseRev || this.dirty) return;
    const r = parseProjectJson(rec.json);
    if (!r.ok) return;
    this.baseRev = rec.rev;
    this.apply(r.project);
    this.ui.toast('This model was changed in another tab; the canvas now shows that version.', 'info');
    await this.refreshList();
  }

  /** Lists the stored documents, newest first, and tells the UI. */
  async listDocuments(): Promise<DocSummary[]> {
    const keys = (await this.kv.keys()).filter((k) => k.startsWith('doc:'));
    const docs: DocSummary[] = [];
    for (const k of keys) {
      const v = await this.kv.get(k);
      if (isDocRecord(v)) docs.push({ id: v.id, title: v.title, updatedAt: v.updatedAt, layers: v.layers });
      else if (v !== undefined) docs.push({ id: k.slice(4), title: 'Unreadable saved data', updatedAt: 0, layers: 0, unreadable: true });
    }
    return docs.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  private async refreshList(): Promise<void> {
    try {
      const docs = await this.listDocuments();
      const others = [...this.peers.values()].filter((d) => d === this.docId).length;
      this.ui.setDocuments(docs, this.docId, others);
    } catch {
      /* the list is a convenience; the save state reports store failures */
    }
  }

  /**
   * Saves pending changes, then opens stored document `id` on the canvas.
   * @returns false (with a toast saying why) when it cannot be read; the canvas is then unchanged.
   */
  async switchTo(id: string): Promise<boolean> {
    if (id === this.docId) return true;
    await this.flush();
    let stored: unknown;
    try {
      stored = await this.kv.get(docKey(id));
    } catch (e) {
      this.ui.toast(`That document could not be opened: ${storageErrorText(e)}.`);
      return false;
    }
    if (!isDocRecord(stored)) {
      this.ui.toast(
        stored === undefined ? 'That document is no longer in the browser’s storage.' : 'That saved document cannot be read; it was left unchanged.',
      );
      if (stored !== undefined) this.ui.download('layerlab-unreadable-saved-work.json', rawText(stored));
      return false;
    }
    const r = parseProjectJson(stored.json);
    if (!r.ok) {
      this.ui.toast(`"${stored.title}" could not be read (${r.reason}); it was left unchanged.`);
      return false;
    }
    this.setDoc(stored.id, stored.rev, stored.origin);
    this.apply(r.project);
    await this.kv.set(LAST_KEY, stored.id).catch(() => {});
    this.post({ type: 'here', tab: this.tab, doc: this.docId });
    this.ui.setSaveState({ status: 'saved', at: stored.updatedAt, where: this.kv.kind, note: this.storeNote });
    await this.refreshList();
    return true;
  }

  /**
   * Deletes stored document `id` from this browser (the user asked for it in Recent, after a confirmation).
   * The document open on this tab's canvas, or on another tab's, is never deleted.
   * @returns false, with a toast saying why, when it is open somewhere or the storage refuses.
   */
  async deleteDocument(id: string): Promise<boolean> {
    if (id === this.docId) {
      this.ui.toast('The model on the canvas cannot be deleted; open another one first.');
      return false;
    }
    if ([...this.peers.values()].includes(id)) {
      this.ui.toast('That model is open in another tab; close it there first.');
      return false;
    }
    try {
      await this.kv.del(docKey(id));
    } catch (e) {
      this.ui.toast(`That model could not be deleted: ${storageErrorText(e)}.`);
      return false;
    }
    this.backup?.remove(backupKey(id));
    this.post({ type: 'here', tab: this.tab, doc: this.docId });
    await this.refreshList();
    return true;
  }

  /**
   * Opens `project` (from a share link) as a new document, after saving pending changes of the current
   * one, and writes it at once so it survives a reload. A link opened before (a stored document with
   * exactly this project) reopens that document instead of adding a duplicate.
   * @returns `previous`: the id of the document that was on the canvas when it is stored (to switch back
   *   to), else null; `reused`: true when an existing document was reopened.
   */
  async openAsNewDocument(project: Project, origin: string): Promise<{ previous: string | null; reused: boolean }> {
    await this.flush();
    const current = this.docId;
    const previous = (await this.kv.get(docKey(current)).catch(() => undefined)) !== undefined ? current : null;
    const json = toProjectJson(project);
    for (const k of await this.kv.keys().catch(() => [] as string[])) {
      if (!k.startsWith('doc:')) continue;
      const v = await this.kv.get(k).catch(() => undefined);
      if (isDocRecord(v) && v.json === json) {
        if (v.id === current) return { previous: null, reused: true };
        if (await this.switchTo(v.id)) return { previous, reused: true };
      }
    }
    this.setDoc(newId(), 0, origin);
    this.apply(project);
    // A new document: count it as a change so it is written (now) and retried if that fails.
    this.changeSeq++;
    await this.flush();
    return { previous, reused: false };
  }

  /** The project file text of the canvas (for "Download a copy"). */
  currentJson(): string {
    return toProjectJson(this.editor.read());
  }

  /** Stops saving (tests, teardown); says goodbye to the other tabs. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const go of [...this.idleWaits]) go();
    this.unsubscribe();
    this.post({ type: 'bye', tab: this.tab });
    try {
      this.channel?.close();
    } catch {
      /* already closed */
    }
  }
}
