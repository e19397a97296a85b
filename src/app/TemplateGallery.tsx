/**
 * The Templates button and its gallery dialog. The cards (TemplateCards.tsx: the template builders and
 * dagre) load the first time the gallery opens, not with the editor.
 */
import { lazy, Suspense, useRef, useState } from 'react';

const TemplateCards = lazy(() => import('./TemplateCards').then((m) => ({ default: m.TemplateCards })));

export function TemplateGallery() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [opened, setOpened] = useState(false);
  const close = () => dialog.current?.close();
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setOpened(true);
          dialog.current?.showModal();
        }}
        title="Open a seed model or a well-known architecture"
      >
        Templates
      </button>
      <dialog ref={dialog} className="gallery" aria-label="Templates" onClick={(e) => e.target === dialog.current && close()}>
        <div className="gallery__head">
          <h2>Templates</h2>
          <button type="button" aria-label="Close" onClick={close}>
            ×
          </button>
        </div>
        {opened ? (
          <Suspense fallback={<p className="muted pad">Loading the templates…</p>}>
            <TemplateCards onOpen={close} />
          </Suspense>
        ) : null}
      </dialog>
    </>
  );
}
