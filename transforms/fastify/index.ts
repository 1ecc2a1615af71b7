import ts from '#typescript';
import { callExpressions, isWrappedBy, wrapEdits } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';
import { findRoutes, type InstanceScope } from './routes.js';

const WRAPPER = 'instrumentFastify';

/**
 * The factory that creates an instance: the module itself (`Fastify()`, `require('fastify')()`,
 * `Fastify.default()`) or its named export (`fastify()`, `require('fastify').fastify()`).
 */
function isFactory(file: SourceFile, callee: ts.Expression): boolean {
  const ref = resolveModuleReference(file, callee);
  if (!ref || ref.module !== 'fastify') return false;
  return ref.path.length === 0 || (ref.path.length === 1 && ref.path[0] === 'fastify');
}

/**
 * The variable the instance is assigned to (`const app = Fastify()` → `app`), and the scope that
 * name is valid in (the block or file declaring it), for the inventory.
 */
function instanceBinding(file: SourceFile, call: ts.CallExpression): InstanceScope | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent) || isWrapperCall(node.parent))) node = node.parent;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    let within: ts.Node = parent;
    while (within.parent && !ts.isBlock(within) && !ts.isSourceFile(within) && !ts.isModuleBlock(within)) within = within.parent;
    return { name: parent.name.text, within, prefix: '' };
  }
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left)) {
    return { name: parent.left.text, within: file.ast, prefix: '' };
  }
  return undefined;
}

function isWrapperCall(node: ts.Node): boolean {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === WRAPPER;
}

/**
 * Fastify 4 and 5: every instance creation (`Fastify(opts)`, `fastify()`, `require('fastify')()`,
 * in any import style) becomes `instrumentFastify(Fastify(opts))`. The helper adds Fastify hooks
 * to the new root instance before any route or plugin exists, so plugins and prefixes inherit
 * them: one SERVER span per request named after the matched route. Routes whose template is
 * statically visible are reported as `fastify.route` inventory sites (see routes.ts).
 */
export const fastifyTransform: Transform = {
  id: 'fastify',
  description: 'Fastify instances: SERVER span per request via hooks, route with plugin prefixes, errors with causes',
  packages: { fastify: '^4.10.0 || ^5.0.0' },
  triggers: ['fastify'],
  helpers: ['fastify'],
  find(file) {
    const sites: FoundSite[] = [];
    const instances: InstanceScope[] = [];
    const calls = callExpressions(file.ast);
    for (const call of calls) {
      if (!isFactory(file, call.expression)) continue;
      const root = rootIdentifier(call.expression);
      if (root && isShadowed(call, root.text)) continue;
      const binding = instanceBinding(file, call);
      if (binding) instances.push(binding);
      const facts = { instance: binding?.name };
      if (isWrappedBy(call, [WRAPPER])) {
        sites.push({ node: call, site: { kind: 'fastify.app', instrumented: true, facts } });
        continue;
      }
      sites.push({
        node: call,
        site: { kind: 'fastify.app', instrumented: false, facts },
        plan: {
          edits: wrapEdits(file.ast, call, WRAPPER),
          imports: [{ from: 'helper:fastify', name: WRAPPER }],
        },
      });
    }
    sites.push(...findRoutes(file, calls, instances));
    return sites;
  },
};
