import ts from '#typescript';
import { walk } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { loggerSites, type LoggerFactory } from '../../src/codemod/logger-sites.js';
import type { Transform } from '../../src/codemod/types.js';

const FACTORIES: readonly LoggerFactory[] = [
  { kind: 'winston.logger', module: 'winston', paths: [['createLogger']], helper: 'helper:winston', wrapper: 'traceWinston', wrap: 'result' },
];

/** Uses of winston's default logger and of its containers: loggers made where the helper cannot wrap them. */
const UNWRAPPED: Record<string, string> = {
  log: 'the default logger',
  error: 'the default logger',
  warn: 'the default logger',
  info: 'the default logger',
  http: 'the default logger',
  verbose: 'the default logger',
  debug: 'the default logger',
  silly: 'the default logger',
  configure: 'the default logger',
  add: 'the default logger',
  child: 'the default logger',
  loggers: 'a logger of winston.loggers',
  Container: 'a logger of a winston Container',
};

/**
 * winston 3: every `createLogger(options)` (any import style) becomes
 * `traceWinston(createLogger(options))`; the helper stamps the active span's ids on each entry as
 * it is written, before the user's formats run, and child loggers write through it. The default
 * logger (`winston.info(…)`) and container loggers (`winston.loggers.get(…)`) are warned about.
 */
export const winstonTransform: Transform = {
  id: 'winston',
  description: 'winston loggers: the active span ids in every entry, before your formats',
  packages: { winston: '^3.0.0' },
  triggers: ['winston'],
  helpers: ['winston'],
  find(file, context) {
    const sites = loggerSites(file, FACTORIES);
    walk(file.ast, (node) => {
      if (ts.isPropertyAccessExpression(node) && !ts.isPropertyAccessExpression(node.parent)) {
        const ref = resolveModuleReference(file, node);
        const what = ref?.module === 'winston' && ref.path.length >= 1 ? UNWRAPPED[ref.path[0]!] : undefined;
        if (what) context.warn(node, `${node.getText(file.ast)}: ${what} is not made by createLogger, so its entries do not get the trace ids; use a logger from createLogger`);
      }
    });
    return sites;
  },
};
