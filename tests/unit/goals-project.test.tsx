// @vitest-environment jsdom
/**
 * Exercise goals travel with the project (issue 11): the project file (version 4 `goals`), older files without
 * goals, malformed goals dropped with notes, and the share link: made by files.ts `shareLink`, opened by the page's
 * startup as a new document showing the checklist, autosaved and restored on reload with its goals.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TRAINING, parseProjectJson, PROJECT_VERSION, templateById, toProjectJson, type Goal } from '../../src/core';
import { LEAKS } from '../helpers/messages';

const GOALS: Goal[] = [
  { kind: 'params', max: 1_000_000 },
  { kind: 'merge' },
  { kind: 'outputShape', dims: [1] },
  { kind: 'kinds', allowed: ['Dense', 'Flatten', 'Dropout', 'Concatenate'] },
  { kind: 'loss', below: 0.25 },
];
const FIXTURES = join(__dirname, '../fixtures/projects');

describe('the project file', () => {
  it('writes goals (since version 4) and reads them back unchanged, without notes', () => {
    const graph = templateById('purchase-predictor')!.build();
    const text = toProjectJson({ graph, training: DEFAULT_TRAINING, goals: GOALS });
    expect(JSON.parse(text)).toMatchObject({ version: PROJECT_VERSION, goals: GOALS });
    expect(PROJECT_VERSION).toBeGreaterThanOrEqual(4); // goals came with version 4
    const r = parseProjectJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect(r.project).toEqual({ graph, training: DEFAULT_TRAINING, goals: GOALS });
    expect(r.notes).toEqual([]);
  });

  it('a project without goals writes no goals key; a version 3 file (no goals) still loads without notes', () => {
    const graph = templateById('dense-input-dim-1')!.build();
    expect(JSON.parse(toProjectJson({ graph, training: DEFAULT_TRAINING, goals: [] }))).not.toHaveProperty('goals');
    const v3 = readFileSync(join(FIXTURES, 'v3/encoder-decoder-states.layerlab.json'), 'utf8');
    const r = parseProjectJson(v3);
    if (!r.ok) throw new Error(r.reason);
    expect(r.project.goals).toBeUndefined();
    expect(r.notes).toEqual([]);
  });

  it('malformed goals are dropped with a note each; the graph and the valid goals load', () => {
    const v4 = JSON.parse(readFileSync(join(FIXTURES, 'v4/purchase-predictor-goals.layerlab.json'), 'utf8'));
    v4.goals = [{ kind: 'params', max: 'a lot' }, { kind: 'merge' }, { kind: 'outputShape', dims: [1, 'x'] }, null];
    const r = parseProjectJson(JSON.stringify(v4));
    if (!r.ok) throw new Error(r.reason);
    expect(r.project.graph.nodes).toHaveLength(12);
    expect(r.project.goals).toEqual([{ kind: 'merge' }]);
    expect(r.notes).toEqual([
      'goals.0.max: must be a number; this goal is dropped.',
      'goals.2.dims.1: must be a number or None; this goal is dropped.',
      'goals.3: not a goal (an object with a "kind"); this goal is dropped.',
    ]);
    v4.goals = 'be good';
    const r2 = parseProjectJson(JSON.stringify(v4));
    if (!r2.ok) throw new Error(r2.reason);
    expect(r2.project.goals).toBeUndefined();
    expect(r2.notes).toEqual(['goals: not a list of goals; no goals are set.']);
    for (const n of [...r.notes, ...r2.notes]) expect(n).not.toMatch(LEAKS);
  });
});

describe('the share link', () => {
  beforeEach(() => {
    vi.resetModules();
    Object.defineProperty(window, 'indexedDB', { configurable: true, writable: true, value: new IDBFactory() });
    localStorage.clear();
    sessionStorage.clear();
    history.replaceState(null, '', '/');
  });

  const load = async () => {
    const persistence = await import('../../src/app/persistence');
    const files = await import('../../src/app/files');
    const { useEditor } = await import('../../src/store/editor');
    const { useGoals } = await import('../../src/store/goals');
    const { useUi } = await import('../../src/store/ui');
    return { ...persistence, ...files, useEditor, useGoals, useUi };
  };

  it('carries the goals: the page it opens shows them as a checklist on the Goals tab, and they survive a reload', async () => {
    // The teacher's page: a model and its goals, in the goal editor.
    const teacher = await load();
    const graph = templateById('purchase-predictor')!.build();
    teacher.useEditor.getState().loadGraph(graph);
    for (const g of GOALS) teacher.useGoals.getState().addGoal(g);
    teacher.useGoals.getState().setEditing(true);
    const link = teacher.shareLink();
    expect(link).toContain('#project=');

    // The student's page opens the link.
    vi.resetModules();
    history.replaceState(null, '', link.slice(link.indexOf('#')));
    const student = await load();
    await student.startPersistence();
    expect(student.useGoals.getState().goals).toEqual(GOALS);
    expect(student.useGoals.getState().editing).toBe(false);
    expect(student.useUi.getState().dockTab).toBe('goals');
    expect(student.useUi.getState().banner).toContain('This is an exercise with 5 goals: the Goals tab checks each as you edit.');
    expect(student.useEditor.getState().graph).toEqual(graph);
    await student.getSession()!.flush();
    student.getSession()!.stop();

    // Reload: the autosaved document comes back with its goals.
    vi.resetModules();
    history.replaceState(null, '', '/');
    const reloaded = await load();
    await reloaded.startPersistence();
    expect(reloaded.useEditor.getState().graph.name).toBe(graph.name);
    expect(reloaded.useGoals.getState().goals).toEqual(GOALS);
    reloaded.getSession()!.stop();
  });

  it('Save and "Download your work" write the goals into the project file', async () => {
    const page = await load();
    page.useEditor.getState().loadGraph(templateById('siamese')!.build());
    page.useGoals.getState().setGoals([{ kind: 'shared' }]);
    const saved: Blob[] = [];
    URL.createObjectURL = (b: Blob | MediaSource) => (saved.push(b as Blob), 'blob:x');
    URL.revokeObjectURL = () => {};
    HTMLAnchorElement.prototype.click = () => {};
    page.saveProject();
    page.downloadWork();
    expect(saved).toHaveLength(2);
    for (const blob of saved) {
      const r = parseProjectJson(await blob.text());
      if (!r.ok) throw new Error(r.reason);
      expect(r.project.goals).toEqual([{ kind: 'shared' }]);
    }
  });
});
