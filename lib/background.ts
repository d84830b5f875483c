import { expectationError } from './describe';
import { BackgroundTask } from './task';
import { BackgroundTasks } from './task-list';

/** What can be attached to a route, a response or `runAfterResponse`. */
export type Background = BackgroundTask | BackgroundTasks;

export function isBackground(value: unknown): value is Background {
  return value instanceof BackgroundTask || value instanceof BackgroundTasks;
}

export function assertBackground(name: string, value: unknown): void {
  if (!isBackground(value)) {
    throw expectationError(
      name,
      'a BackgroundTask or BackgroundTasks',
      value,
    );
  }
}

const noTasks: readonly BackgroundTask[] = Object.freeze([]);

export function tasksOf(
  background: Background | undefined,
): readonly BackgroundTask[] {
  if (background === undefined) return noTasks;
  if (background instanceof BackgroundTask) return [background];
  return background.tasks;
}
