import { setTimeout as delay } from 'node:timers/promises';
import { BackgroundTask, get } from '../index';
import { log } from './log';

async function notifyUser(email: string): Promise<void> {
  await delay(20); // stands in for the mail server
  log(`notified ${email}`);
}

/** A route-level task: every response of this route schedules it. */
export const sendNotification = get(
  '/send-notification',
  new BackgroundTask(notifyUser, 'user@example.com'),
  () => ({ message: 'Scheduled' }),
);
