/**
 * The key-value stores autosave writes to: IndexedDB through idb-keyval (the normal case), localStorage
 * (when IndexedDB is unavailable: blocked storage, some private modes), or memory (when both are refused:
 * nothing survives a reload, and the save state says so). Values are plain JSON-compatible objects.
 */
import { createStore, del as idbDel, get as idbGet, keys as idbKeys, set as idbSet, update as idbUpdate, type UseStore } from 'idb-keyval';
import { safeKeys, storageErrorText, storageOrNull } from './safeStorage';

export interface Kv {
  /** Where the data lives, for messages: 'IndexedDB', 'localStorage' or 'memory'. */
  readonly kind: 'IndexedDB' | 'localStorage' | 'memory';
  get(key: string): Promise<unknown>;
  /** Resolves when the value is stored; rejects with the browser's error (QuotaExceededError…). */
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /**
   * Reads and writes one key atomically (one IndexedDB readwrite transaction; synchronous for
   * localStorage): `fn` gets the stored value and returns the value to store, or `undefined` to leave it.
   */
  update(key: string, fn: (old: unknown) => unknown): Promise<void>;
}

/** A store in memory only (also the test double). `fail` makes every write reject with that error. */
export function memoryKv(fail?: () => unknown): Kv & { readonly map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  const clone = (v: unknown) => (v === undefined ? undefined : structuredClone(v));
  return {
    kind: 'memory',
    map,
    async get(key) {
      return clone(map.get(key));
    },
    async set(key, value) {
      if (fail) throw fail();
      map.set(key, clone(value));
    },
    async del(key) {
      map.delete(key);
    },
    async keys() {
      return [...map.keys()];
    },
    async update(key, fn) {
      const next = fn(clone(map.get(key)));
      if (next === undefined) return;
      if (fail) throw fail();
      map.set(key, clone(next));
    },
  };
}

const LS_PREFIX = 'layerlab.kv.';

/** A store in localStorage under `layerlab.kv.<key>` (values as JSON text). */
export function localStorageKv(storage: Storage): Kv {
  const read = (key: string): unknown => {
    const t = storage.getItem(LS_PREFIX + key);
    if (t === null) return undefined;
    try {
      return JSON.parse(t);
    } catch {
      return { unreadableText: t };
    }
  };
  return {
    kind: 'localStorage',
    async get(key) {
      return read(key);
    },
    async set(key, value) {
      storage.setItem(LS_PREFIX + key, JSON.stringify(value));
    },
    async del(key) {
      storage.removeItem(LS_PREFIX + key);
    },
    async keys() {
      return safeKeys('localStorage')
        .filter((k) => k.startsWith(LS_PREFIX))
        .map((k) => k.slice(LS_PREFIX.length));
    },
    async update(key, fn) {
      const next = fn(read(key));
      if (next !== undefined) storage.setItem(LS_PREFIX + key, JSON.stringify(next));
    },
  };
}

/** A store in IndexedDB database `layerlab`, object store `documents`, through idb-keyval. */
export function indexedDbKv(store: UseStore = createStore('layerlab', 'documents')): Kv {
  return {
    kind: 'IndexedDB',
    get: (key) => idbGet(key, store),
    set: (key, value) => idbSet(key, value, store),
    del: (key) => idbDel(key, store),
    keys: async () => (await idbKeys(store)).map(String),
    // idb-keyval runs get and put in one readwrite transaction: another tab's write cannot come between.
    // Leaving the value means writing back what was read.
    update: (key, fn) => idbUpdate(key, (old: unknown) => fn(old) ?? old, store),
  };
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });

/**
 * Opens the best store this browser allows: IndexedDB when a test read and write succeed within
 * `timeoutMs`, else localStorage when a test write succeeds, else memory.
 * @returns the store and, when it is not IndexedDB, why (for the save state's tooltip).
 */
export async function openKv(timeoutMs = 4000): Promise<{ kv: Kv; why?: string }> {
  let idbWhy = 'IndexedDB is not available';
  try {
    const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (idb) {
      const kv = indexedDbKv();
      await withTimeout(
        (async () => {
          await kv.set('probe', 1);
          await kv.get('probe');
        })(),
        timeoutMs,
        'IndexedDB',
      );
      return { kv };
    }
  } catch (e) {
    idbWhy = `IndexedDB refused (${storageErrorText(e)})`;
  }
  const ls = storageOrNull('localStorage');
  if (ls) {
    try {
      ls.setItem(`${LS_PREFIX}probe`, '1');
      ls.removeItem(`${LS_PREFIX}probe`);
      return { kv: localStorageKv(ls), why: `${idbWhy}; saving in localStorage instead` };
    } catch (e) {
      return { kv: memoryKv(), why: `${idbWhy} and localStorage refused (${storageErrorText(e)})` };
    }
  }
  return { kv: memoryKv(), why: `${idbWhy} and localStorage is blocked` };
}

/**
 * Moves the documents a localStorage fallback holds (a visit when IndexedDB was refused) into IndexedDB,
 * so they are not hidden once IndexedDB works again. A document already in `to` with a higher or equal
 * revision is kept; each moved entry is deleted from `from` only after it is stored in `to`.
 * @returns how many documents were moved. Never throws (what could not be moved stays where it is).
 */
export async function adoptDocuments(from: Kv, to: Kv): Promise<number> {
  let moved = 0;
  try {
    for (const k of await from.keys()) {
      if (!k.startsWith('doc:')) continue;
      try {
        const v = (await from.get(k)) as { rev?: unknown } | undefined;
        if (!v || typeof v !== 'object' || typeof v.rev !== 'number') continue;
        const rev = v.rev;
        await to.update(k, (old) => {
          const oldRev = (old as { rev?: unknown } | undefined)?.rev;
          return old === undefined || (typeof oldRev === 'number' && oldRev < rev) ? v : undefined;
        });
        await from.del(k);
        moved++;
      } catch {
        /* left in place; tried again on the next start */
      }
    }
  } catch {
    /* no fallback storage to read */
  }
  return moved;
}
