/**
 * One parameter's form field, generated from its schema. The field keeps what the user typed; the
 * model takes the value only when it is valid, otherwise the field turns red with the reason and
 * the model keeps its last valid value.
 */
import { useState } from 'react';
import type { ParamSpec, ParamValue } from '../core';

/** Text for a stored value: tuples as "3, 3", null as "". */
const toText = (v: ParamValue | undefined): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));

/**
 * Parses what the user typed for a spec. A single number for a tuple is broadcast, as Keras
 * accepts `kernel_size=3`. Returns the value or a reason.
 */
export function parseField(spec: ParamSpec, text: string): { value: ParamValue } | { reason: string } {
  const t = text.trim();
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  switch (spec.type) {
    case 'int':
    case 'float': {
      const n = num(t);
      if (Number.isNaN(n)) return { reason: spec.type === 'int' ? 'must be a whole number' : 'must be a number' };
      return { value: n };
    }
    case 'intTuple':
    case 'shape': {
      if (t === '' && spec.type === 'intTuple' && spec.nullable) return { value: null };
      const parts = t.split(/[\s,×x*()[\]]+/).filter(Boolean).map(num);
      if (!parts.length || parts.some(Number.isNaN)) return { reason: 'must be whole numbers separated by commas, e.g. 3, 3' };
      if (spec.type === 'intTuple' && parts.length === 1) return { value: Array(spec.length).fill(parts[0]) };
      return { value: parts };
    }
    default:
      return { value: t };
  }
}

interface Props {
  readonly name: string;
  readonly spec: ParamSpec;
  readonly value: ParamValue | undefined;
  /** Applies a value; returns null or the reason it was refused. */
  readonly onCommit: (value: ParamValue) => string | null;
}

export function ParamField({ name, spec, value, onCommit }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = `param-${name}`;
  const commit = (v: ParamValue) => setError(onCommit(v));
  const label = (
    <label htmlFor={id} title={spec.help}>
      {name}
    </label>
  );
  if (spec.type === 'choice')
    return (
      <div className="field">
        {label}
        <select id={id} value={String(value)} onChange={(e) => commit(e.target.value)} title={spec.help}>
          {spec.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </div>
    );
  if (spec.type === 'bool')
    return (
      <div className="field field--bool">
        {label}
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => commit(e.target.checked)} title={spec.help} />
      </div>
    );
  const placeholder = spec.type === 'intTuple' && spec.nullable ? 'same as pool_size' : undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      {label}
      <input
        id={id}
        type="text"
        inputMode={spec.type === 'float' ? 'decimal' : 'numeric'}
        value={draft ?? toText(value)}
        placeholder={placeholder}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
        title={spec.help}
        onChange={(e) => {
          setDraft(e.target.value);
          const r = parseField(spec, e.target.value);
          if ('reason' in r) setError(`${name} ${r.reason}`);
          else commit(r.value);
        }}
        onBlur={() => {
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
