/**
 * Exercise goals (issue 11): the goals of the project on the canvas, whether the Goals panel edits them (teacher) or
 * shows the checklist (student), and the last finished training run the loss goal is checked against.
 *
 * Goals are part of the project (saved, autosaved and shared with the graph: ./editorPort.ts, app/files.ts) but not
 * of the undo history: setting goals is the teacher's setup, not an edit of the model, so a student's Ctrl+Z undoes
 * model edits only and never takes a goal away (and undoing a goal change never changes the model).
 */
import { create } from 'zustand';
import type { Goal, Graph, TrainingOutcome } from '../core';
import { useEditor } from './editor';
import { sameModelAs, useTraining } from './training';

export { sameModelAs };

/** The last training run that finished with a result: the graph it trained, its final loss, whether it went non-finite. */
export interface LastRun {
  readonly graph: Graph;
  readonly loss: number | null;
  readonly nonFinite: boolean;
}

export interface GoalsState {
  readonly goals: readonly Goal[];
  /** True while the panel shows the goal editor (teacher), false for the checklist (student). */
  readonly editing: boolean;
  readonly lastRun: LastRun | null;
  /** Replaces every goal (a project was opened); the panel shows the checklist. */
  setGoals(goals: readonly Goal[]): void;
  addGoal(goal: Goal): void;
  /** Replaces goal `index` (an edit of one of its fields). */
  updateGoal(index: number, goal: Goal): void;
  removeGoal(index: number): void;
  setEditing(editing: boolean): void;
}

export const useGoals = create<GoalsState>()((set, get) => ({
  goals: [],
  editing: false,
  lastRun: null,
  setGoals(goals) {
    set({ goals, editing: false });
  },
  addGoal(goal) {
    set({ goals: [...get().goals, goal] });
  },
  updateGoal(index, goal) {
    set({ goals: get().goals.map((g, i) => (i === index ? goal : g)) });
  },
  removeGoal(index) {
    set({ goals: get().goals.filter((_, i) => i !== index) });
  },
  setEditing(editing) {
    set({ editing });
  },
}));

/**
 * The loss goal's view of the last run for the model `graph`: undefined when no run finished, else its final loss and
 * whether it trained this model (`current`: false once the model changed, other than by moving nodes).
 */
export function trainingOutcome(lastRun: LastRun | null, graph: Graph): TrainingOutcome | undefined {
  if (!lastRun) return undefined;
  return { loss: lastRun.loss, nonFinite: lastRun.nonFinite, current: sameModelAs(lastRun.graph, graph) };
}

// The Train tab starts a run with the graph on the canvas at that moment (panels/TrainPanel.tsx reads it, then sets
// status 'starting'); that graph is remembered, and the run's result is recorded against it when it arrives.
let trainedGraph: Graph | null = null;
useTraining.subscribe((s, prev) => {
  if (s.status === 'starting' && prev.status !== 'starting') trainedGraph = useEditor.getState().graph;
  if (s.result && s.result !== prev.result && trainedGraph)
    useGoals.setState({
      lastRun: {
        graph: trainedGraph,
        loss: s.result.loss,
        nonFinite: s.result.nonFinite !== undefined || (s.result.loss !== null && !Number.isFinite(s.result.loss)),
      },
    });
});
