/** How many routes the app-size servers hold; requests hit the last one. */
export const routeCount = 100;

/** The path of the last route, the one every request of that suite hits. */
export const lastRoutePath = `/r${routeCount - 1}`;
