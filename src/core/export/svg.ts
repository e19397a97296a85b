/**
 * The diagram as a plain SVG document (File → Export → Diagram as SVG), in the spirit of Keras's `plot_model`: one
 * box per layer at its canvas position (its name; its class and key arguments; optionally each output's shape
 * and the parameter count), one curve per connection with an arrowhead, leaving a layer with several outputs from the
 * output it carries. Real SVG elements only (`rect`, `text`, `path`), no HTML inside `foreignObject`, so Inkscape,
 * Illustrator, slide software and browsers open it alike; the seed CNN's diagram is a few kilobytes. Pure.
 */
import type { Edge, Graph, LayerNode } from '../graph/types';
import { edgeOutput } from '../graph/types';
import { NODE_SIZE } from '../graph/layout';
import { formatCount } from '../format';
import { formatShape, type Category } from '../layers/define';
import { kerasClassOf, layerDef, outputNamesOf } from '../layers/registry';
import type { Analysis } from '../validate/analyze';

/** Each category's colour (the app's light theme: src/app/app.css `--cat-*`). */
const CATEGORY_COLOR: Readonly<Record<Category, string>> = {
  Input: '#344054',
  Core: '#dd6b20',
  Convolution: '#2b6cb0',
  Pooling: '#2f855a',
  Merge: '#805ad5',
  Normalization: '#718096',
  Recurrent: '#319795',
  Activation: '#c53030',
  Regularization: '#975a16',
  Preprocessing: '#b83280',
};

/** What the diagram shows. */
export interface SvgOptions {
  /** Output shapes and parameter counts under each box (Keras's plot_model show_shapes). */
  readonly shapes: boolean;
}

const LINE = 16;
const PAD = 40;

/** Text made safe for XML (element content and attribute values). */
const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A line of text shortened to about `max` characters with an ellipsis (a long name never runs out of its box). */
const fit = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A definition's key arguments for a node, or '' when its parameters cannot be read. */
function keyText(def: NonNullable<ReturnType<typeof layerDef>>, node: LayerNode): string {
  try {
    return def.keyParams(node.params);
  } catch {
    return '';
  }
}

/** The lines of one node's box: its name, its class with the key arguments, then each output's shape and the count when asked. */
function boxLines(node: LayerNode, analysis: Analysis, o: SvgOptions): { text: string; strong?: boolean; muted?: boolean }[] {
  const def = layerDef(node.kind);
  const lines: { text: string; strong?: boolean; muted?: boolean }[] = [{ text: node.name, strong: true }];
  // An Input's key text is its shape, which the shape line shows.
  const key = def && def.category !== 'Input' ? keyText(def, node) : '';
  lines.push({ text: key ? `${kerasClassOf(node)} · ${key}` : kerasClassOf(node) });
  if (o.shapes) {
    const info = analysis.nodes.get(node.id);
    const names = outputNamesOf(node);
    if (!info?.outputShape) lines.push({ text: '?', muted: true });
    else if (names.length === 1) lines.push({ text: formatShape(info.outputShape), muted: true });
    else [info.outputShape, ...info.moreOutputs].forEach((s, k) => lines.push({ text: `${names[k]} ${formatShape(s)}`, muted: true }));
    const w = info?.weights;
    if (w && w.trainable + w.nonTrainable > 0) lines.push({ text: `${formatCount(w.trainable + w.nonTrainable)} parameters`, muted: true });
  }
  return lines;
}

/**
 * The SVG document of the graph as drawn: every node at its `position` (top-left, NODE_SIZE.width wide), boxes
 * as tall as their lines, edges as cubic curves from the bottom of the source (at its k-th output for a layer with
 * several, spread across the bottom edge) to the top of the target, with arrowheads. Coordinates are shifted so
 * the drawing starts at PAD from the top-left corner. An empty graph gives a small empty document.
 */
export function diagramSvg(graph: Graph, analysis: Analysis, o: SvgOptions): string {
  const boxes = new Map<string, { x: number; y: number; w: number; h: number; lines: ReturnType<typeof boxLines>; node: LayerNode }>();
  for (const n of graph.nodes) {
    const lines = boxLines(n, analysis, o);
    boxes.set(n.id, { x: n.position.x, y: n.position.y, w: NODE_SIZE.width, h: 14 + lines.length * LINE, lines, node: n });
  }
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const b of boxes.values()) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.w);
    maxY = Math.max(maxY, b.y + b.h);
  }
  if (!boxes.size) minX = minY = maxX = maxY = 0;
  const dx = PAD - minX;
  const dy = PAD - minY;
  const width = Math.ceil(maxX - minX + 2 * PAD);
  const height = Math.ceil(maxY - minY + 2 * PAD);
  const r = (v: number) => Math.round(v * 10) / 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${xml(graph.name)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#667085"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  const inputsOf = new Map<string, Edge[]>();
  for (const e of graph.edges) if (boxes.has(e.source) && boxes.has(e.target)) inputsOf.set(e.target, [...(inputsOf.get(e.target) ?? []), e]);
  for (const e of graph.edges) {
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t) continue;
    const k = edgeOutput(e);
    const count = outputNamesOf(s.node).length;
    const x1 = s.x + dx + (s.w * (k + 1)) / (count + 1);
    const y1 = s.y + dy + s.h;
    // Input i of n enters at (i + 1) / (n + 1) of the target's width, so the order of a merge's inputs shows.
    const ins = inputsOf.get(e.target)!;
    const x2 = t.x + dx + (t.w * (ins.indexOf(e) + 1)) / (ins.length + 1);
    const y2 = t.y + dy;
    const bend = Math.max(30, Math.abs(y2 - y1) / 2);
    out.push(
      `<path d="M${r(x1)} ${r(y1)}C${r(x1)} ${r(y1 + bend)} ${r(x2)} ${r(y2 - bend)} ${r(x2)} ${r(y2 - 2)}" fill="none" stroke="#667085" stroke-width="1.5" marker-end="url(#arrow)"/>`,
    );
  }
  for (const b of boxes.values()) {
    const def = layerDef(b.node.kind);
    const color = def ? CATEGORY_COLOR[def.category] : '#98a2b3';
    const x = r(b.x + dx);
    const y = r(b.y + dy);
    out.push(`<g><rect x="${x}" y="${y}" width="${b.w}" height="${b.h}" rx="8" fill="#ffffff" stroke="${color}" stroke-width="1.5"/>`);
    out.push(`<rect x="${x}" y="${y}" width="5" height="${b.h}" rx="2" fill="${color}"/>`);
    b.lines.forEach((l, i) => {
      const attrs = l.strong ? ' font-weight="bold"' : l.muted ? ' fill="#475467"' : ' fill="#101828"';
      out.push(`<text x="${r(x + 12)}" y="${r(y + 20 + i * LINE)}"${attrs}>${xml(fit(l.text, i === 0 ? 24 : 29))}</text>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
