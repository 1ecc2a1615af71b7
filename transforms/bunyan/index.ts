import ts from '#typescript';
import { walk } from '../../src/codemod/ast.js';
import { loggerSites, type LoggerFactory } from '../../src/codemod/logger-sites.js';
import type { Transform } from '../../src/codemod/types.js';

const FACTORIES: readonly LoggerFactory[] = [
  // `bunyan.createLogger(…)`, `import { createLogger }`, and `new bunyan(…)` (the module is the Logger class).
  { kind: 'bunyan.logger', module: 'bunyan', paths: [['createLogger'], []], construct: true, helper: 'helper:bunyan', wrapper: 'traceBunyan', wrap: 'result' },
];

/**
 * bunyan 1 and 2: every logger creation becomes `traceBunyan(bunyan.createLogger(options))`; the
 * helper makes the logger an instance of a traced subclass of its class, whose records carry the
 * active span's ids, and `log.child()` makes children of that subclass. A `createLogger` call on
 * something not known to be bunyan, in a project that depends on it, is warned about.
 */
export const bunyanTransform: Transform = {
  id: 'bunyan',
  description: 'bunyan loggers: the active span ids in every record, children included',
  packages: { bunyan: '^1.8.0 || ^2.0.0' },
  triggers: ['bunyan'],
  helpers: ['bunyan'],
  find(file, context) {
    const sites = loggerSites(file, FACTORIES);
    if (context.dependsOn('bunyan')) {
      const found = new Set(sites.map((s) => s.node));
      walk(file.ast, (node) => {
        if (ts.isCallExpression(node) && !found.has(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'createLogger' && /bunyan/i.test(node.expression.expression.getText(file.ast))) {
          context.warn(node, `${node.expression.getText(file.ast)}(…): not known to be bunyan's createLogger; its records do not get the trace ids`);
        }
      });
    }
    return sites;
  },
};
