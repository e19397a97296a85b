/**
 * What went wrong, as text for a message to the user, from anything a `catch` or an `unhandledrejection`
 * can receive. tfjs and Emscripten throw Errors, strings, numbers (an Emscripten abort code) and plain
 * objects; `String(value)` would print a plain object as "[object Object]" and `undefined` as "undefined".
 */
import { describeValue } from '../core/validate/describe';

/**
 * The message of `e`: an Error's (or an error-like object's) non-empty `message`; a non-empty string as it is;
 * anything else described by `describeValue` (a number as written, an object as "an object", nothing as
 * "nothing"), prefixed with "a thrown value: " so the message says it was not an error. Never throws, never
 * returns "[object Object]", "undefined" or an empty string.
 */
export function errorText(e: unknown): string {
  if (typeof e === 'string' && e.trim()) return e;
  const message = e !== null && typeof e === 'object' ? (e as { message?: unknown }).message : undefined;
  if (typeof message === 'string' && message.trim()) return message;
  if (e instanceof Error) return e.name && e.name !== 'Error' ? `${e.name} without a message` : 'an error without a message';
  return `a thrown value: ${describeValue(e)}`;
}
