/**
 * ELK in its worker with a time budget and a cancel signal (app/elkLayout.ts), driven through elkjs's own
 * API with fake workers: one that never answers (ELK running without end), one that answers with an error,
 * one that dies, and one that runs the real ELK in process. And the page's `layoutForPage`: in Node there
 * is no Worker, so ELK fails at once and the fallback layout is used, with a toast saying so.
 */
import { describe, expect, it, vi } from 'vitest';
import ELK from 'elkjs/lib/elk.bundled.js';
import { elkLayout, LayoutStopped, type LayoutWorker } from '../../src/app/elkLayout';
import { layoutForPage, LARGE_GRAPH } from '../../src/app/files';
import { useUi } from '../../src/store/ui';
import { NODE_SIZE, type Edge, type Graph, type LayerNode } from '../../src/core';
import { tpl } from '../helpers/templates';
import { node } from '../helpers/graphs';

/** A fake worker: `answer` decides what to reply to each message elkjs posts (undefined: no reply). */
class FakeWorker implements LayoutWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  terminated = 0;
  constructor(private readonly answer: (msg: { id: number; cmd: string; graph?: unknown }, w: FakeWorker) => Promise<unknown> | undefined) {}
  postMessage(message: unknown): void {
    const msg = message as { id: number; cmd: string; graph?: unknown };
    const reply = this.answer(msg, this);
    void reply?.then(
      (data) => this.onmessage?.({ data: { id: msg.id, data } } as MessageEvent),
      (error) => this.onmessage?.({ data: { id: msg.id, error } } as MessageEvent),
    );
  }
  terminate(): void {
    this.terminated++;
  }
}

const registerOk = (msg: { cmd: string }) => (msg.cmd === 'register' ? Promise.resolve(null) : undefined);

function merge(k: number): Graph {
  const nodes: LayerNode[] = [];
  const edges: Edge[] = [];
  for (let i = 0; i < k; i++) nodes.push(node(`i${i}`, 'Input', { shape: [2] }));
  nodes.push(node('cat', 'Concatenate'));
  for (let i = 0; i < k; i++) edges.push({ id: `e${i}`, source: `i${i}`, target: 'cat' });
  return { name: 'merge', nodes, edges };
}

describe('ELK with a time budget', () => {
  it('terminates a worker that runs past its budget and says so', async () => {
    const w = new FakeWorker(registerOk); // never answers 'layout'
    const t0 = performance.now();
    const err = await elkLayout(merge(10), { budgetMs: 80, workerFactory: () => w }).catch((e: unknown) => e);
    const took = performance.now() - t0;
    console.log(`budget 80 ms: stopped after ${took.toFixed(0)} ms`);
    expect(err).toBeInstanceOf(LayoutStopped);
    expect((err as LayoutStopped).why).toBe('timeout');
    expect((err as LayoutStopped).message).toMatch(/took more than/);
    expect(w.terminated).toBe(1);
    expect(took).toBeLessThan(2000);
  });

  it('terminates the worker at once when cancelled', async () => {
    const w = new FakeWorker(registerOk);
    const stop = new AbortController();
    const p = elkLayout(merge(10), { budgetMs: 60_000, signal: stop.signal, workerFactory: () => w });
    setTimeout(() => stop.abort(), 10);
    const err = await p.catch((e: unknown) => e);
    expect((err as LayoutStopped).why).toBe('cancelled');
    expect(w.terminated).toBe(1);
  });

  it('reports an error inside ELK or a dead worker as a failure, without engine texts', async () => {
    const failing = new FakeWorker((msg) => (msg.cmd === 'layout' ? Promise.reject(new RangeError('Maximum call stack size exceeded')) : registerOk(msg)));
    const err = await elkLayout(merge(3), { budgetMs: 5000, workerFactory: () => failing }).catch((e: unknown) => e);
    expect((err as LayoutStopped).why).toBe('failed');
    expect((err as LayoutStopped).message).not.toMatch(/call stack/i);
    expect(failing.terminated).toBe(1);
    const dying = new FakeWorker((msg, w) => (msg.cmd === 'layout' ? void setTimeout(() => w.onerror?.({}), 5) : registerOk(msg)));
    const err2 = await elkLayout(merge(3), { budgetMs: 5000, workerFactory: () => dying }).catch((e: unknown) => e);
    expect((err2 as LayoutStopped).why).toBe('failed');
  });

  it('returns ELK’s layout when it finishes in time, and ends the worker', async () => {
    const elk = new ELK();
    const w = new FakeWorker((msg) => (msg.cmd === 'layout' ? elk.layout(msg.graph as never) : registerOk(msg)));
    const g = tpl('purchase-predictor');
    const laid = await elkLayout(g, { budgetMs: 10_000, workerFactory: () => w });
    const pos = new Map(laid.nodes.map((n) => [n.id, n.position]));
    for (const e of g.edges) expect(pos.get(e.target)!.y).toBeGreaterThan(pos.get(e.source)!.y);
    expect(w.terminated).toBe(1);
  });
});

describe('layoutForPage', () => {
  it('falls back to the layered layout with a message when ELK cannot run, offering Cancel meanwhile', async () => {
    const g = merge(4000);
    expect(g.nodes.length).toBeGreaterThan(LARGE_GRAPH);
    const banners: { text: string | null; labels: string[] }[] = [];
    const unsub = useUi.subscribe((s) => banners.push({ text: s.banner, labels: s.bannerActions.map((a) => a.label) }));
    const toast = vi.spyOn(useUi.getState(), 'toast');
    const t0 = performance.now();
    const laid = await layoutForPage(g);
    console.log(`layoutForPage, 4,000-input merge, ELK unavailable → fallback: ${(performance.now() - t0).toFixed(1)} ms`);
    unsub();
    expect(banners.some((b) => b.labels.includes('Cancel'))).toBe(true);
    expect(useUi.getState().banner).toBeNull();
    const text = toast.mock.calls.map((c) => c[0]).join(' ');
    expect(text).toMatch(/simple layered layout/);
    const pos = new Map(laid.nodes.map((n) => [n.id, n.position]));
    for (const e of g.edges) expect(pos.get(e.target)!.y).toBeGreaterThanOrEqual(pos.get(e.source)!.y + NODE_SIZE.height);
  });

  it('lays out a 5,000-layer chain at once as a column, without ELK', async () => {
    const nodes: LayerNode[] = [{ id: 'n0', kind: 'Input', name: 'n0', params: { shape: [4] }, position: { x: 0, y: 0 } }];
    const edges: Edge[] = [];
    for (let i = 1; i < 5000; i++) {
      nodes.push({ id: `n${i}`, kind: 'Dense', name: `n${i}`, params: { units: 4 }, position: { x: 0, y: 0 } });
      edges.push({ id: `e${i}`, source: `n${i - 1}`, target: `n${i}` });
    }
    const toast = vi.spyOn(useUi.getState(), 'toast');
    toast.mockClear();
    const laid = await layoutForPage({ name: 'chain', nodes, edges });
    expect(toast).not.toHaveBeenCalled();
    expect(new Set(laid.nodes.map((n) => n.position.x)).size).toBe(1);
    expect(laid.nodes[4999].position.y).toBeGreaterThan(laid.nodes[0].position.y);
  });
});
