// @vitest-environment jsdom
// Startup and page guards (issue 8): blocked storage, crafted and damaged share links, the truth in the
// banner, the dock divider with storage full, error boundaries that keep the work.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import LZString from 'lz-string';
import { craftedLink } from '../helpers/craftedLink';
import { LEAKS } from '../helpers/messages';

const realLocal = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
const realSession = Object.getOwnPropertyDescriptor(window, 'sessionStorage')!;

const block = (name: 'localStorage' | 'sessionStorage' | 'indexedDB') =>
  Object.defineProperty(window, name, {
    configurable: true,
    get() {
      throw new DOMException('denied', 'SecurityError');
    },
  });

const downloads: string[] = [];
beforeEach(() => {
  vi.resetModules();
  Object.defineProperty(window, 'indexedDB', { configurable: true, writable: true, value: new IDBFactory() });
  Object.defineProperty(window, 'localStorage', realLocal);
  Object.defineProperty(window, 'sessionStorage', realSession);
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, '', '/');
  downloads.length = 0;
  URL.createObjectURL = (b: Blob) => (downloads.push(String((b as Blob).size)), 'blob:x');
  URL.revokeObjectURL = () => {};
  HTMLAnchorElement.prototype.click = function () {
    downloads.push(this.download);
  };
});
afterEach(() => {
  cleanup();
  Object.defineProperty(window, 'localStorage', realLocal);
  Object.defineProperty(window, 'sessionStorage', realSession);
});

const load = async () => {
  const p = await import('../../src/app/persistence');
  const { useUi } = await import('../../src/store/ui');
  const { useEditor } = await import('../../src/store/editor');
  return { ...p, useUi, useEditor };
};

describe('startup', () => {
  it('with every storage blocked (throwing getters), starts, says work is not saved, and keeps editing', async () => {
    block('localStorage');
    block('sessionStorage');
    block('indexedDB');
    const { startPersistence, useUi, useEditor } = await load();
    await expect(startPersistence()).resolves.toBeUndefined();
    const s = useUi.getState().saveState;
    expect(s.status).toBe('failed');
    expect(s.status === 'failed' && s.reason).toMatch(/IndexedDB refused \(the browser blocks storage for this page\) and localStorage is blocked/);
    expect(() => useEditor.getState().addLayer('Input', { x: 0, y: 0 })).not.toThrow();
  });

  it('a crafted 117 KB share link is refused within seconds with a clear message; the saved work is untouched', async () => {
    const { startPersistence, useEditor, getSession } = await load();
    // Saved work first (a previous visit).
    await startPersistence();
    useEditor.getState().addLayer('Input', { x: 0, y: 0 });
    await getSession()!.flush();
    getSession()!.stop();
    vi.resetModules();
    const again = await load();
    const fragment = craftedLink(80_000);
    expect(fragment.length).toBeGreaterThan(100_000);
    history.replaceState(null, '', `/#project=${fragment}`);
    const t0 = performance.now();
    await again.startPersistence();
    expect(performance.now() - t0).toBeLessThan(5000);
    const banner = again.useUi.getState().banner ?? '';
    expect(banner).toMatch(
      /The share link could not be opened: the project in the link would be larger than 10 MB, the most Layerlab opens\. Your saved work is on the canvas, unchanged\./,
    );
    expect(again.useEditor.getState().graph.nodes).toHaveLength(1);
    expect(location.hash).toBe('');
  });

  it('unreadable saved work and a damaged link: the banner does not claim the saved work was opened, and offers the download', async () => {
    const { indexedDbKv } = await import('../../src/store/kv');
    const kv = indexedDbKv();
    await kv.set('doc:x', { id: 'x', title: 'm', rev: 1, updatedAt: 1, layers: 0, json: '{"format":"layerlab-project","vers' });
    await kv.set('meta:last', 'x');
    const good = LZString.compressToEncodedURIComponent('{"format":"layerlab-project","version":1,"graph":{"name":"m","nodes":[],"edges":[]}}');
    history.replaceState(null, '', `/#project=${good.slice(0, 20)}`);
    const { startPersistence, useUi } = await load();
    await startPersistence();
    const { banner, bannerActions } = useUi.getState();
    expect(banner).toMatch(/Your saved work could not be read/);
    expect(banner).toMatch(/The share link could not be opened/);
    expect(banner).not.toMatch(/saved work (was|is) (opened|on the canvas)/);
    expect(bannerActions.map((a) => a.label)).toEqual(['Download the unreadable data']);
    bannerActions[0].run();
    expect(downloads).toContain('layerlab-unreadable-saved-work.json');
  });

  it('a share link opens as a new document; "Back to my previous work" brings the saved work back', async () => {
    const first = await load();
    await first.startPersistence();
    first.useEditor.getState().addLayer('Input', { x: 0, y: 0 });
    await first.getSession()!.flush();
    first.getSession()!.stop();
    vi.resetModules();
    const { toProjectJson, templateById, DEFAULT_TRAINING } = await import('../../src/core');
    const shared = templateById('siamese')!.build();
    history.replaceState(null, '', `/#project=${LZString.compressToEncodedURIComponent(toProjectJson({ graph: shared, training: DEFAULT_TRAINING }))}`);
    const { startPersistence, useUi, useEditor, getSession } = await load();
    await startPersistence();
    expect(useUi.getState().banner).toBe('Opened the share link as a new document. Your previous work is saved and unchanged.');
    expect(useEditor.getState().graph.nodes).toHaveLength(shared.nodes.length);
    expect(useUi.getState().documents).toHaveLength(2);
    const back = useUi.getState().bannerActions.find((a) => a.label === 'Back to my previous work')!;
    back.run();
    await vi.waitFor(() => expect(useEditor.getState().graph.nodes).toHaveLength(1));
    expect(useUi.getState().banner).toBeNull();
    getSession()!.stop();
  });
});

