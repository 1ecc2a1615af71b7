import ts from '#typescript';
import { callExpressions, isWrappedBy, wrapEdits } from '../../src/codemod/ast.js';
import { refersTo } from '../../src/codemod/bindings.js';
import { isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { FoundSite, Transform } from '../../src/codemod/types.js';
import { instanceVariable } from '../express/instances.js';
import { applicationFacts, findControllerRoutes } from './routes.js';

const WRAPPER = 'instrumentNest';

/**
 * NestJS 10 to 12: every `NestFactory.create(AppModule[, adapter][, options])` becomes
 * `instrumentNest(NestFactory.create(…))`, which instruments the adapter's own Express or
 * Fastify instance before Nest registers any route, and watches the exceptions Nest's filters
 * handle. Controllers' routes (`@Controller` + `@Get`, …) are reported as `nestjs.route`
 * inventory sites; the application's global prefix and URI versioning as facts of `nestjs.app`.
 */
export const nestjsTransform: Transform = {
  id: 'nestjs',
  description: 'NestJS applications (Express and Fastify adapters): SERVER span per route with the full template, exceptions as the filters answer them',
  packages: { '@nestjs/core': '^10.0.0 || ^11.0.0 || ^12.0.0' },
  triggers: ['@nestjs/'],
  helpers: ['nestjs'],
  find(file) {
    const sites: FoundSite[] = [];
    for (const call of callExpressions(file.ast)) {
      if (!refersTo(file, call.expression, '@nestjs/core', ['NestFactory', 'create'])) continue;
      const root = rootIdentifier(call.expression);
      if (root && isShadowed(call, root.text)) continue;
      const facts = { instance: instanceVariable(awaited(call), [WRAPPER])?.name, ...applicationFacts(file, call) };
      if (isWrappedBy(call, [WRAPPER])) {
        sites.push({ node: call, site: { kind: 'nestjs.app', instrumented: true, facts } });
        continue;
      }
      sites.push({
        node: call,
        site: { kind: 'nestjs.app', instrumented: false, facts },
        plan: {
          edits: wrapEdits(file.ast, call, WRAPPER),
          imports: [{ from: 'helper:nestjs', name: WRAPPER }],
        },
      });
    }
    sites.push(...findControllerRoutes(file));
    return sites;
  },
};

/** `await NestFactory.create(…)` (through the wrapper): the expression the variable is assigned. */
function awaited(call: ts.CallExpression): ts.Expression {
  let node: ts.Expression = call;
  while (ts.isParenthesizedExpression(node.parent) || (ts.isCallExpression(node.parent) && ts.isIdentifier(node.parent.expression) && node.parent.expression.text === WRAPPER)) node = node.parent;
  return ts.isAwaitExpression(node.parent) ? node.parent : node;
}
