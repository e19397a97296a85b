/**
 * The import worker's lock-down (typescript/sandbox.ts) on a stand-in for a worker's global scope: network and storage
 * globals, on the scope and on its prototypes, refuse with a sentence naming them and cannot be put back; the code
 * run by the engine then sees the refusing versions.
 */
import { describe, expect, it } from 'vitest';
import { BLOCKED_GLOBALS, lockDown } from '../../src/codeimport/typescript/sandbox';

/** A scope shaped like a worker's: fetch and XMLHttpRequest on a prototype, indexedDB on the scope itself. */
function workerLikeScope() {
  const proto = { fetch: () => 'network!', XMLHttpRequest: class {} };
  const scope = Object.create(proto) as Record<string, unknown>;
  scope.indexedDB = { open: () => 'storage!' };
  return { scope, proto: proto as Record<string, unknown> };
}

describe('lockDown', () => {
  it('replaces every blocked global, on the scope and on the prototype that defines it, with a refusal naming it', () => {
    const { scope, proto } = workerLikeScope();
    lockDown(scope);
    for (const name of BLOCKED_GLOBALS) {
      expect(() => (scope[name] as () => unknown)(), name).toThrow(`${name} is not available to imported code`);
    }
    expect(() => (proto.fetch as () => unknown)()).toThrow('fetch is not available to imported code');
  });

  it('cannot be undone by assignment or redefinition', () => {
    const { scope } = workerLikeScope();
    lockDown(scope);
    scope.fetch = () => 'restored';
    expect(() => (scope.fetch as () => unknown)()).toThrow(/fetch is not available/);
    expect(() => Object.defineProperty(scope, 'fetch', { value: () => 'restored' })).toThrow(TypeError);
  });
});
