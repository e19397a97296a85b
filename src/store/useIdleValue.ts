/** A value that follows another in the page's idle periods (store/idle.ts). */
import { startTransition, useEffect, useState } from 'react';
import { idleScheduler } from './idle';

/** How long a value shown with `useIdleValue` may lag behind at most when the page is never idle (ms). */
export const IDLE_VALUE_TIMEOUT_MS = 150;

/**
 * `value` as of the page's last idle period when `lag` is true, else `value` itself. A change is shown by a render
 * (a transition) that runs once the frame showing the change elsewhere has been painted: a panel whose content costs
 * milliseconds to compute (the summary of a 1,000-layer model) then never delays the canvas's answer to an edit. It
 * catches up within {@link IDLE_VALUE_TIMEOUT_MS} ms even if the page is never idle; unmounting cancels the wait.
 * @param value the current value (compared by identity)
 * @param lag whether to lag; while false the value is shown at once (and kept as the lagging value's start)
 */
export function useIdleValue<T>(value: T, lag: boolean): T {
  const [shown, setShown] = useState(value);
  // Not lagging: follow at once (React's render-time update of derived state, without an extra commit).
  if (!lag && shown !== value) setShown(value);
  useEffect(() => {
    if (!lag || shown === value) return;
    return idleScheduler(IDLE_VALUE_TIMEOUT_MS)(() => startTransition(() => setShown(value)));
  }, [lag, value, shown]);
  return lag ? shown : value;
}
