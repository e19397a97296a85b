/**
 * What the import worker takes away before user code runs: every global that reaches the network, storage or other
 * contexts. Separate from worker.ts so Node tests can check it on a stand-in scope.
 */

/** The globals imported code may not use (network, storage, further workers and channels). */
export const BLOCKED_GLOBALS = [
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'EventSource',
  'importScripts',
  'indexedDB',
  'caches',
  'BroadcastChannel',
  'Worker',
  'SharedWorker',
] as const;

/**
 * Replaces each of BLOCKED_GLOBALS on `scope` (the worker's `self`) and on every prototype that defines it (a
 * worker's `fetch` lives on WorkerGlobalScope.prototype, reachable as `Object.getPrototypeOf(self).fetch`) with a
 * function that throws, naming it; the replacement is a non-configurable accessor whose setter ignores writes, so the
 * code cannot put the original back.
 */
export function lockDown(scope: object): void {
  for (const name of BLOCKED_GLOBALS) {
    const refuse = () => {
      throw new Error(`${name} is not available to imported code: Layerlab runs it without network or storage access.`);
    };
    const holders: object[] = [scope];
    for (let o = Object.getPrototypeOf(scope) as object | null; o; o = Object.getPrototypeOf(o) as object | null)
      if (Object.prototype.hasOwnProperty.call(o, name)) holders.push(o);
    for (const holder of holders) {
      try {
        Object.defineProperty(holder, name, { get: () => refuse, set: () => undefined, configurable: false });
      } catch {
        try {
          (holder as Record<string, unknown>)[name] = refuse;
        } catch {
          /* a non-configurable, read-only property the engine keeps: left as it is */
        }
      }
    }
  }
}
