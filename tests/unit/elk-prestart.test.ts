/**
 * A spare ELK worker started ahead of the next layout (app/elkLayout.ts prestartElk, issue 13: first import): the
 * next layout takes it instead of starting one (its 1.6 MB script is compiled while the page is idle: 120-215 ms of a
 * layout in Chromium), at most one waits, and after the layout a fresh one is started in idle time. In Node there is
 * no Worker: without the spare, a layout cannot start at all, which makes the hand-over visible.
 */
import { describe, expect, it } from 'vitest';
import ELK from 'elkjs/lib/elk.bundled.js';
import { elkLayout, prestartElk, type LayoutWorker } from '../../src/app/elkLayout';
import { tpl } from '../helpers/templates';

/** A fake worker running the real ELK in process. */
class InProcessWorker implements LayoutWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  terminated = 0;
  posted = 0;
  private readonly elk = new ELK();
  postMessage(message: unknown): void {
    this.posted++;
    const msg = message as { id: number; cmd: string; graph?: unknown };
    const reply = msg.cmd === 'layout' ? this.elk.layout(msg.graph as never) : Promise.resolve(null);
    void reply.then((data) => this.onmessage?.({ data: { id: msg.id, data } } as MessageEvent));
  }
  terminate(): void {
    this.terminated++;
  }
}

describe('prestartElk', () => {
  it('one worker waits, unused, until a layout takes it; the layout ends it and a new one is started in idle time', async () => {
    const made: InProcessWorker[] = [];
    prestartElk(() => {
      const w = new InProcessWorker();
      made.push(w);
      return w;
    });
    prestartElk();
    expect(made).toHaveLength(1); // at most one waits
    expect(made[0].posted).toBe(0); // and it has received nothing
    const g = tpl('purchase-predictor');
    const laid = await elkLayout(g, { budgetMs: 10_000 });
    const pos = new Map(laid.nodes.map((n) => [n.id, n.position]));
    for (const e of g.edges) expect(pos.get(e.target)!.y).toBeGreaterThan(pos.get(e.source)!.y);
    expect(made[0].posted).toBeGreaterThan(0);
    expect(made[0].terminated).toBe(1);
    // The next spare, started after the layout (a 0 ms timer in Node, idle time in the page).
    await new Promise((r) => setTimeout(r, 20));
    expect(made).toHaveLength(2);
    expect(made[1].posted).toBe(0);
    // ... which the next layout takes.
    await elkLayout(g, { budgetMs: 10_000 });
    expect(made[1].terminated).toBe(1);
  });
});
