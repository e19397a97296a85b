/**
 * The TypeScript / JavaScript import worker (a module Web Worker): answers `CodeImportRequest`s with one
 * `CodeImportMessage` 'result' each (types.ts). Before any user code runs, the worker takes away what could reach the
 * network or storage (fetch, XMLHttpRequest, WebSocket, EventSource, importScripts, indexedDB, caches); it has no
 * access to the page. An endless loop is stopped by the client, which terminates the worker after 10 s.
 */
import type { CodeImportMessage, CodeImportRequest } from '../types';
import { runTypeScriptImport } from './run';
import { lockDown } from './sandbox';

lockDown(self);

self.onmessage = async (event: MessageEvent<CodeImportRequest>) => {
  const { id, language, code } = event.data;
  const reply = (m: CodeImportMessage) => (self as unknown as { postMessage(m: CodeImportMessage): void }).postMessage(m);
  if (language !== 'typescript') {
    reply({ id, type: 'result', result: { ok: false, reason: `This worker reads TypeScript and JavaScript, not ${String(language)}.` } });
    return;
  }
  try {
    reply({ id, type: 'result', result: await runTypeScriptImport(code) });
  } catch (e) {
    reply({ id, type: 'result', result: { ok: false, reason: `The import failed: ${e instanceof Error ? e.message : 'an unexpected error'}.` } });
  }
};
