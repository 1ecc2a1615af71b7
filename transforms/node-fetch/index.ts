import ts from '#typescript';
import { callExpressions, walk, wrapEdits } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { FindContext, FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';
import { fetchFacts } from '../fetch/index.js';

const ALIAS = 'tracedNodeFetch';

/**
 * node-fetch's `fetch`: the default export of node-fetch 3 (`import fetch from 'node-fetch'`),
 * the module itself in node-fetch 2 (`require('node-fetch')`, `require('node-fetch').default`).
 */
function isNodeFetch(file: SourceFile, expr: ts.Expression): boolean {
  const ref = resolveModuleReference(file, expr);
  if (!ref || ref.module !== 'node-fetch' || ref.path.length !== 0) return false;
  const root = rootIdentifier(expr);
  return !(root && isShadowed(expr, root.text));
}

/**
 * node-fetch handed over as a value (`createHttpLink({ uri, fetch })`, `new Client({ fetch: f })`,
 * `const f = fetch`): the library calls it where no rewrite reaches, so it is warned about.
 */
function warnValueUses(file: SourceFile, context: FindContext): void {
  walk(file.ast, (node) => {
    if (!ts.isIdentifier(node) || !isNodeFetch(file, node)) return;
    const parent = node.parent;
    const handedOver =
      ts.isShorthandPropertyAssignment(parent) ||
      (ts.isPropertyAssignment(parent) && parent.initializer === node) ||
      (ts.isVariableDeclaration(parent) && parent.initializer === node) ||
      (ts.isCallExpression(parent) && parent.expression !== node && !(ts.isIdentifier(parent.expression) && parent.expression.text === ALIAS));
    if (handedOver) context.warn(node, `node-fetch handed over as a value is not traced: pass ${ALIAS}(${node.text}) instead`);
  });
}

/**
 * node-fetch 2 and 3: each call goes through its traced alias, `tracedNodeFetch(fetch)(…)`,
 * which starts a CLIENT span and injects W3C context into a copy of the request headers, as
 * `tracedFetch` does for the global fetch. node-fetch handed to a library as a value is warned about.
 */
export const nodeFetchTransform: Transform = {
  id: 'node-fetch',
  description: 'node-fetch 2 and 3: CLIENT span, context injected into a copy of the headers',
  packages: { 'node-fetch': '^2.6.0 || ^3.0.0' },
  triggers: ['node-fetch'],
  helpers: ['node-fetch'],
  find(file, context) {
    const sites: FoundSite[] = [];
    warnValueUses(file, context);
    for (const call of callExpressions(file.ast)) {
      const callee = call.expression;
      if (isNodeFetch(file, callee)) {
        sites.push({
          node: call,
          site: { kind: 'node-fetch', instrumented: false, facts: fetchFacts(call) },
          plan: {
            edits: wrapEdits(file.ast, callee, ALIAS),
            imports: [{ from: 'helper:node-fetch', name: ALIAS }],
          },
        });
      } else if (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === ALIAS && callee.arguments[0] && isNodeFetch(file, callee.arguments[0])) {
        sites.push({ node: call, site: { kind: 'node-fetch', instrumented: true, facts: fetchFacts(call) } });
      }
    }
    return sites;
  },
};
