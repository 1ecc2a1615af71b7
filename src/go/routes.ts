/** Node route templates and URLs turned into Go route forms (ServeMux, gin, echo) and client paths. */
import { localName, words } from './go-names.js';

export type RouteSegment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'wildcard'; name: string };

export interface ParsedRoute {
  segments: RouteSegment[];
  /** The path ended with `/` (a ServeMux pattern then needs `{$}` to match only itself). */
  trailingSlash: boolean;
}

export class RouteSyntaxError extends Error {}

/**
 * `/api/orders/:id`, `/files/*`, `/files/*path`, `/files/{*path}`, `/a/:id?`, `/a/:id(\\d+)`
 * (Express 4/5 and Fastify forms). An optional parameter becomes a required one; a segment
 * mixing text and parameters (`:from-:to`) is not supported.
 */
export function parseNodeRoute(route: string): ParsedRoute {
  if (!route.startsWith('/')) throw new RouteSyntaxError(`route "${route}" does not start with /`);
  const parts = route.split('/').slice(1);
  const trailingSlash = parts.length > 1 && parts[parts.length - 1] === '';
  const segments: RouteSegment[] = [];
  parts.forEach((part, index) => {
    if (part === '') return;
    const last = index === parts.length - 1;
    const wildcard = /^(?:\{\*(\w+)\}|\*(\w*))$/.exec(part);
    if (wildcard) {
      if (!last) throw new RouteSyntaxError(`route "${route}": a wildcard is supported only at the end`);
      segments.push({ kind: 'wildcard', name: wildcard[1] ?? (wildcard[2] || 'rest') });
      return;
    }
    const param = /^(?::(\w+)|\{:?(\w+)\})(?:\([^/]*\))?\??$/.exec(part);
    if (param) {
      segments.push({ kind: 'param', name: param[1] ?? param[2]! });
      return;
    }
    if (/[:*{}()?]/.test(part)) throw new RouteSyntaxError(`route "${route}": segment "${part}" is not supported`);
    segments.push({ kind: 'literal', text: part });
  });
  return { segments, trailingSlash };
}

/** The path of a URL literal the Node code calls (`http://orders:8080/api/x?y=1` → `/api/x`). */
export function parseCalledUrl(url: string): ParsedRoute {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    throw new RouteSyntaxError(`URL "${url}" cannot be parsed`);
  }
  if (/[{}]/.test(decodeURIComponent(pathname))) throw new RouteSyntaxError(`URL "${url}": braces in a path are not supported`);
  const parts = pathname.split('/').slice(1);
  return {
    segments: parts.filter(Boolean).map((text) => ({ kind: 'literal' as const, text })),
    trailingSlash: parts.length > 1 && parts[parts.length - 1] === '',
  };
}

/** Parameters named uniquely (`id`, `id2`) as Go would have them. */
export function routeParams(route: ParsedRoute): Array<{ segment: RouteSegment; goName: string }> {
  const taken = new Set<string>();
  return route.segments
    .filter((s) => s.kind !== 'literal')
    .map((segment) => {
      const base = localName((segment as { name: string }).name);
      let goName = base;
      for (let n = 2; taken.has(goName); n++) goName = `${base}${n}`;
      taken.add(goName);
      return { segment, goName };
    });
}

/** ServeMux (Go 1.22) path: `/api/orders/{id}`, `/files/{path...}`, `/a/{$}` for a trailing slash. */
export function serveMuxPath(route: ParsedRoute): string {
  const params = new Map(routeParams(route).map((p) => [p.segment, p.goName]));
  const parts = route.segments.map((s) =>
    s.kind === 'literal' ? s.text : s.kind === 'param' ? `{${params.get(s)}}` : `{${params.get(s)}...}`,
  );
  const path = `/${parts.join('/')}`;
  if (route.segments.length === 0) return '/{$}';
  return route.trailingSlash ? `${path}/{$}` : path;
}

/** gin and echo path: `/api/orders/:id`, `/files/*path` (gin) or `/files/*` (echo). */
export function colonPath(route: ParsedRoute, framework: 'gin' | 'echo'): string {
  const params = new Map(routeParams(route).map((p) => [p.segment, p.goName]));
  const parts = route.segments.map((s) =>
    s.kind === 'literal' ? s.text : s.kind === 'param' ? `:${params.get(s)}` : framework === 'gin' ? `*${params.get(s)}` : '*',
  );
  return `/${parts.join('/')}${route.trailingSlash && route.segments.length > 0 ? '/' : ''}`;
}

/** Go expression building the request path: `"/api/orders/" + url.PathEscape(id)`. */
export function clientPathExpression(route: ParsedRoute): { expression: string; usesEscape: boolean } {
  const params = new Map(routeParams(route).map((p) => [p.segment, p.goName]));
  const pieces: string[] = [];
  let text = '';
  for (const segment of route.segments) {
    text += '/';
    if (segment.kind === 'literal') {
      text += segment.text;
      continue;
    }
    pieces.push(JSON.stringify(text));
    text = '';
    // A wildcard may span several segments: its slashes stay slashes.
    pieces.push(segment.kind === 'param' ? `url.PathEscape(${params.get(segment)})` : params.get(segment)!);
  }
  if (route.trailingSlash || route.segments.length === 0) text += '/';
  if (text !== '') pieces.push(JSON.stringify(text));
  return { expression: pieces.join('+'), usesEscape: route.segments.some((s) => s.kind === 'param') };
}

/** Words naming a route in a Go identifier: `/api/orders/:id` → `api orders by id`. */
export function routeWords(route: ParsedRoute): string {
  return route.segments
    .map((s) => (s.kind === 'literal' ? words(s.text).join(' ') : `by ${words(s.name).join(' ')}`))
    .join(' ');
}
