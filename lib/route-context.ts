import type { Response } from 'express';
import { type Background, tasksOf } from './background';
import type { RouteContext, RouteDefinition } from './route-definition';
import { BackgroundTasks } from './task-list';

/** The `ctx` of one request. Its task list is made only if asked for. */
export class RequestContext implements RouteContext {
  #background: BackgroundTasks | undefined;

  constructor(
    readonly res: Response,
    private readonly route: RouteDefinition,
  ) {}

  get background(): BackgroundTasks {
    this.#background ??= new BackgroundTasks({
      tasks: tasksOf(this.route.background),
    });
    return this.#background;
  }

  /**
   * Everything this request will run, in order: the route's tasks and
   * those the handler added, then the response's. A list that is already
   * in counts once.
   */
  backgroundWith(response: Background | undefined): Background[] {
    const own = this.#background ?? this.route.background;
    const sources: Background[] = own === undefined ? [] : [own];
    const alreadyIn =
      response === undefined ||
      response === own ||
      response === this.route.background;
    if (!alreadyIn) sources.push(response);
    return sources;
  }
}
