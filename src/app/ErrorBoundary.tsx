/**
 * Error boundaries: a crash while drawing one part of the page shows what happened in that part, with
 * "Download your work" and "Reload" (and "Try again" for a panel), instead of unmounting the app. The
 * work itself lives in the editor store, which a render crash does not touch.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { downloadWork } from './persistence';

/** A crash in words a user can act on: never "[object Object]" or a raw stack-overflow text. */
export function crashText(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'it ran out of stack space (the model may be nested too deeply to draw)';
  if (error instanceof Error) {
    const m = error.message.trim().replace(/\s+/g, ' ');
    return m ? `${error.name}: ${m.length > 200 ? `${m.slice(0, 200)}…` : m}` : error.name;
  }
  if (typeof error === 'string' && error.trim()) return error.trim().slice(0, 200);
  return 'an unexpected error';
}

interface Props {
  /** What this boundary guards, for the message: "Layerlab", "the inspector", "the training panel". */
  readonly area: string;
  /** Whole-page boundary (Reload is the way out) or a panel (Try again redraws it). */
  readonly page?: boolean;
  readonly children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: unknown; has: boolean }> {
  state = { error: null as unknown, has: false };

  static getDerivedStateFromError(error: unknown) {
    return { error, has: true };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Layerlab: ${this.props.area} crashed`, error, info.componentStack);
  }

  render() {
    if (!this.state.has) return this.props.children;
    const { area, page } = this.props;
    return (
      <div className={page ? 'crash crash--page' : 'crash'} role="alert" data-testid="crash">
        <strong>{page ? 'Layerlab stopped working' : `${area[0]!.toUpperCase()}${area.slice(1)} stopped working`}</strong>
        <p>
          {page ? 'The page' : `Drawing ${area}`} failed because {crashText(this.state.error)}. Your model is still in memory and
          {page ? ' autosaved;' : ' the rest of the page works;'} download a copy to be safe.
        </p>
        <div className="crash__actions">
          <button type="button" onClick={downloadWork}>
            Download your work
          </button>
          {page ? null : (
            <button type="button" onClick={() => this.setState({ error: null, has: false })}>
              Try again
            </button>
          )}
          <button type="button" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </div>
    );
  }
}
