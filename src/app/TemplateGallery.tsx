/**
 * The template gallery: every seed model and zoo architecture with its layer count, parameter count
 * and API; one click opens it.
 */
import { useMemo, useRef } from 'react';
import { analyze, apiPlan, formatCount, TEMPLATES } from '../core';
import { openTemplate } from './actions';


export function TemplateGallery() {
  const dialog = useRef<HTMLDialogElement>(null);
  // Built once when the gallery first renders: the largest (VGG16) validates in well under 10 ms.
  const facts = useMemo(
    () =>
      new Map(
        TEMPLATES.map((t) => {
          const g = t.build();
          return [t.id, { layers: g.nodes.length, params: analyze(g).totals.total, api: apiPlan(g).kind }] as const;
        }),
      ),
    [],
  );
  const groups = [...new Set(TEMPLATES.map((t) => t.group))];
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()} title="Open a seed model or a well-known architecture">
        Templates
      </button>
      <dialog ref={dialog} className="gallery" aria-label="Templates" onClick={(e) => e.target === dialog.current && dialog.current?.close()}>
        <div className="gallery__head">
          <h2>Templates</h2>
          <button type="button" aria-label="Close" onClick={() => dialog.current?.close()}>
            ×
          </button>
        </div>
        {groups.map((group) => (
          <section key={group}>
            <h3>{group}</h3>
            <div className="gallery__grid">
              {TEMPLATES.filter((t) => t.group === group).map((t) => {
                const f = facts.get(t.id)!;
                return (
                  <button
                    key={t.id}
                    type="button"
                    className="gallery__card"
                    data-template={t.id}
                    onClick={() => {
                      dialog.current?.close();
                      openTemplate(t.id);
                    }}
                  >
                    <span className="gallery__title">{t.title}</span>
                    <span className="gallery__blurb">{t.blurb}</span>
                    <span className="gallery__facts">
                      {f.layers} layers · {formatCount(f.params)} parameters · {f.api === 'sequential' ? 'Sequential' : 'Functional'}
                    </span>
                  </button>
                );
              })}
            </div>
          </section>
        ))}
      </dialog>
    </>
  );
}
