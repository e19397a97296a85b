/** Shown on an empty canvas: how to start, with the seed templates one click away. */
import { TEMPLATE_INFO } from '../core/templates/catalog';
import { openTemplate } from '../app/actions';

export function EmptyState() {
  return (
    <div className="empty-state">
      <h2>Drag a layer here, or start from a template</h2>
      <p>Layers come from the palette on the left. Connect them from a node's bottom handle to another's top handle.</p>
      <div className="empty-state__templates">
        {TEMPLATE_INFO.map((t) => (
          <button key={t.id} type="button" onClick={() => void openTemplate(t.id)} title={t.blurb}>
            {t.title}
          </button>
        ))}
      </div>
    </div>
  );
}
