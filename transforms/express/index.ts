import type ts from '#typescript';
import { callExpressions, isWrappedBy, wrapEdits } from '../../src/codemod/ast.js';
import type { FoundSite, Transform } from '../../src/codemod/types.js';
import { factoryKind, instanceVariable, WRAPPERS, type Instance } from './instances.js';
import { findRoutes } from './routes.js';

/**
 * Express 4 and 5: every app creation (`express()`) becomes `instrumentExpress(express())` and
 * every router (`express.Router()`, `Router()`) `instrumentRouter(express.Router())`, whatever
 * the import style. The helpers wrap the handlers registered afterwards: one SERVER span per
 * request, named after the full route template with every mount path. Route registrations
 * visible in the file are reported as `express.route` inventory sites.
 */
export const expressTransform: Transform = {
  id: 'express',
  description: 'Express apps and routers: SERVER span per request, full route with mount paths, errors with causes',
  packages: { express: '^4.17.0 || ^5.0.0' },
  triggers: ['express'],
  helpers: ['express'],
  find(file) {
    const sites: FoundSite[] = [];
    const calls = callExpressions(file.ast);
    const instances = new Map<ts.Node, Instance>();
    for (const call of calls) {
      const kind = factoryKind(file, call);
      if (!kind) continue;
      const variable = instanceVariable(call);
      const instance = variable?.name;
      if (variable) instances.set(variable.declaration, { ...variable, kind });
      const wrapper = WRAPPERS[kind];
      const site = { kind: `express.${kind}`, facts: { instance } };
      if (isWrappedBy(call, [wrapper])) {
        sites.push({ node: call, site: { ...site, instrumented: true } });
        continue;
      }
      sites.push({
        node: call,
        site: { ...site, instrumented: false },
        plan: {
          edits: wrapEdits(file.ast, call, wrapper),
          imports: [{ from: 'helper:express', name: wrapper }],
        },
      });
    }
    sites.push(...findRoutes(file, calls, instances));
    return sites;
  },
};
