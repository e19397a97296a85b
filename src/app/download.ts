/** Saving a file from the page: the one helper every download goes through (no other module needed). */

/**
 * Saves `text` (or a Blob) as a download named `fileName`, through a temporary object URL revoked a
 * second later. `type` is the MIME type of a text (default JSON).
 */
export function download(fileName: string, text: string | Blob, type = 'application/json'): void {
  const blob = typeof text === 'string' ? new Blob([text], { type }) : text;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
