/**
 * One parameter's form field, generated from its schema. The field keeps what the user typed; the
 * model takes the value only when it is valid, otherwise the field turns red with the reason and
 * the model keeps its last valid value.
 */
import { useState } from 'react';
import { describeValue, type ParamSpec, type ParamValue } from '../core';
import { endTyping } from '../store/editor';

/** Text for a stored value: tuples as "3, 3", an unknown size in a shape as "None" (Keras's word), null as "". */
const toText = (v: ParamValue | undefined): string =>
  v === null || v === undefined
    ? ''
    : Array.isArray(v)
      ? (v as readonly (number | null)[]).map((d) => (d === null ? 'None' : String(d))).join(', ')
      : String(v);

/** Words for an unknown size in a shape field: Keras's None, and '?' and null as people also write it. */
const UNKNOWN_SIZE = /^(none|\?|null)$/i;

/**
 * Parses what the user typed for a spec. A single number for a tuple is broadcast, as Keras
 * accepts `kernel_size=3`; for a tuple written in groups (ZeroPadding2D's top, bottom, left, right)
 * one number per group is repeated, as Keras accepts `padding=(1, 2)`. An empty field is null (Keras's
 * None) where the spec allows it. A number too large for a float ("1e999", which JavaScript reads as
 * Infinity) is refused as too large, never passed on. Returns the value or a reason (a fragment that
 * follows the parameter's name).
 */
export function parseField(spec: ParamSpec, text: string): { value: ParamValue } | { reason: string } {
  const t = text.trim();
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  switch (spec.type) {
    case 'int':
    case 'float': {
      if (t === '' && spec.nullable) return { value: null };
      const n = num(t);
      if (Number.isNaN(n)) return { reason: spec.type === 'int' ? 'must be a whole number' : 'must be a number' };
      if (!Number.isFinite(n)) return { reason: `${describeValue(t)} is too large to be a number` };
      return { value: n };
    }
    case 'intTuple':
    case 'shape':
    case 'intList': {
      if (t === '' && (spec.type === 'intTuple' || spec.type === 'intList' || spec.type === 'shape') && spec.nullable) return { value: null };
      const words = t.split(/[\s,×x*()[\]]+/).filter(Boolean);
      // A shape may leave a size unknown: None (or ?), kept as null.
      if (spec.type === 'shape' && words.some((w) => UNKNOWN_SIZE.test(w))) {
        const dims = words.map((w) => (UNKNOWN_SIZE.test(w) ? null : num(w)));
        if (dims.some((d) => d !== null && Number.isNaN(d))) return { reason: 'must be whole numbers or None separated by commas, e.g. None, 3' };
        return { value: dims };
      }
      const parts = words.map(num);
      if (!parts.length || parts.some(Number.isNaN))
        return {
          reason:
            spec.type === 'shape'
              ? 'must be whole numbers (or None for an unknown size) separated by commas, e.g. 64, 64, 3'
              : 'must be whole numbers separated by commas, e.g. 3, 3',
        };
      const huge = parts.findIndex((v) => !Number.isFinite(v));
      if (huge >= 0) return { reason: `entry ${huge + 1} is too large to be a number` };
      if (spec.type === 'intTuple' && parts.length === 1) return { value: new Array<number>(spec.length).fill(parts[0]) };
      if (spec.type === 'intTuple' && spec.groups && parts.length === spec.groups)
        return { value: parts.flatMap((v) => new Array<number>(spec.length / spec.groups!).fill(v)) };
      return { value: parts };
    }
    default:
      return { value: t };
  }
}

/** Placeholder of an empty field: what null means for the parameter. */
function placeholderOf(spec: ParamSpec): string | undefined {
  if ((spec.type === 'int' || spec.type === 'float' || spec.type === 'intTuple' || spec.type === 'intList' || spec.type === 'shape') && spec.nullable)
    return spec.nullText ?? 'none';
  return undefined;
}

interface Props {
  readonly name: string;
  readonly spec: ParamSpec;
  readonly value: ParamValue | undefined;
  /**
   * Applies a value; returns null or the reason it was refused. `typing` is true for a keystroke in a text field:
   * the store makes one undo step of the keystrokes of one field (store/editor.ts setParam's `typing`).
   */
  readonly onCommit: (value: ParamValue, typing: boolean) => string | null;
}

export function ParamField({ name, spec, value, onCommit }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = `param-${name}`;
  const commit = (v: ParamValue, typing = false) => setError(onCommit(v, typing));
  const label = (
    <label htmlFor={id} title={spec.help}>
      {name}
    </label>
  );
  // A value tfjs accepts only at its default is shown read-only, with the reason in the tooltip; so is text kept from a file (an opaque layer's class and config).
  const fixed = spec.fixed !== undefined || spec.type === 'text';
  // A choice or a checkbox the model refused (setParam's reason: return_state off while a state feeds a layer)
  // keeps the model's value in the control and says why below it.
  const refusal = error ? (
    <div className="field__error" id={`${id}-error`} role="alert">
      {error}
    </div>
  ) : null;
  const help = spec.fixed !== undefined ? `${spec.help} (${spec.fixed})` : spec.help;
  if (spec.type === 'choice' || spec.type === 'layer')
    return (
      <div className={`field${error ? ' field--error' : ''}`}>
        {label}
        <select id={id} value={String(value)} onChange={(e) => commit(e.target.value)} title={help} disabled={fixed}>
          {spec.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        {refusal}
      </div>
    );
  if (spec.type === 'bool')
    return (
      <div className={`field field--bool${error ? ' field--error' : ''}`}>
        {label}
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => commit(e.target.checked)} title={help} disabled={fixed} />
        {refusal}
      </div>
    );
  const placeholder = placeholderOf(spec);
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      {label}
      <input
        id={id}
        type="text"
        inputMode={spec.type === 'float' ? 'decimal' : spec.type === 'intList' ? 'text' : 'numeric'}
        value={draft ?? toText(value)}
        placeholder={placeholder}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
        title={help}
        readOnly={fixed}
        onChange={(e) => {
          setDraft(e.target.value);
          const r = parseField(spec, e.target.value);
          if ('reason' in r) setError(`${name} ${r.reason}`);
          else commit(r.value, true);
        }}
        onBlur={() => {
          endTyping();
          if (!error) setDraft(null);
        }}
      />
      {error ? (
        <div className="field__error" id={`${id}-error`} role="alert">
          {error} — the model keeps {toText(value) || 'the default'}.
        </div>
      ) : null}
    </div>
  );
}
