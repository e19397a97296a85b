/** "Recent ▾": the documents saved in this browser (newest first); one click opens one. */
import { useRef } from 'react';
import { useUi } from '../store/ui';
import { getSession } from './session';
import './persistence.css';

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export function DocumentsMenu() {
  const docs = useUi((u) => u.documents);
  const current = useUi((u) => u.currentDocument);
  const menu = useRef<HTMLDetailsElement>(null);
  return (
    <details className="menu documents" ref={menu}>
      <summary title="Models saved in this browser">Recent ▾</summary>
      <div className="menu__items" role="menu" aria-label="Saved models">
        {docs.length === 0 ? <span className="documents__empty">Nothing saved in this browser yet.</span> : null}
        {docs.map((d) => (
          <div key={d.id} className="documents__row">
            <button
              type="button"
              role="menuitem"
              className="documents__item"
              aria-current={d.id === current}
              data-testid="recent-document"
              onClick={() => {
                menu.current?.removeAttribute('open');
                if (d.id !== current) void getSession()?.switchTo(d.id);
              }}
            >
              <span title={d.title}>
                {d.title}
                {d.id === current ? <span className="documents__open">open now</span> : null}
              </span>
              <small>{d.unreadable ? 'cannot be read; left unchanged' : `${d.layers} layer${d.layers === 1 ? '' : 's'} · ${when.format(d.updatedAt)}`}</small>
            </button>
            {d.id === current ? null : (
              <button
                type="button"
                className="documents__delete"
                aria-label={`Delete ${d.title}`}
                title="Delete from this browser"
                onClick={() => {
                  if (window.confirm(`Delete “${d.title}” from this browser? This cannot be undone.`)) void getSession()?.deleteDocument(d.id);
                }}
              >
                ×
              </button>
            )}
          </div>
        ))}
      </div>
    </details>
  );
}