describe('page guards', () => {
  it('dragging the dock divider with storage full keeps the app mounted', async () => {
    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(full);
    HTMLElement.prototype.setPointerCapture = () => {};
    const { Dock } = await import('../../src/app/Dock');
    render(<Dock />);
    const divider = screen.getByRole('separator', { name: 'Resize panel' });
    act(() => {
      fireEvent.pointerDown(divider, { clientY: 500, pointerId: 1 });
      fireEvent.pointerMove(divider, { clientY: 400, pointerId: 1 });
      fireEvent.pointerUp(divider, { clientY: 400, pointerId: 1 });
    });
    expect(screen.getByRole('tab', { name: 'Summary' })).toBeTruthy();
    vi.restoreAllMocks();
  });

  it('a crash in a panel shows what happened, keeps the work and offers the download; stack overflows are worded', async () => {
    // As in the app: main.tsx renders the editor only after persistence.ts (its own chunk) has loaded.
    await import('../../src/app/persistence');
    const { ErrorBoundary } = await import('../../src/app/ErrorBoundary');
    const { useEditor } = await import('../../src/store/editor');
    useEditor.getState().addLayer('Input', { x: 0, y: 0 });
    const graph = useEditor.getState().graph;
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const Bomb = ({ e }: { e: unknown }) => {
      throw e;
    };
    render(
      <div>
        <ErrorBoundary area="the inspector">
          <Bomb e={new TypeError("Cannot read properties of undefined (reading 'x')")} />
        </ErrorBoundary>
        <ErrorBoundary area="the summary">
          <Bomb e={new RangeError('Maximum call stack size exceeded')} />
        </ErrorBoundary>
        <ErrorBoundary area="the code panel">
          <Bomb e={{}} />
        </ErrorBoundary>
        <p>canvas still here</p>
      </div>,
    );
    const crashes = screen.getAllByTestId('crash');
    expect(crashes).toHaveLength(3);
    expect(crashes[0].textContent).toMatch(
      /The inspector stopped working.*Drawing the inspector stopped because of an error in Layerlab itself \(TypeError\)\./,
    );
    expect(crashes[1].textContent).toMatch(/ran out of stack space/);
    expect(crashes[1].textContent).not.toMatch(/Maximum call stack/);
    expect(crashes[2].textContent).toMatch(/of an unexpected error in Layerlab itself/);
    for (const c of crashes) expect(c.textContent).not.toMatch(LEAKS);
    expect(screen.getByText('canvas still here')).toBeTruthy();
    expect(useEditor.getState().graph).toBe(graph);
    fireEvent.click(screen.getAllByRole('button', { name: 'Download your work' })[0]);
    expect(downloads.some((d) => d.endsWith('.layerlab.json'))).toBe(true);
    expect(screen.getAllByRole('button', { name: 'Reload' })).toHaveLength(3);
    vi.restoreAllMocks();
  });
});
