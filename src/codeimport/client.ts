/**
 * The page's handle on the code-import workers (src/codeimport/types.ts is the protocol). Each language has its own
 * module worker, created on the first import in that language (so neither Pyodide nor sucrase is in the page until
 * code is imported), running one request at a time; a run that takes too long is stopped by terminating its worker.
 */
import type { CodeImportMessage, CodeImportRequest, CodeImportResult, CodeLanguage } from './types';

/** What the client needs of a Worker (a real one, or a fake in tests). */
export interface CodeWorkerLike {
  postMessage(message: CodeImportRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<CodeImportMessage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror?: ((event: MessageEvent) => void) | null;
}

/** Longest a run of the user's code may take, in milliseconds, once its engine has loaded. */
export const RUN_LIMIT_MS = 10_000;
/** Longest gap between two loading progress messages (Pyodide's first load), in milliseconds. */
export const LOAD_LIMIT_MS = 60_000;

/** The reason given when a run exceeded its limit of `ms` milliseconds. */
export const timeoutReason = (ms: number): string => `The code ran for more than ${ms / 1000} s and was stopped (an endless loop?).`;
/** The reason given when a run exceeded RUN_LIMIT_MS. */
export const TIMEOUT_REASON = timeoutReason(RUN_LIMIT_MS);

/** Progress while an engine loads: a stage to show ("Loading Python…") and, when known, a fraction 0…1. */
export type CodeImportProgress = (stage: string, fraction?: number) => void;

const LANGUAGE_NAME: Readonly<Record<CodeLanguage, string>> = { python: 'Python', typescript: 'TypeScript' };

/** The real workers; Vite bundles each as its own module worker chunk. */
function createModuleWorker(language: CodeLanguage): CodeWorkerLike {
  return language === 'python'
    ? new Worker(new URL('./python/worker.ts', import.meta.url), { type: 'module' })
    : new Worker(new URL('./typescript/worker.ts', import.meta.url), { type: 'module' });
}

/** Options of `createCodeImporter` (tests pass a fake worker and short limits). */
export interface CodeImporterOptions {
  readonly createWorker?: (language: CodeLanguage) => CodeWorkerLike;
  readonly runLimitMs?: number;
  readonly loadLimitMs?: number;
}

/** A function that imports code; see `importCode`. */
export type CodeImporter = (language: CodeLanguage, code: string, onProgress?: CodeImportProgress) => Promise<CodeImportResult>;

/**
 * An importer with its own workers (one per language, created lazily, replaced after a timeout or a crash).
 * Requests in one language queue: the next is sent when the previous one settled. Never rejects.
 */
export function createCodeImporter(options: CodeImporterOptions = {}): CodeImporter {
  const make = options.createWorker ?? createModuleWorker;
  const runLimit = options.runLimitMs ?? RUN_LIMIT_MS;
  const loadLimit = options.loadLimitMs ?? LOAD_LIMIT_MS;
  const workers = new Map<CodeLanguage, CodeWorkerLike>();
  const queues = new Map<CodeLanguage, Promise<unknown>>();
  let nextId = 1;

  const run = (language: CodeLanguage, code: string, onProgress?: CodeImportProgress): Promise<CodeImportResult> =>
    new Promise<CodeImportResult>((resolve) => {
      const id = nextId++;
      const name = LANGUAGE_NAME[language];
      let worker = workers.get(language);
      if (!worker) {
        try {
          worker = make(language);
        } catch (e) {
          resolve({ ok: false, reason: `The ${name} engine could not be started: ${messageOf(e)}` });
          return;
        }
        workers.set(language, worker);
      }
      const w = worker;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let loading = false;
      const finish = (result: CodeImportResult, kill: boolean) => {
        clearTimeout(timer);
        w.onmessage = null;
        w.onerror = null;
        if (w.onmessageerror !== undefined) w.onmessageerror = null;
        if (kill) {
          w.terminate();
          if (workers.get(language) === w) workers.delete(language);
        }
        resolve(result);
      };
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(
          () =>
            finish(
              loading
                ? { ok: false, reason: `The ${name} engine did not finish loading (no progress for ${ms / 1000} s) and was stopped; try again.` }
                : { ok: false, reason: timeoutReason(ms) },
              true,
            ),
          ms,
        );
      };
      w.onmessage = (event) => {
        const m = event.data;
        if (!m || m.id !== id) return;
        if (m.type === 'progress') {
          // Loading (a fraction below 1) is allowed LOAD_LIMIT_MS between messages; any other progress (loaded,
          // running) starts the run limit afresh: the user's code gets its full RUN_LIMIT_MS after the engine loaded.
          loading = typeof m.fraction === 'number' && m.fraction < 1;
          arm(loading ? loadLimit : runLimit);
          onProgress?.(m.stage, m.fraction);
          return;
        }
        if (m.type === 'result') finish(m.result, false);
      };
      w.onerror = (event) => {
        event.preventDefault?.();
        const why = event.message ? `: ${event.message}` : '';
        finish({ ok: false, reason: `The ${name} engine stopped unexpectedly${why}. Nothing was changed; try again.` }, true);
      };
      w.onmessageerror = () => finish({ ok: false, reason: `The ${name} engine sent an answer the page could not read. Nothing was changed.` }, true);
      arm(runLimit);
      try {
        w.postMessage({ id, language, code });
      } catch (e) {
        finish({ ok: false, reason: `The code could not be sent to the ${name} engine: ${messageOf(e)}` }, true);
      }
    });

  return (language, code, onProgress) => {
    const before = queues.get(language) ?? Promise.resolve();
    const mine = before.then(() => run(language, code, onProgress));
    queues.set(
      language,
      mine.catch(() => undefined),
    );
    return mine;
  };
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

let shared: CodeImporter | null = null;

/**
 * Imports Keras Python or tfjs TypeScript / JavaScript code off the main thread: runs it in the language's worker
 * against a recording stand-in of Keras or `tf` and resolves with the model as a graph (or why there is none).
 * The worker is created on the first call for its language and kept for the next ones. One request at a time per
 * worker (later calls wait their turn). A run longer than RUN_LIMIT_MS (10 s) is stopped by terminating the worker
 * and gives `{ ok: false, reason: TIMEOUT_REASON }`; the next import starts a fresh worker. Python's first run loads
 * Pyodide first: the worker reports that with `progress` messages (passed to `onProgress`), and the 10 s limit
 * starts after the last of them — a progress with a fraction below 1 means "still loading" and allows LOAD_LIMIT_MS
 * (60 s) until the next one. A worker that crashes gives a reason naming the engine. Never rejects.
 */
export function importCode(language: CodeLanguage, code: string, onProgress?: CodeImportProgress): Promise<CodeImportResult> {
  shared ??= createCodeImporter();
  return shared(language, code, onProgress);
}

/**
 * The language pasted code is most likely in: TypeScript / JavaScript when it imports or requires tfjs, uses `tf.`
 * model builders, `const` / `let` declarations or `=>`; Python otherwise (Keras code, and the default).
 */
export function guessLanguage(code: string): CodeLanguage {
  if (/@tensorflow\/tfjs|\btf\.(sequential|model|input|layers\.[a-z])|^\s*(const|let|var)\s|=>|;\s*$/m.test(code)) return 'typescript';
  return 'python';
}
