/**
 * The Train tab's typed fields: a numeric training setting and the trial size of an unknown input dimension, each
 * checked against the one definition of the settings (core/training.ts) as the user types.
 */
import { useState } from 'react';
import {
  checkTrainingSetting,
  DEFAULT_TRIAL_SIZE,
  formatCount,
  MAX_TRIAL_SIZE,
  parseNumericSetting,
  TRAINING_SETTINGS,
  trialSizeOf,
  type NumericSetting,
  type UnknownDim,
} from '../core';
import { useEditor } from '../store/editor';
import { useTraining } from '../store/training';

/**
 * One numeric setting's field. What the user types is checked against the one definition of the setting
 * (core `parseNumericSetting`, the bounds in TRAINING_SETTINGS that the project file and the runtime use);
 * a value it refuses stays in the field, red, with the reason, and the settings keep their last valid value.
 */
export function NumberSetting({ k }: { k: NumericSetting }) {
  const def = TRAINING_SETTINGS[k];
  const value = useEditor((s) => s.training[k]);
  const disabled = ['starting', 'running', 'stopping'].includes(useTraining((s) => s.status));
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = `setting-${k}`;
  return (
    <>
      <label className={`setting${error ? ' field--error' : ''}`} htmlFor={id}>
        <span>{def.label}</span>
        <input
          id={id}
          type="text"
          inputMode={def.integer ? 'numeric' : 'decimal'}
          value={draft ?? String(value)}
          disabled={disabled}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-error` : undefined}
          title={`${def.integer ? 'A whole number' : 'A number'} ${def.minExclusive ? 'greater than' : 'from'} ${formatCount(def.min)} ${def.minExclusive ? 'and at most' : 'to'} ${formatCount(def.max)}`}
          onChange={(e) => {
            setDraft(e.target.value);
            const r = parseNumericSetting(k, e.target.value);
            if (r.ok) {
              setError(null);
              useEditor.getState().setTraining({ [k]: r.value });
            } else setError(r.reason);
          }}
          onBlur={() => {
            if (!error) setDraft(null);
          }}
        />
      </label>
      {error ? (
        <p className="field__error small" id={`${id}-error`} role="alert">
          {error} — training keeps {String(value)}.
        </p>
      ) : null}
    </>
  );
}

/**
 * The trial size of one unknown input dimension (Keras's None): the size the dummy data, the memory estimate and
 * the run use for it; the model and its code keep None. Checked like the other settings (core
 * `checkTrainingSetting('trialSizes', …)`); a refused value stays in the field, red, with the reason.
 */
export function TrialSize({ dim }: { dim: UnknownDim }) {
  const value = useEditor((s) => trialSizeOf(s.training, dim.key));
  const disabled = ['starting', 'running', 'stopping'].includes(useTraining((s) => s.status));
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = `trial-${dim.key}`;
  return (
    <>
      <label className={`setting${error ? ' field--error' : ''}`} htmlFor={id} data-testid="trial-size">
        <span title={`Axis ${dim.axis} of input '${dim.input}' (the batch axis is 0), None in the model`}>
          {dim.input} · axis {dim.axis}
        </span>
        <input
          id={id}
          type="text"
          inputMode="numeric"
          value={draft ?? String(value)}
          disabled={disabled}
          aria-invalid={!!error}
          title={`The size training uses for this unknown dimension, 1 to ${formatCount(MAX_TRIAL_SIZE)} (default ${DEFAULT_TRIAL_SIZE}); the model and its code keep None`}
          onChange={(e) => {
            setDraft(e.target.value);
            const t = e.target.value.trim();
            const n = /^\d+$/.test(t) ? Number(t) : Number.NaN;
            const s = useEditor.getState();
            const next = { ...s.training.trialSizes, [dim.key]: n };
            const bad = Number.isNaN(n)
              ? `The trial size of ${dim.key} must be a whole number (got '${t.slice(0, 40)}')`
              : checkTrainingSetting('trialSizes', next);
            if (bad) setError(bad);
            else {
              setError(null);
              s.setTraining({ trialSizes: next });
            }
          }}
          onBlur={() => {
            if (!error) setDraft(null);
          }}
        />
      </label>
      {error ? (
        <p className="field__error small" role="alert">
          {error} — training keeps {value}.
        </p>
      ) : null}
    </>
  );
}
