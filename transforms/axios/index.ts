import ts from '#typescript';
import { callExpressions, isWrappedBy, memberName, objectProperty, staticString, wrapEdits } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';

/** Wraps an instance created at the call site; aliases the shared default instance. */
const WRAPPER = 'instrumentAxios';
const ALIAS = 'tracedAxios';

/** Request methods of an axios instance, and where each takes its URL and config. */
const URL_CONFIG = ['get', 'delete', 'head', 'options'];
const URL_DATA_CONFIG = ['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm'];
const REQUEST_METHODS = new Set(['request', ...URL_CONFIG, ...URL_DATA_CONFIG]);

/** What a reference to `axios` is: the default instance, one of its request methods, or `create`. */
type AxiosUse = { what: 'call' } | { what: 'method'; method: string } | { what: 'create' };

function axiosUse(file: SourceFile, callee: ts.Expression): AxiosUse | undefined {
  const ref = resolveModuleReference(file, callee);
  if (!ref || ref.module !== 'axios') return undefined;
  const root = rootIdentifier(callee);
  if (root && isShadowed(callee, root.text)) return undefined;
  if (ref.path.length === 0) return { what: 'call' };
  if (ref.path.length !== 1) return undefined;
  const [name] = ref.path as [string];
  if (name === 'create') return { what: 'create' };
  return REQUEST_METHODS.has(name) ? { what: 'method', method: name } : undefined;
}

/** `tracedAxios(axios)`: the default instance's traced alias. */
function isWrappedDefault(file: SourceFile, expr: ts.Expression): boolean {
  if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== ALIAS) return false;
  const [arg] = expr.arguments;
  return !!arg && axiosUse(file, arg)?.what === 'call';
}

/** A string literal, template or concatenation: axios's URL argument rather than a config. */
function isStringExpression(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isStringExpression(node.expression);
  return ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) || (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken);
}

const ABSOLUTE = /^[a-z][a-z\d+\-.]*:\/\//i;

function joinUrl(baseURL: string | undefined, url: string | undefined): string | undefined {
  if (url === undefined || baseURL === undefined || ABSOLUTE.test(url)) return url;
  return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/**
 * The inventory: method and URL of a request when the call spells them out. `method` is the
 * request method's name (`post`), else `config.method`, else axios's default GET.
 */
function requestFacts(call: ts.CallExpression, method: string | undefined, baseURL: string | undefined) {
  const args = call.arguments;
  let url: string | undefined;
  let config: ts.Expression | undefined;
  if (method === undefined || method === 'request') {
    // `axios(config)`, `axios(url, config?)`, `axios.request(config)`
    const first = args[0];
    const takesUrl = method === undefined && !!first && (isStringExpression(first) || (!ts.isObjectLiteralExpression(first) && args.length > 1));
    config = takesUrl ? args[1] : first;
    url = takesUrl ? staticString(first) : staticString(objectProperty(config, 'url'));
  } else {
    url = staticString(args[0]);
    config = URL_DATA_CONFIG.includes(method) ? args[2] : args[1];
  }
  const configKnown = !config || ts.isObjectLiteralExpression(config);
  const named = method && method !== 'request' ? method.replace(/Form$/, '') : undefined;
  const verb = named ?? staticString(objectProperty(config, 'method')) ?? (configKnown ? 'get' : undefined);
  return { method: verb?.toUpperCase(), url: joinUrl(staticString(objectProperty(config, 'baseURL')) ?? baseURL, url) };
}

/** The variable a created instance is assigned to (`const api = axios.create(…)` → `api`). */
function instanceName(call: ts.CallExpression): string | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent) || (ts.isCallExpression(node.parent) && ts.isIdentifier(node.parent.expression) && node.parent.expression.text === WRAPPER))) node = node.parent;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/**
 * axios: instances from `axios.create(…)` become `instrumentAxios(axios.create(…))` (every
 * request through them is traced), and calls on the shared default instance (`axios(…)`,
 * `axios.get(…)`, `axios.request(…)`) go through its traced alias `tracedAxios(axios)`, so only
 * the rewritten call sites are traced, not other users of the default instance. Calls on an
 * instance created in the same file are reported (method, URL with the instance's `baseURL`)
 * and need no edit of their own.
 */
export const axiosTransform: Transform = {
  id: 'axios',
  description: 'axios default instance and axios.create() instances: CLIENT span per request via interceptors',
  packages: { axios: '^1.0.0' },
  triggers: ['axios'],
  helpers: ['axios'],
  find(file) {
    const sites: FoundSite[] = [];
    const instances = new Map<string, string | undefined>();
    const calls = callExpressions(file.ast);
    for (const call of calls) {
      const callee = call.expression;
      const use = axiosUse(file, callee);
      if (use?.what === 'create') {
        const name = instanceName(call);
        const baseURL = staticString(objectProperty(call.arguments[0], 'baseURL'));
        if (name) instances.set(name, baseURL);
        const site = { kind: 'axios.instance', instrumented: isWrappedBy(call, [WRAPPER]), facts: { instance: name, baseURL } };
        sites.push({ node: call, site, ...(site.instrumented ? {} : { plan: { edits: wrapEdits(file.ast, call, WRAPPER), imports: [{ from: 'helper:axios', name: WRAPPER }] } }) });
      } else if (use) {
        const method = use.what === 'method' ? use.method : undefined;
        const facts = requestFacts(call, method, undefined);
        const target = use.what === 'method' ? (callee as ts.PropertyAccessExpression).expression : callee;
        sites.push({ node: call, site: { kind: 'axios.request', instrumented: false, facts }, plan: { edits: wrapEdits(file.ast, target, ALIAS), imports: [{ from: 'helper:axios', name: ALIAS }] } });
      } else if (isWrappedDefault(file, callee)) {
        sites.push({ node: call, site: { kind: 'axios.request', instrumented: true, facts: requestFacts(call, undefined, undefined) } });
      } else if ((ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && isWrappedDefault(file, callee.expression)) {
        const method = memberName(callee);
        if (method && REQUEST_METHODS.has(method)) sites.push({ node: call, site: { kind: 'axios.request', instrumented: true, facts: requestFacts(call, method, undefined) } });
      }
    }
    // Requests through instances created above: instrumented by the instance's wrapper.
    for (const call of calls) {
      const callee = call.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : undefined;
      if (!name || !instances.has(name)) continue;
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (method !== undefined && !REQUEST_METHODS.has(method)) continue;
      sites.push({ node: call, site: { kind: 'axios.request', instrumented: true, facts: { ...requestFacts(call, method, instances.get(name)), instance: name } } });
    }
    return sites;
  },
};
