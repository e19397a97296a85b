/**
 * What the always-loaded parts of the page (toolbar, Recent menu, error boundaries) need from the autosave,
 * without loading it with the editor: the page's autosave session and the "Download your work" action.
 * persistence.ts — loaded at startup in its own chunk, with the project reader and its schema — fills
 * them in before the app renders.
 */
import type { AutosaveSession } from '../store/autosave';

let session: AutosaveSession | null = null;
let downloader: (() => void) | null = null;

/** The page's autosave session (null before `startPersistence` finished, or when storage failed). */
export const getSession = (): AutosaveSession | null => session;

/** Called by persistence.ts once the session has started. */
export function setSession(s: AutosaveSession | null): void {
  session = s;
}

/** Called by persistence.ts when it loads: the function that downloads the canvas as a project file. */
export function setWorkDownloader(f: () => void): void {
  downloader = f;
}

/**
 * Downloads the canvas as a project file (the error boundary's and the save state's "Download" buttons):
 * at once when persistence.ts is loaded (always, once the app has rendered), otherwise after loading it.
 */
export function downloadWork(): void {
  if (downloader) downloader();
  else void import('./persistence').then((m) => m.downloadWork());
}
