/**
 * Work for the browser's idle periods: the autosave's serialising, the spare layout worker's start, and the panels
 * that may follow an edit a moment after the canvas (the summary of a big model). requestIdleCallback runs a callback
 * once the frames due have been painted and nothing else waits, or when its timeout passes; where it is missing
 * (Node, jsdom, Safari before 18) a 0 ms timer stands in. No React here: the autosave runs in Node tests.
 */
/** The part of the browser's IdleDeadline that callers read. */
export interface IdleDeadlineLike {
  /** True when the idle callback runs because its timeout passed (the page was never idle). */
  readonly didTimeout: boolean;
  /** Milliseconds left in this idle period (0–50). */
  timeRemaining(): number;
}

/**
 * Schedules `run` for the next idle period; returns a function that cancels it. `run` must eventually be called
 * (the default passes a timeout to requestIdleCallback) unless cancelled.
 */
export type IdleScheduler = (run: (deadline: IdleDeadlineLike) => void) => () => void;

/**
 * A scheduler on the browser's requestIdleCallback that runs the callback at most `timeoutMs` ms later even if the page
 * is never idle; where requestIdleCallback is missing, a 0 ms timer with a deadline that reports 50 ms of room.
 */
export function idleScheduler(timeoutMs: number): IdleScheduler {
  return (run) => {
    const g = globalThis as {
      requestIdleCallback?: (cb: (d: IdleDeadlineLike) => void, o?: { timeout: number }) => number;
      cancelIdleCallback?: (h: number) => void;
    };
    if (typeof g.requestIdleCallback === 'function' && typeof g.cancelIdleCallback === 'function') {
      const h = g.requestIdleCallback(run, { timeout: timeoutMs });
      return () => g.cancelIdleCallback?.(h);
    }
    const t = setTimeout(() => run({ didTimeout: false, timeRemaining: () => 50 }), 0);
    return () => clearTimeout(t);
  };
}

/** Calls `f` in an idle period, at most `timeoutMs` ms (default 5 s) from now (`idleScheduler`). */
export function whenIdle(f: () => void, timeoutMs = 5000): void {
  idleScheduler(timeoutMs)(() => f());
}
