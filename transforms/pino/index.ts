import ts from '#typescript';
import { walk } from '../../src/codemod/ast.js';
import { loggerSites, type LoggerFactory } from '../../src/codemod/logger-sites.js';
import type { Transform } from '../../src/codemod/types.js';

const HELPER = 'helper:pino';

const FACTORIES: readonly LoggerFactory[] = [
  // `pino()`, `pino.pino()`, `pino.default()`, `import { pino }`, `require('pino')()`.
  { kind: 'pino.logger', module: 'pino', paths: [[], ['pino']], helper: HELPER, wrapper: 'tracePino', wrap: 'callee' },
  // pino-http makes its logger with `pino(options, stream)` unless given one (`logger`), made by a `pino()` of its own.
  { kind: 'pino.http', module: 'pino-http', paths: [[], ['pinoHttp']], helper: HELPER, wrapper: 'tracePinoHttp', wrap: 'callee' },
];

/**
 * pino 8 to 10 and pino-http: every logger creation goes through the helper with the same
 * arguments, `tracePino(pino)(options, destination)`, `tracePinoHttp(pinoHttp)(options)`, which
 * compose pino's `mixin` option with the user's: each line written while a span is active carries
 * its ids (child loggers inherit the mixin). A call of a `pino` that is not the package's is warned about.
 */
export const pinoTransform: Transform = {
  id: 'pino',
  description: 'pino and pino-http loggers: the active span ids in every line (a mixin composed with yours)',
  packages: { pino: '^8.0.0 || ^9.0.0 || ^10.0.0', 'pino-http': '^10.0.0 || ^11.0.0' },
  triggers: ['pino'],
  helpers: ['pino'],
  find(file, context) {
    const sites = loggerSites(file, FACTORIES);
    if (context.dependsOn('pino') || context.dependsOn('pino-http')) {
      const found = new Set(sites.map((s) => s.node));
      walk(file.ast, (node) => {
        if (ts.isCallExpression(node) && !found.has(node) && ts.isIdentifier(node.expression) && /^pino(Http)?$/.test(node.expression.text) && !file.bindings.has(node.expression.text)) {
          context.warn(node, `${node.expression.text}(…): not known to be the ${node.expression.text === 'pino' ? 'pino' : 'pino-http'} package's function; its logger does not get the trace ids`);
        }
      });
    }
    return sites;
  },
};
