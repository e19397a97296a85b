/**
 * Safe text about user data for messages: one value describer that every message uses, and the
 * character classes that must never reach generated code or the page raw (controls, Trojan-Source bidi
 * controls, invisible format characters).
 */

/**
 * Characters that display as nothing or move text: C0 and C1 controls, DEL, the bidirectional controls
 * (the "Trojan Source" characters, CVE-2021-42574, Boucher & Anderson 2021: LRE, RLE, PDF, LRO, RLO
 * U+202A–U+202E, LRI, RLI, FSI, PDI U+2066–U+2069, LRM, RLM U+200E, U+200F, the Arabic letter mark U+061C),
 * zero-width characters (U+200B–U+200D, U+2060, U+FEFF), the line and paragraph separators
 * (U+2028, U+2029) and lone surrogates.
 */
export function isUnsafeChar(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    (c >= 0x200b && c <= 0x200f) ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2069) ||
    c === 0xfeff ||
    (c >= 0xd800 && c <= 0xdfff)
  );
}

/** The first unsafe character of a string (`isUnsafeChar`) as "U+202E", or null when there is none. */
export function firstUnsafeChar(s: string): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A well-formed surrogate pair is one character, not an unsafe one.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      i++;
      continue;
    }
    if (isUnsafeChar(c)) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/** `s` with every unsafe character written as \uXXXX (so a message shows it rather than obeys it). */
export function visibleText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + s[i + 1];
      i++;
    } else out += isUnsafeChar(c) ? `\\u${c.toString(16).padStart(4, '0')}` : s[i];
  }
  return out;
}

/** Longest description `describeValue` returns, in characters (longer ones end with '…'). */
export const DESCRIBE_MAX = 60;

/**
 * A short, safe description of any value for a message, e.g. `3`, `"relu"`, `[3, 3]`, `null`,
 * `1e+308`, `Infinity`, `[[[…]]]`, `a function`, `an object`.
 * Bounded: at most `DESCRIBE_MAX` characters, and it reads at most a few hundred elements whatever the
 * value (no recursion over user data: nested lists are walked with an explicit stack to depth 4, deeper
 * ones show as '…'); never calls a value's own `toString` / `toJSON` (so no "function Object() { [native
 * code] }" and no getter runs), never throws. Strings are quoted and their unsafe characters (controls,
 * bidi controls) escaped as \uXXXX. Numbers too large for a float (Infinity, parsed from "1e999") are
 * "Infinity", never JSON's "null".
 */
export function describeValue(v: unknown): string {
  const out = describeInner(v);
  return out.length > DESCRIBE_MAX ? `${out.slice(0, DESCRIBE_MAX - 1)}…` : out;
}

function scalar(v: unknown): string | null {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  switch (typeof v) {
    case 'number':
      return Number.isNaN(v) ? 'a value that is not a number' : Object.is(v, -0) ? '0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'boolean':
      return String(v);
    case 'string': {
      const s = v.length > DESCRIBE_MAX ? `${v.slice(0, DESCRIBE_MAX)}…` : v;
      return `"${visibleText(s).replace(/"/g, '\\"')}"`;
    }
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return null;
  }
}

function describeInner(v: unknown): string {
  const s = scalar(v);
  if (s !== null) return s;
  if (!Array.isArray(v)) return 'an object';
  // Lists: an explicit stack of [list, next index]; at most DESCRIBE_MAX + 1 characters are built.
  let out = '[';
  const stack: [readonly unknown[], number][] = [[v, 0]];
  while (stack.length && out.length <= DESCRIBE_MAX) {
    const top = stack[stack.length - 1];
    const [list, k] = top;
    if (k >= list.length) {
      out += ']';
      stack.pop();
      continue;
    }
    if (k > 0) out += ', ';
    top[1] = k + 1;
    let item: unknown;
    try {
      item = list[k];
    } catch {
      item = undefined;
    }
    const t = scalar(item);
    if (t !== null) out += t;
    else if (!Array.isArray(item)) out += 'an object';
    else if (stack.length >= 4) out += '[…]';
    else {
      out += '[';
      stack.push([item, 0]);
    }
  }
  return out;
}

/**
 * A name for a message, in single quotes, e.g. `'dense_1'`: unsafe characters escaped as \uXXXX, cut
 * at DESCRIBE_MAX characters with '…'; a value that is not a string is described (`describeValue`)
 * instead, so a malformed name can never throw or flood a message.
 */
export function quoteName(name: unknown): string {
  if (typeof name !== 'string') return describeValue(name);
  const s = name.length > DESCRIBE_MAX ? `${name.slice(0, DESCRIBE_MAX - 1)}…` : name;
  return `'${visibleText(s)}'`;
}
