/**
 * The template gallery's cards: every seed model and zoo architecture with its layer count, parameter
 * count and API; one click opens it. A chunk of its own (the builders, dagre), loaded when the gallery
 * first opens.
 */
import { useMemo } from 'react';
import { analyze, apiPlan, formatCount } from '../core';
import { TEMPLATES } from '../core/templates/index';
import { openTemplate } from './actions';

/** The cards, grouped as in TEMPLATES; `onOpen` runs before the chosen template loads (the gallery closes). */
export function TemplateCards({ onOpen }: { readonly onOpen: () => void }) {
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
                    onOpen();
                    void openTemplate(t.id);
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
    </>
  );
}
