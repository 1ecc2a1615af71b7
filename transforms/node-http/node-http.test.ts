import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/codemod/parse-source.js';
import { findContext } from '../../test/support/find-context.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { nodeHttpTransform } from './index.js';

runGoldenCases(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures'), [nodeHttpTransform]);

function sitesOf(text: string, file = '/virtual/client.ts') {
  return nodeHttpTransform.find(parseSource(file, text, () => 'module'), findContext()).map((f) => ({ kind: f.site.kind, instrumented: f.site.instrumented, facts: f.site.facts }));
}

describe('node-http inventory facts', () => {
  it('reads method and URL from a URL literal, a URL object and an options literal', () => {
    const sites = sitesOf(`
      import http from 'node:http';
      import https from 'node:https';
      http.get('http://a.internal/x?y=1');
      http.request(new URL('http://b.internal:81/b'), { method: 'delete' });
      https.request({ hostname: 'c.internal', port: 8443, path: '/c', method: 'PATCH' });
      http.request({ host: 'd.internal' }, () => {});
      http.request(options);
    `);
    expect(sites).toEqual([
      { kind: 'node-http.get', instrumented: false, facts: { method: 'GET', url: 'http://a.internal/x?y=1' } },
      { kind: 'node-http.request', instrumented: false, facts: { method: 'DELETE', url: 'http://b.internal:81/b' } },
      { kind: 'node-http.request', instrumented: false, facts: { method: 'PATCH', url: 'https://c.internal:8443/c' } },
      { kind: 'node-http.request', instrumented: false, facts: { method: 'GET', url: 'http://d.internal/' } },
      { kind: 'node-http.request', instrumented: false, facts: { method: undefined, url: undefined } },
    ]);
  });

  it('reports the same facts for already wrapped calls', () => {
    const sites = sitesOf(`
      import { get } from 'node:https';
      import { tracedHttps } from './otel-instrument/node-http.js';
      tracedHttps(get, 'https://e.internal/e', (res) => res.resume());
    `);
    expect(sites).toEqual([{ kind: 'node-http.get', instrumented: true, facts: { method: 'GET', url: 'https://e.internal/e' } }]);
  });

  it('leaves look-alikes alone: other modules, locals named like the imports', () => {
    const sites = sitesOf(`
      import { get } from 'node:http';
      import got from 'got';
      got.get('http://x');
      function f(get: (u: string) => void) { get('http://y'); }
      { const get = (u: string) => u; get('http://z'); }
    `);
    expect(sites).toEqual([]);
  });
});

describe('node-http facts for computed URLs', () => {
  it('knows the method even when the URL is computed', () => {
    const sites = sitesOf(`
      import http from 'node:http';
      http.get(\`\${base}/x\`, (res) => res.resume());
      http.request(base + '/y', { method: 'POST' });
      http.get(options);
    `);
    expect(sites.map((s) => s.facts)).toEqual([
      { method: 'GET', url: undefined },
      { method: 'POST', url: undefined },
      { method: 'GET', url: undefined },
    ]);
  });
});
