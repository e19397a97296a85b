/** The autosave's state in the toolbar: "Saved", "Saving…", or "Not saved: <why>" with a download. */
import { useUi } from '../store/ui';
import { downloadWork } from './session';
import './persistence.css';

const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function SaveState() {
  const s = useUi((u) => u.saveState);
  const others = useUi((u) => u.otherTabs);
  const also = others > 0 ? ` · also open in ${others === 1 ? 'another tab' : `${others} other tabs`}` : '';
  if (s.status === 'idle')
    return (
      <span className="save-state" data-testid="save-state" title="Changes are saved in this browser as you go">
        <span className="save-state__dot" /> Nothing to save yet{also}
      </span>
    );
  if (s.status === 'saving')
    return (
      <span className="save-state save-state--saving" data-testid="save-state">
        <span className="save-state__dot" /> Saving…
      </span>
    );
  if (s.status === 'saved')
    return (
      <span className="save-state" data-testid="save-state" title={`Saved in this browser's ${s.where} at ${time.format(s.at)}${s.note ? ` (${s.note})` : ''}`}>
        <span className="save-state__dot" /> Saved{also}
      </span>
    );
  const why = `Not saved: ${s.reason}. The next change tries again.`;
  return (
    <span className="save-state save-state--failed" data-testid="save-state" role="alert" title={why}>
      <span className="save-state__dot" />
      <strong>Not saved:</strong>
      <span className="save-state__why">{s.reason}</span>
      <span className="visually-hidden">. The next change tries again.</span>
      <button type="button" onClick={downloadWork}>
        Download a copy
      </button>
    </span>
  );
}
