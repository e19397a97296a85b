/**
 * What a user-facing message must never contain, for the tests of messages (import refusals, validator
 * diagnostics, runtime errors, project-file notes, banners).
 */

/**
 * Engine texts that leak into a message built carelessly: `NaN`, `[object Object]`, `undefined`, a
 * function's source (`function Object() { [native code] }`), the stack-overflow text ("Maximum call stack
 * size exceeded") and JSON's `null` for a non-finite number ("(got null)").
 */
export const LEAKS = /NaN|\[object|undefined|function |native code|call stack|\(got null\)/;

/**
 * Bidirectional-text controls (Trojan Source, CVE-2021-42574): embeddings and overrides U+202A–U+202E,
 * isolates U+2066–U+2069, the marks U+200E, U+200F and U+061C. A message or generated code that shows a
 * user's text must escape them.
 */
export const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
