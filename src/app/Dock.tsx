/** The bottom dock: Summary, Code, Train, Inside and Goals tabs; resizable by its top edge, collapsible, height remembered. */
import { lazy, Suspense, useEffect, useRef, useState, type PointerEvent } from 'react';
import { useUi, type DockTab } from '../store/ui';
import { useGoals } from '../store/goals';
import { SummaryPanel } from '../panels/SummaryPanel';
import { safeGet, safeSet } from '../store/safeStorage';
import { ErrorBoundary } from './ErrorBoundary';

// The code panel (highlight.js) and the training panel (uPlot) load when first opened: the editor
// itself starts with less JavaScript.
const CodePanel = lazy(() => import('../panels/CodePanel').then((m) => ({ default: m.CodePanel })));
const TrainPanel = lazy(() => import('../panels/TrainPanel').then((m) => ({ default: m.TrainPanel })));
// The Inside tab (training insight: histograms, filters) loads when first opened.
const InsidePanel = lazy(() => import('../panels/InsidePanel').then((m) => ({ default: m.InsidePanel })));
// The Goals panel brings the goal schema (zod): loaded when its tab first opens.
const GoalsPanel = lazy(() => import('../panels/GoalsPanel').then((m) => ({ default: m.GoalsPanel })));
// The Goals tab's "2/3" or "✓", shown only when the project has goals (so the schema loads only then).
const GoalsBadge = lazy(() => import('../panels/GoalsPanel').then((m) => ({ default: m.GoalsBadge })));

const TABS: { id: DockTab; label: string }[] = [
  { id: 'summary', label: 'Summary' },
  { id: 'code', label: 'Code' },
  { id: 'train', label: 'Train' },
  { id: 'inside', label: 'Inside' },
  { id: 'goals', label: 'Goals' },
];
const HEIGHT_KEY = 'layerlab.dockHeight';

/** The dock's height as drawn: the chosen height, but never so tall that the canvas gets less than 300 px (a remembered height from a taller window). */
const shown = (height: number): number => Math.max(120, Math.min(height, window.innerHeight - 340));

export function Dock() {
  const tab = useUi((s) => s.dockTab);
  const open = useUi((s) => s.dockOpen);
  const hasGoals = useGoals((s) => s.goals.length > 0);
  // Default: 300 px, less in a short window (a third of it), so the canvas keeps room at 1024×700.
  const [height, setHeight] = useState(() => Number(safeGet(HEIGHT_KEY)) || Math.min(300, Math.round(window.innerHeight / 3)));
  const drag = useRef<{ y: number; h: number } | null>(null);
  // A panel is mounted the first time its tab opens and then kept, so a running training keeps its state.
  const [seen, setSeen] = useState({ code: false, train: false, inside: false, goals: false });
  useEffect(() => {
    // An effect costs one extra render the first time a tab opens; react.dev's "adjust state during render"
    // pattern would save it. Kept as it is until a test pins the panels' mount-once behaviour.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- see above
    if (open && tab !== 'summary' && !seen[tab]) setSeen((s) => ({ ...s, [tab]: true }));
  }, [open, tab, seen]);
  // A preference: when storage is refused or full the height is simply not remembered.
  useEffect(() => void safeSet(HEIGHT_KEY, String(height)), [height]);
  const onDown = (e: PointerEvent) => {
    drag.current = { y: e.clientY, h: height };
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
  };
  const onMove = (e: PointerEvent) => {
    if (drag.current) setHeight(Math.min(window.innerHeight - 160, Math.max(120, drag.current.h + drag.current.y - e.clientY)));
  };
  return (
    <section className="dock" style={{ height: open ? shown(height) : undefined }} aria-label="Summary, code, training, inside the model and goals">
      {open ? (
        <div
          className="dock__resize"
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={() => (drag.current = null)}
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize panel"
        />
      ) : null}
      <div className="dock__tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={open && tab === t.id}
            className={open && tab === t.id ? 'active' : ''}
            onClick={() => useUi.getState().setDockTab(t.id)}
          >
            {t.label}
            {t.id === 'goals' && hasGoals ? (
              <Suspense fallback={null}>
                <GoalsBadge />
              </Suspense>
            ) : null}
          </button>
        ))}
        <span className="toolbar__spacer" />
        <button type="button" className="dock__toggle" onClick={() => useUi.getState().toggleDock()} aria-label={open ? 'Collapse panel' : 'Expand panel'}>
          {open ? '▾' : '▴'}
        </button>
      </div>
      {open ? (
        <div className="dock__body" role="tabpanel">
          {/* Panels stay mounted so a running training keeps its state when the tab changes. */}
          <div hidden={tab !== 'summary'}>
            <ErrorBoundary area="the summary">
              <SummaryPanel />
            </ErrorBoundary>
          </div>
          <Suspense fallback={<p className="muted pad">Loading…</p>}>
            {seen.code ? (
              <div hidden={tab !== 'code'}>
                <ErrorBoundary area="the code panel">
                  <CodePanel />
                </ErrorBoundary>
              </div>
            ) : null}
            {seen.train ? (
              <div hidden={tab !== 'train'}>
                <ErrorBoundary area="the training panel">
                  <TrainPanel />
                </ErrorBoundary>
              </div>
            ) : null}
            {seen.inside ? (
              <div hidden={tab !== 'inside'}>
                <ErrorBoundary area="the Inside panel">
                  <InsidePanel />
                </ErrorBoundary>
              </div>
            ) : null}
            {seen.goals ? (
              <div hidden={tab !== 'goals'}>
                <ErrorBoundary area="the goals panel">
                  <GoalsPanel />
                </ErrorBoundary>
              </div>
            ) : null}
          </Suspense>
        </div>
      ) : null}
    </section>
  );
}
