/**
 * The code panel: the model as TypeScript for tfjs or Python for Keras, in the Sequential or the
 * Functional API, highlighted, with Copy and Download. When Sequential is impossible the panel says
 * why and names the node (a click selects it).
 */
import { useMemo, useState } from 'react';
import hljs from 'highlight.js/lib/core';
import typescript from 'highlight.js/lib/languages/typescript';
import python from 'highlight.js/lib/languages/python';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import { explainApi } from '../codegen/api';
import { generateTypeScript, usesCustomLayers } from '../codegen/typescript';
import { customLayersModuleText } from '../runtime/layers/moduleText';
import { generatePython } from '../codegen/python';

hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('python', python);

type Lang = 'typescript' | 'python';
type Form = 'sequential' | 'functional';

export function CodePanel() {
  const graph = useEditor((s) => s.graph);
  const training = useEditor((s) => s.training);
  const [lang, setLang] = useState<Lang>('typescript');
  const [formChoice, setForm] = useState<Form | null>(null);
  const api = useMemo(() => explainApi(graph), [graph]);
  // Until the user picks a form: Sequential when the graph allows it, Functional otherwise.
  const form: Form = formChoice ?? (api.sequential ? 'sequential' : 'functional');
  const result = useMemo(
    () => (lang === 'typescript' ? generateTypeScript(graph, training, form) : generatePython(graph, training, form)),
    [graph, training, form, lang],
  );
  const html = useMemo(() => (result.ok ? hljs.highlight(result.code, { language: lang }).value : ''), [result, lang]);
  if (!graph.nodes.length) return <p className="muted pad">Code for the model appears here once the canvas has layers.</p>;
  const copy = async () => {
    if (!result.ok) return;
    try {
      await navigator.clipboard.writeText(result.code);
      useUi.getState().toast('Code copied to the clipboard.', 'info');
    } catch {
      useUi.getState().toast('The browser refused clipboard access; select the code and copy it by hand.');
    }
  };
  const custom = lang === 'typescript' && usesCustomLayers(graph);
  const save = (text: string, file: string) => {
    const blob = new Blob([text], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = file;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const download = () => {
    if (!result.ok) return;
    save(result.code, `${graph.name || 'model'}_${form}.${lang === 'typescript' ? 'ts' : 'py'}`);
  };
  const select = () => api.nodeId && useEditor.getState().select({ nodes: [api.nodeId], edges: [] });
  return (
    <div className="code-panel">
      <div className="code-panel__bar">
        <div className="segmented" role="group" aria-label="Language">
          <button type="button" aria-pressed={lang === 'typescript'} onClick={() => setLang('typescript')}>
            TypeScript (tfjs)
          </button>
          <button type="button" aria-pressed={lang === 'python'} onClick={() => setLang('python')}>
            Python (Keras)
          </button>
        </div>
        <div className="segmented" role="group" aria-label="API">
          <button type="button" aria-pressed={form === 'sequential'} onClick={() => setForm('sequential')}>
            Sequential{api.sequential ? '' : ' ✕'}
          </button>
          <button type="button" aria-pressed={form === 'functional'} onClick={() => setForm('functional')}>
            Functional
          </button>
        </div>
        <span className="toolbar__spacer" />
        <button type="button" onClick={copy} disabled={!result.ok}>
          Copy
        </button>
        <button type="button" onClick={download} disabled={!result.ok}>
          Download
        </button>
        {custom ? (
          <button
            type="button"
            onClick={() => save(customLayersModuleText(), 'layerlab-layers.ts')}
            title="The Keras layers tfjs 4.22 lacks, as tfjs custom layers: the generated code imports this file"
          >
            layerlab-layers.ts
          </button>
        ) : null}
      </div>
      <p className={`code-panel__why${api.sequential ? '' : ' code-panel__why--no'}`} data-testid="api-explanation">
        {api.explanation}
        {api.nodeId ? (
          <>
            {' '}
            <button type="button" className="linklike link" onClick={select}>
              Show the layer
            </button>
          </>
        ) : null}
      </p>
      {result.ok ? (
        <pre className="code hljs" data-testid="code">
          <code dangerouslySetInnerHTML={{ __html: html }} />
        </pre>
      ) : form === 'sequential' && !api.sequential ? (
        <p className="code-panel__refused" role="status">
          No Sequential code for this model.{' '}
          <button type="button" className="linklike link" onClick={() => setForm('functional')}>
            Show the Functional code
          </button>
        </p>
      ) : (
        <p className="code-panel__refused" role="status">
          {result.reason}
        </p>
      )}
    </div>
  );
}
