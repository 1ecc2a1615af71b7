import ts from '#typescript';
import { callExpressions, objectProperty, staticString } from '../../src/codemod/ast.js';
import type { FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';

const WRAPPER = 'tracedFetch';

/** `fetch(...)` or `globalThis.fetch(...)` with fetch not imported or declared in the file. */
function isGlobalFetch(file: SourceFile, callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'fetch' && !file.bindings.has('fetch');
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'fetch' &&
    ts.isIdentifier(callee.expression) &&
    ['globalThis', 'global', 'window', 'self'].includes(callee.expression.text)
  );
}

/** Method and URL of a fetch-shaped call (`fetch(input, init?)`), as far as written statically; also for undici's and node-fetch's. */
export function fetchFacts(call: ts.CallExpression) {
  const [input, init] = call.arguments;
  const method = staticString(objectProperty(init, 'method'))?.toUpperCase() ?? (init ? undefined : 'GET');
  return { method, url: staticString(input) };
}

/**
 * Global `fetch`: each call goes through `tracedFetch`, which starts a CLIENT span and injects
 * W3C context into a copy of the request headers.
 */
export const fetchTransform: Transform = {
  id: 'fetch',
  description: 'Global fetch(): CLIENT span, context injected into a copy of the headers',
  packages: { node: '>=20' },
  triggers: ['fetch'],
  helpers: ['http-client'],
  find(file) {
    const sites: FoundSite[] = [];
    for (const call of callExpressions(file.ast)) {
      const callee = call.expression;
      if (ts.isIdentifier(callee) && callee.text === WRAPPER) {
        sites.push({ node: call, site: { kind: 'fetch', instrumented: true, facts: fetchFacts(call) } });
      } else if (isGlobalFetch(file, callee)) {
        sites.push({
          node: call,
          site: { kind: 'fetch', instrumented: false, facts: fetchFacts(call) },
          plan: {
            edits: [{ start: callee.getStart(file.ast), end: callee.end, text: WRAPPER }],
            imports: [{ from: 'helper:http-client', name: WRAPPER }],
          },
        });
      }
    }
    return sites;
  },
};
