import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/runtime/errorText';
import { LEAKS } from '../helpers/messages';

describe('errorText (the text of anything thrown in the training worker)', () => {
  it("keeps an Error's and an error-like object's message", () => {
    expect(errorText(new Error('Kernel Foo not registered'))).toBe('Kernel Foo not registered');
    expect(errorText({ message: 'out of memory' })).toBe('out of memory');
    expect(errorText('abort(OOM)')).toBe('abort(OOM)');
  });

  it.each([
    ['a plain object', { code: 3 }],
    ['an object whose message is not text', { message: { nested: true } }],
    ['undefined', undefined],
    ['null', null],
    ['NaN', Number.NaN],
    ['an empty string', ''],
    ['an Error without a message', new Error('')],
    [
      'an object with a throwing toString',
      {
        toString: () => {
          throw new Error('boom');
        },
      },
    ],
  ])('never prints "[object Object]", "undefined" or "NaN" for %s', (_what, value) => {
    const text = errorText(value);
    expect(text).not.toMatch(LEAKS);
    expect(text.trim()).not.toBe('');
  });

  it('says a number was thrown and which (an Emscripten abort code)', () => {
    expect(errorText(42)).toBe('a thrown value: 42');
  });
});
