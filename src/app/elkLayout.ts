/**
 * Runs ELK's layered layout in a Web Worker (elkjs's own worker script), so laying out a large
 * imported model never blocks the page.
 */
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { fromElk, toElk, type ElkGraph, type Graph } from '../core';

let elk: InstanceType<typeof ELK> | null = null;

/**
 * Lays the graph out top to bottom with ELK in a worker.
 * @throws (rejects) when ELK fails; callers keep the graph's current positions then.
 */
export async function elkLayout(graph: Graph): Promise<Graph> {
  elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) });
  const result = (await elk.layout(toElk(graph) as Parameters<InstanceType<typeof ELK>['layout']>[0])) as ElkGraph;
  return fromElk(graph, result);
}
