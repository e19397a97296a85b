/**
 * The one call made before the canvas is replaced by something else (New, a template, an opened file):
 * the autosave then keeps the current model as its own document and saves what follows as a new one,
 * so replacing the canvas never overwrites saved work. Without an autosave session it does nothing.
 */
let hook: (() => void) | null = null;

/** Registers what `beforeReplacingCanvas` does (the autosave session's `startNewDocument`). */
export function onReplacingCanvas(fn: (() => void) | null): void {
  hook = fn;
}

/** Call right before loading a different model onto the canvas. Never throws. */
export function beforeReplacingCanvas(): void {
  try {
    hook?.();
  } catch {
    /* the autosave reports its own failures */
  }
}
