import express, { type ErrorRequestHandler, type Router } from 'express';
import { configure, drain, type TaskErrorInfo } from '../../index';

/** An app with JSON bodies and an error handler that answers 500 `{ error }`. */
export function appWith(...routers: Router[]): express.Express {
  const app = express();
  app.use(express.json());
  for (const router of routers) app.use(router);
  const answerError: ErrorRequestHandler = (error: Error, _req, res, next) => {
    if (res.headersSent) return next(error);
    res.status(500).json({ error: error.message });
  };
  app.use(answerError);
  return app;
}

export interface ReportedError {
  error: unknown;
  info: TaskErrorInfo;
}

/**
 * Collects what `onError` hears during each test, and waits for every
 * task after it, so no test sees another's tasks.
 */
export function recordTaskErrors(): ReportedError[] {
  const reported: ReportedError[] = [];
  beforeEach(async () => {
    await drain();
    reported.length = 0;
    configure({ onError: (error, info) => reported.push({ error, info }) });
  });
  afterEach(async () => {
    await drain();
    configure({
      onError: undefined,
      concurrency: undefined,
      maxPending: undefined,
      timeout: undefined,
    });
  });
  return reported;
}

/** A promise with its resolve function, for tasks a test lets go of. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
} {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
