import { BackgroundTask, BackgroundTasks, json, post } from '../index';
import { log } from './log';

function sendEmail(to: string): void {
  log(`email sent to ${to}`);
}

function logEvent(event: string): void {
  log(`event ${event}`);
}

/** Tasks carried by the returned response, made from the request. */
export const register = post('/register', (req) => {
  const email: unknown = req.body?.email;
  if (typeof email !== 'string' || !email.includes('@')) {
    return json({ error: 'email is required' }, { status: 400 });
  }
  const tasks = new BackgroundTasks({
    tasks: [
      new BackgroundTask(sendEmail, email),
      new BackgroundTask(logEvent, 'user_registered'),
    ],
  });
  return json({ registered: email }, tasks);
});
