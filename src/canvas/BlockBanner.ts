/**
 * After an import (a Keras / tfjs model file, or Keras / tfjs code) that kept nested models as blocks, the banner says
 * so and offers "Flatten nested models": one action (one undo step, store `flattenBlocks`) that turns every block's
 * layers into layers of the outer model, as importing with the nested models flattened would have given.
 */
import { hasBlocks, type Graph } from '../core';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';

/** The banner's action label. */
export const FLATTEN_LABEL = 'Flatten nested models';

/**
 * Shows the import's banner: `notes` (what the import changed, or null for nothing; `items` listed under it, one per
 * line) and, when `graph` has blocks, a sentence naming its nested models with the Flatten action. Nothing is shown
 * when there are neither.
 */
export function showImportBanner(graph: Graph, notes: string | null, items: readonly string[] = []): void {
  const ui = useUi.getState();
  if (!hasBlocks(graph)) {
    if (notes) ui.setBanner(notes, [], 'info', items);
    return;
  }
  const used = new Set(graph.nodes.map((n) => n.block));
  const models = (graph.blocks ?? []).filter((b) => !b.callOf && used.has(b.id));
  const calls = (graph.blocks ?? []).filter((b) => used.has(b.id)).length;
  const names = models
    .slice(0, 3)
    .map((b) => `'${b.name}'`)
    .join(', ');
  const more = models.length > 3 ? ` and ${models.length - 3} more` : '';
  const callText = calls > models.length ? `, called ${calls} times in all` : '';
  const blocks = `The model uses ${models.length} nested model${models.length === 1 ? '' : 's'} (${names}${more}${callText}), kept as blocks: each is drawn as one node. Flatten them to edit their layers as layers of the outer model.`;
  // With listed notes their headline ("Opened … with 3 notes:") goes last, just above the list.
  const text = notes ? (items.length ? `${blocks} ${notes}` : `${notes} ${blocks}`) : blocks;
  ui.setBanner(
    text,
    [
      {
        label: FLATTEN_LABEL,
        run: () => {
          useEditor.getState().flattenBlocks();
          useUi.getState().setBanner(null);
          useUi
            .getState()
            .toast(
              `Flattened ${models.length} nested model${models.length === 1 ? '' : 's'}: their layers are layers of the outer model now (Undo brings the blocks back).`,
              'info',
            );
        },
      },
    ],
    'info',
    items,
  );
}
