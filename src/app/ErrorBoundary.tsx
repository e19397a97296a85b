/**
 * Error boundaries: a crash while drawing one part of the page shows what happened in that part, with
 * "Download your work" and "Reload" (and "Try again" for a panel), instead of unmounting the app. The
 * work itself lives in the editor store, which a render crash does not touch.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { downloadWork } from './session';

/** A crash in words a user can act on: never "[object Object]" or a raw stack-overflow text. */
export function crashText(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'it ran out of stack space (the model may be nested too deeply to draw)';
  // The raw message ("Cannot read properties of undefined …") is for the console and bug reports, not the page.
  const name = error instanceof Error && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : null;
  return name ? `of an error in Layerlab itself (${name})` : 'of an unexpected error in Layerlab itself';
}

interface Props {
  /** What this boundary guards, for the message: "Layerlab", "the inspector", "the training panel". */
  readonly area: string;
  /** Whole-page boundary (Reload is the way out) or a panel (Try again redraws it). */
  readonly page?: boolean;
  /** The class of the area's own element, so the message keeps its place in the layout (e.g. "inspector"). */
  readonly slot?: string;
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
    if (!this.state.has)
      return (
        <>
          <CrashSwitch area={this.props.area} />
          {this.props.children}
        </>
      );
    const { area, page, slot } = this.props;
    const box = (
      <div className={page ? 'crash crash--page' : 'crash'} role="alert" data-testid="crash">
        <strong>{page ? 'Layerlab stopped working' : `${area[0].toUpperCase()}${area.slice(1)} stopped working`}</strong>
        <p>
          {page ? 'The page' : `Drawing ${area}`} stopped because {crashText(this.state.error)}. Your model is still in memory
          {page ? '' : ' and the rest of the page works'}; download a copy to be safe{page ? ', then reload' : ''}.
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
    return slot ? <div className={slot}>{box}</div> : box;
  }
}

/**
 * Browser tests' way to crash one area on purpose (no user can reach it): when the page was given
 * `window.__layerlabCrash = "<area>"` before it started, drawing that area throws.
 */
function CrashSwitch({ area }: { area: string }): null {
  if ((globalThis as { __layerlabCrash?: unknown }).__layerlabCrash === area) throw new Error(`a crash requested by a browser test in ${area}`);
  return null;
}
