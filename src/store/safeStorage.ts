/**
 * Web Storage that never throws. A browser can refuse storage in three ways: the `localStorage` /
 * `sessionStorage` getter itself throws (storage blocked for the site: SecurityError), `setItem` throws
 * (QuotaExceededError when full; Safari's old private mode), or reads fail. Every use of Web Storage in
 * the app goes through these helpers, so a refusal costs a preference, never the page.
 */

type Kind = 'localStorage' | 'sessionStorage';

/** The Storage object, or null when the browser refuses it (its getter throws or it does not exist). */
export function storageOrNull(kind: Kind): Storage | null {
  try {
    const s = (globalThis as Record<string, unknown>)[kind] as Storage | undefined;
    return s ?? null;
  } catch {
    return null;
  }
}

/** Reads `key`; null when it is absent or storage is refused. */
export function safeGet(key: string, kind: Kind = 'localStorage'): string | null {
  try {
    return storageOrNull(kind)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Writes `key`; returns false (never throws) when storage is refused or full. */
export function safeSet(key: string, value: string, kind: Kind = 'localStorage'): boolean {
  try {
    const s = storageOrNull(kind);
    if (!s) return false;
    s.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** Removes `key`; returns false (never throws) when storage is refused. */
export function safeRemove(key: string, kind: Kind = 'localStorage'): boolean {
  try {
    const s = storageOrNull(kind);
    if (!s) return false;
    s.removeItem(key);
    return true;
  } catch {
    return false;
  }
}

/** The keys of a storage area; empty when it is refused. */
export function safeKeys(kind: Kind = 'localStorage'): string[] {
  try {
    const s = storageOrNull(kind);
    if (!s) return [];
    const out: string[] = [];
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (k !== null) out.push(k);
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * Words a storage failure for the user: "the browser storage for this page is full" for a quota error, "the browser
 * blocks storage for this page" for a security error, otherwise the error's own name and message.
 */
export function storageErrorText(e: unknown): string {
  const name = (e as { name?: unknown } | null)?.name;
  const message = (e as { message?: unknown } | null)?.message;
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return 'the browser storage for this page is full';
  if (name === 'SecurityError') return 'the browser blocks storage for this page';
  if (name === 'InvalidStateError') return 'the browser refuses storage in this window (private mode?)';
  if (typeof message === 'string' && message.trim()) return message.trim().slice(0, 200);
  if (typeof name === 'string' && name) return name;
  return 'the browser refused to store it';
}
