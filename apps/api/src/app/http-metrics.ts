import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '@rehearse/server/core';

/**
 * Times every request that reached a route (the route's pattern is the label, so ids never become
 * labels), from the first middleware to the last byte: guards' refusals included. A middleware
 * rather than a Nest interceptor: an interceptor wraps every handler in an observable and an async
 * resource, a cost each request paid for one histogram sample.
 */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      if (typeof route === 'string') end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
