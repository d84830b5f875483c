export { runAfterResponse } from './lib/after-response';
export type { Background } from './lib/background';
export { AbandonedError, OverloadError, TimeoutError } from './lib/errors';
export type { PathParams, RoutePath } from './lib/path-params';
export type {
  ErrorHook,
  RequestInfo,
  TaskErrorInfo,
} from './lib/report';
export {
  file,
  html,
  json,
  redirect,
  RouteResponse,
  stream,
  text,
  type HeaderValue,
  type ResponseOptions,
  type ResponseSetup,
} from './lib/responses';
export type {
  RouteContext,
  RouteHandler,
  RouteOptions,
} from './lib/route-definition';
export {
  all,
  del,
  get,
  head,
  options,
  patch,
  post,
  put,
  routes,
  type RouteHelper,
} from './lib/routes';
export type {
  DrainOptions,
  DrainResult,
  Reservation,
  RunnerStats,
  TaskRunner,
} from './lib/runner';
export { configure, drain, stats } from './lib/runner-api';
export {
  closeGracefully,
  type CloseGracefullyOptions,
  type CloseGracefullyResult,
} from './lib/shutdown';
export { shutdownSignal } from './lib/shutdown-signal';
export type { RunnerOptions, RunnerSettings } from './lib/settings';
export { BackgroundTask, type TaskFunction } from './lib/task';
export { BackgroundTasks, type BackgroundTasksOptions } from './lib/task-list';
export { taskSignal } from './lib/task-scope';
