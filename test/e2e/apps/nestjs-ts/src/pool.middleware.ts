import { Injectable, NestMiddleware } from '@nestjs/common';

// A callback-based "connection pool" as older drivers have: callbacks run from a timer created
// at start-up, so they lose the request's async context.
const waiting: (() => void)[] = [];
setInterval(() => {
  for (const callback of waiting.splice(0)) callback();
}, 5).unref();

@Injectable()
export class PoolMiddleware implements NestMiddleware {
  use(req: unknown, res: unknown, next: () => void): void {
    waiting.push(() => next());
  }
}
