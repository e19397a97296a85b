// @vitest-environment jsdom
/**
 * The Export menu's two Keras JSON entries: "Keras 3 JSON (keras.models.model_from_json)" downloads the Keras
 * 3 form, "Keras 2 / tfjs JSON" the Keras 2 form tfjs reads; a graph with errors downloads nothing and the
 * toast names the problem.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { FileMenu } from '../../src/app/FileMenu';
import { useEditor } from '../../src/store/editor';
import { useUi } from '../../src/store/ui';
import { exportKeras3Json, exportKerasJson, templateById } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { LEAKS } from '../helpers/messages';

/** What the page downloaded: file name and text. */
const downloads: { name: string; text: Promise<string> }[] = [];
let lastBlob: Blob | null = null;
beforeEach(() => {
  downloads.length = 0;
  URL.createObjectURL = (b: Blob | MediaSource) => ((lastBlob = b as Blob), 'blob:x');
  URL.revokeObjectURL = () => {};
  HTMLAnchorElement.prototype.click = function () {
    downloads.push({ name: this.download, text: lastBlob!.text() });
  };
});
afterEach(cleanup);

const menu = () =>
  render(
    <ReactFlowProvider>
      <FileMenu />
    </ReactFlowProvider>,
  );

describe('Export ▾ → Keras JSON in either form', () => {
  it('each entry downloads its own form of the model on the canvas', async () => {
    const graph = templateById('siamese')!.build();
    useEditor.getState().loadGraph(graph);
    menu();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Keras 3 JSON (keras.models.model_from_json)' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Keras 2 / tfjs JSON' }));
    await waitFor(() => expect(downloads).toHaveLength(2));
    const [k3, k2] = downloads;
    const want3 = exportKeras3Json(graph);
    const want2 = exportKerasJson(graph);
    if (!want3.ok || !want2.ok) throw new Error('the siamese template does not export');
    expect([k3.name, await k3.text]).toEqual(['siamese.keras3.json', want3.json]);
    expect([k2.name, await k2.text]).toEqual(['siamese.keras.json', want2.json]);
    expect(want3.json).not.toEqual(want2.json);
  });

  it('a graph with errors: nothing is downloaded and the toast says which form and which problem', async () => {
    const bad = buildGraph('bad', (b) => {
      const x = b.add('Input', { shape: [4] }, 'x');
      b.add('Conv2D', { filters: 2, kernel_size: [3, 3] }, 'conv', [x]);
    });
    useEditor.getState().loadGraph(bad);
    menu();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Keras 3 JSON (keras.models.model_from_json)' }));
    const toast = () => useUi.getState().toasts.at(-1)?.text ?? '';
    await waitFor(() => expect(toast()).toContain('Keras 3 JSON was not exported'));
    expect(toast()).toMatch(/^Keras 3 JSON was not exported: Fix the problem first: .*'conv'/);
    expect(toast()).not.toMatch(LEAKS);
    expect(downloads).toEqual([]);
  });
});
