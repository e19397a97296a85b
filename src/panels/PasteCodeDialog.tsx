/**
 * "Paste code": a dialog with a text area for Keras Python or tfjs TypeScript / JavaScript; Import runs it
 * (`openCode`) and the canvas becomes the model it builds (one undo step). A failure stays in the dialog with its
 * line, the text kept for fixing. Loaded with the first click on the toolbar button.
 */
import { useEffect, useRef, useState } from 'react';
import { guessLanguage } from '../codeimport/client';
import type { CodeLanguage } from '../codeimport/types';
import './codeEditor.css';

export function PasteCodeDialog({ onClose }: { readonly onClose: () => void }) {
  const [text, setText] = useState('');
  const [choice, setChoice] = useState<CodeLanguage | 'auto'>('auto');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), []);
  const language: CodeLanguage = choice === 'auto' ? guessLanguage(text) : choice;
  const run = async () => {
    if (!text.trim() || busy) return;
    setError(null);
    setBusy(language === 'python' ? 'Running the Python code…' : 'Running the code…');
    const { openCode } = await import('../app/files');
    const r = await openCode(text, language, 'the pasted code', (stage, fraction) =>
      setBusy(fraction !== undefined && fraction < 1 ? `${stage} ${Math.round(fraction * 100)} %` : stage),
    );
    setBusy(null);
    if (r.ok) onClose();
    else setError(r.line ? `Line ${r.line}: ${r.reason}` : r.reason);
  };
  return (
    <div
      className="paste-dialog"
      role="presentation"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget && !busy) onClose();
      }}
    >
      <div className="paste-dialog__box" role="dialog" aria-modal="true" aria-labelledby="paste-title">
        <h2 id="paste-title">Paste code</h2>
        <p className="muted" style={{ margin: 0 }}>
          Keras Python (keras.Sequential, keras.Model, layers…) or TensorFlow.js TypeScript / JavaScript (tf.sequential, tf.model). The code runs in a sandbox
          without network access; training calls are skipped.
        </p>
        <textarea
          ref={area}
          aria-label="Code to import"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void run();
            }
            if (e.key === 'Escape' && !busy) onClose();
          }}
          placeholder={'from tensorflow import keras\nfrom tensorflow.keras import layers\n\nmodel = keras.Sequential([...])'}
        />
        {error ? (
          <p className="code-panel__message code-panel__message--error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="paste-dialog__actions">
          <label>
            Language{' '}
            <select value={choice} onChange={(e) => setChoice(e.target.value as CodeLanguage | 'auto')}>
              <option value="auto">Detect ({guessLanguage(text) === 'python' ? 'Python' : 'TypeScript'})</option>
              <option value="python">Python (Keras)</option>
              <option value="typescript">TypeScript / JavaScript (tfjs)</option>
            </select>
          </label>
          <span className="toolbar__spacer" />
          {busy ? <span className="muted">{busy}</span> : null}
          <button type="button" onClick={onClose} disabled={!!busy}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => void run()} disabled={!text.trim() || !!busy} title="Ctrl+Enter">
            Import
          </button>
        </div>
      </div>
    </div>
  );
}
