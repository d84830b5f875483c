import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundTask, BackgroundTasks, post } from '../index';
import { log } from './log';

export const uploadPath = join(tmpdir(), 'express-background-tasks-upload.tmp');

async function cleanup(path: string): Promise<void> {
  await rm(path, { force: true });
  log(`removed ${path}`);
}

async function logEvent(eventId: number): Promise<void> {
  log(`event ${eventId}`);
}

/** A list of two route-level tasks, run in order after each response. */
export const submit = post(
  '/submit',
  new BackgroundTasks({
    tasks: [
      new BackgroundTask(cleanup, uploadPath),
      new BackgroundTask(logEvent, 42),
    ],
  }),
  async (req) => {
    await writeFile(uploadPath, JSON.stringify(req.body ?? {}));
    return { status: 'submitted' };
  },
);
