/**
 * The two small dialogs of blocks (Keras nested models), opened from the canvas's context menu:
 * - "Group into a block": the block's name (a free one offered: 'block', 'block_1', …), then the selected layers
 *   become one nested model, drawn collapsed (store `groupSelection`);
 * - "Repeat ×N": how many repeats and whether they are copies (weights of their own) or further calls of the same
 *   nested model (shared weights) (store `repeatBlock`);
 * - "Rename block": the nested model's Keras name (store `renameBlock`: every call of it takes the name; one undo step).
 * A refusal (an invalid or taken name, a selection that cannot be one nested model, a block that cannot follow
 * itself) stays in the dialog with the core's reason, the values kept for fixing. Enter confirms, Escape cancels.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { create } from 'zustand';
import { useEditor, freeBlockName } from '../store/editor';
import { blockById } from '../core';
import './blocks.css';

/** The open block dialog: grouping the selection, repeating or renaming block `blockId`. */
export type BlockDialogRequest =
  { readonly kind: 'group' } | { readonly kind: 'repeat'; readonly blockId: string } | { readonly kind: 'rename'; readonly blockId: string };

interface BlockDialogState {
  readonly dialog: BlockDialogRequest | null;
  open(d: BlockDialogRequest): void;
  close(): void;
}

/** Which block dialog is open (canvas UI state: not the model, not in the history). */
export const useBlockDialog = create<BlockDialogState>()((set) => ({
  dialog: null,
  open(dialog) {
    set({ dialog });
  },
  close() {
    set({ dialog: null });
  },
}));

/** The open block dialog, if any. */
export function BlockDialog() {
  const dialog = useBlockDialog((s) => s.dialog);
  if (!dialog) return null;
  if (dialog.kind === 'group') return <GroupDialog />;
  return dialog.kind === 'repeat' ? <RepeatDialog blockId={dialog.blockId} /> : <RenameDialog blockId={dialog.blockId} />;
}

function Shell({ title, onSubmit, error, children }: { title: string; onSubmit: () => void; error: string | null; children: ReactNode }) {
  const close = useBlockDialog((s) => s.close);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <div
      className="block-dialog"
      role="presentation"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) close();
      }}
      onKeyDown={(e) => {
        // The page's shortcuts (Delete, arrows, Escape clearing the selection) do not see keys typed here.
        e.stopPropagation();
        if (e.key === 'Escape') close();
      }}
    >
      <form className="block-dialog__box" role="dialog" aria-modal="true" aria-label={title} onSubmit={submit}>
        <h2>{title}</h2>
        {children}
        {error ? (
          <p className="block-dialog__error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="block-dialog__actions">
          <button type="submit" className="primary">
            OK
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * A dialog that asks for a block's name: `apply(name)` makes the edit and returns null, or the reason it refused
 * (shown under the field, the dialog kept open).
 */
function NameDialog({ title, intro, initial, apply }: { title: string; intro: ReactNode; initial: string; apply(name: string): string | null }) {
  const close = useBlockDialog((s) => s.close);
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  const run = () => {
    const reason = apply(name);
    if (reason) setError(reason);
    else close();
  };
  return (
    <Shell title={title} onSubmit={run} error={error}>
      <p className="muted">{intro}</p>
      <label className="block-dialog__field">
        <span>Name</span>
        <input
          ref={input}
          value={name}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
      </label>
    </Shell>
  );
}

function GroupDialog() {
  const count = useEditor((s) => s.selection.nodes.length);
  const [initial] = useState(() => freeBlockName(useEditor.getState().graph));
  return (
    <NameDialog
      title="Group into a block"
      intro={`The ${count} selected layer${count === 1 ? '' : 's'} become one Keras nested model (a Functional model used as a layer), drawn as one node.`}
      initial={initial}
      apply={(name) => useEditor.getState().groupSelection(name)}
    />
  );
}

function RenameDialog({ blockId }: { blockId: string }) {
  const current = useEditor((s) => blockById(s.graph, blockId)?.name ?? '');
  const calls = useEditor((s) => {
    const b = blockById(s.graph, blockId);
    const first = b?.callOf ?? blockId;
    return (s.graph.blocks ?? []).filter((c) => c.id === first || c.callOf === first).length;
  });
  return (
    <NameDialog
      title={`Rename block ${current}`}
      intro={
        <>
          The nested model&apos;s Keras name (<code>keras.Model(…, name=…)</code>), as the summary and the code show it
          {calls > 1 ? `; its ${calls} calls share it` : ''}.
        </>
      }
      initial={current}
      apply={(name) => useEditor.getState().renameBlock(blockId, name)}
    />
  );
}

function RepeatDialog({ blockId }: { blockId: string }) {
  const close = useBlockDialog((s) => s.close);
  const name = useEditor((s) => blockById(s.graph, blockId)?.name ?? 'the block');
  const [n, setN] = useState('2');
  const [mode, setMode] = useState<'calls' | 'copies'>('calls');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  const run = () => {
    const count = Number(n.trim());
    if (!n.trim() || !Number.isInteger(count)) return setError(`The number of repeats must be a whole number from 1 to 100 (got '${n.trim()}').`);
    const reason = useEditor.getState().repeatBlock(blockId, count, mode);
    if (reason) setError(reason);
    else close();
  };
  return (
    <Shell title={`Repeat ${name}`} onSubmit={run} error={error}>
      <p className="muted">Chains the repeats after &apos;{name}&apos;: each is called on the output of the one before.</p>
      <label className="block-dialog__field">
        <span>Times (×N)</span>
        <input
          ref={input}
          type="number"
          min={1}
          max={100}
          value={n}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setN(e.target.value);
            setError(null);
          }}
        />
      </label>
      <fieldset className="block-dialog__modes">
        <label>
          <input type="radio" name="repeat-mode" checked={mode === 'calls'} onChange={() => setMode('calls')} />
          Calls of the same model: shared weights (the parameter count stays)
        </label>
        <label>
          <input type="radio" name="repeat-mode" checked={mode === 'copies'} onChange={() => setMode('copies')} />
          Copies: each with weights of its own
        </label>
      </fieldset>
    </Shell>
  );
}
