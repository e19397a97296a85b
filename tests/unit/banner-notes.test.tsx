/**
 * The import banner lists an import's notes one per line under its headline (the workspace's Banner, src/app/App.tsx),
 * instead of running them together in one paragraph cut after three; Dismiss clears the list with the text.
 */
// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Banner } from '../../src/app/App';
import { importKerasJson } from '../../src/core';
import { importNotesText } from '../../src/app/files';
import { showImportBanner } from '../../src/canvas/BlockBanner';
import { useUi } from '../../src/store/ui';
import { buildGraph } from '../../src/core/templates/build';

afterEach(() => {
  cleanup();
  useUi.getState().setBanner(null);
});

const chain = () =>
  buildGraph('m', (b) => {
    b.add('Dense', { units: 2 }, 'd', [b.add('Input', { shape: [3] }, 'x')]);
  });

describe('import notes in the banner', () => {
  it('every note is its own list item under the headline, the fifth too', () => {
    const notes = ['first note.', 'second note.', 'third note.', 'fourth note.', 'fifth note.'];
    act(() => showImportBanner(chain(), importNotesText('pasted code', notes), notes));
    render(<Banner />);
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('Opened pasted code with 5 notes:');
    expect([...status.querySelectorAll('li')].map((li) => li.textContent)).toEqual(notes);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(useUi.getState().bannerItems).toEqual([]);
    expect(screen.queryByRole('status')).toBeNull();
  });
  it('with nested models kept as blocks, the notes are listed too, under the sentence about the blocks', () => {
    const file = readFileSync(join(__dirname, '../fixtures/keras/keras3_nested_calls.json'), 'utf8');
    const r = importKerasJson(file);
    if (!r.ok) throw new Error(r.reason);
    act(() => showImportBanner(r.graph, importNotesText('m.json', ['a note.', 'another note.']), ['a note.', 'another note.']));
    render(<Banner />);
    const status = screen.getByRole('status');
    expect(status.querySelector('span')!.textContent).toMatch(/^The model uses \d+ nested models? .* Opened m\.json with 2 notes:$/);
    expect([...status.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['a note.', 'another note.']);
    expect(screen.getByRole('button', { name: 'Flatten nested models' })).toBeTruthy();
  });
  it('a banner without items is one line of text, as before', () => {
    act(() => useUi.getState().setBanner('Saved work could not be read.', [], 'warn'));
    render(<Banner />);
    expect(screen.getByRole('status').querySelector('ul')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('Saved work could not be read.');
  });
});
