// Type tests: `npm test` compiles this file; a wrong type fails the build.
import {
  BackgroundTask,
  BackgroundTasks,
  get,
  json,
  runAfterResponse,
} from '../../index';
import { type Equal, expectTrue } from './equal';

async function sendEmail(to: string, subject: string): Promise<void> {
  void to;
  void subject;
}

function logEvent(eventId: number): number {
  return eventId;
}

new BackgroundTask(sendEmail, 'ada@example.com', 'Welcome');
new BackgroundTask(logEvent, 42);

// @ts-expect-error: a number where a string is expected
new BackgroundTask(sendEmail, 42, 'Welcome');
// @ts-expect-error: a missing argument
new BackgroundTask(sendEmail, 'ada@example.com');
// @ts-expect-error: an argument too many
new BackgroundTask(logEvent, 42, 'extra');
// @ts-expect-error: a task needs a function
new BackgroundTask('sendEmail');

const list = new BackgroundTasks();
list.addTask(sendEmail, 'ada@example.com', 'Welcome').addTask(logEvent, 1);
list.addTask(new BackgroundTask(logEvent, 2));
// @ts-expect-error: a string where a number is expected
list.addTask(logEvent, '42');
// @ts-expect-error: a missing argument
list.addTask(sendEmail, 'ada@example.com');

// @ts-expect-error: the list is read-only
list.tasks.push(new BackgroundTask(logEvent, 3));

expectTrue<
  Equal<ReturnType<BackgroundTask<[number], number>['run']>, Promise<number>>
>();
expectTrue<
  Equal<ReturnType<BackgroundTask<[], Promise<string>>['run']>, Promise<string>>
>();

get('/register/:email', (req, ctx) => {
  ctx.background.addTask(sendEmail, req.params.email, 'Welcome');
  // @ts-expect-error: ctx.background checks arguments too
  ctx.background.addTask(sendEmail, req.params.email);
  return json({ ok: true }, new BackgroundTask(logEvent, 7));
});

get('/plain', (_req, ctx) => {
  runAfterResponse(ctx.res, list);
  // @ts-expect-error: a function is no task
  runAfterResponse(ctx.res, logEvent);
});

// @ts-expect-error: the background must be a task or a list
get('/wrong', 'nope', () => 1);
