import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, readHelperState, TOOL_VERSION } from '../../src/codemod/helper-header.js';
import { renderHelper } from '../../src/codemod/helper-modules.js';
import { instrument } from '../../src/codemod/instrument.js';
import { ALL_TRANSFORMS } from '../../transforms/index.js';
import { runCli } from '../support/cli.js';
import { makeProject } from './make-project.js';

const FLAVOR = { language: 'ts', moduleSystem: 'esm' } as const;
const run = (dir: string, mode: 'write' | 'check' | 'dry-run') => instrument({ paths: ['.'], transforms: ALL_TRANSFORMS, mode, cwd: dir });

/** A helper as an older otel-instrument wrote it: another text, with that text's fingerprint. */
function olderHelper(helper: string): string {
  const body = `${renderHelper(helper, FLAVOR).split('\n').slice(1).join('\n')}// (as written by an older version)\n`;
  return `// otel-instrument helper: ${helper}, version 0.0.1, fingerprint sha256:${fingerprint(body)} (…)\n${body}`;
}

/** An instrumented project whose http-client helper has the given text. */
function projectWithHelper(prefix: string, httpClient: string): string {
  return makeProject(prefix, {
    'package.json': '{\n  "name": "u",\n  "type": "module",\n  "dependencies": {\n    "@opentelemetry/api": "^1.9.0"\n  }\n}\n',
    'src/a.ts': "import { tracedFetch } from './otel-instrument/http-client.js';\n\nexport const load = () => tracedFetch('http://127.0.0.1:1/x');\n",
    'src/otel-instrument/common.ts': renderHelper('common', FLAVOR),
    'src/otel-instrument/http-client.ts': httpClient,
    'src/otel-instrument/metrics.ts': renderHelper('metrics', FLAVOR),
  });
}

const helperPath = (dir: string) => path.join(dir, 'src/otel-instrument/http-client.ts');

describe('helper upgrade: version and fingerprint in the header', () => {
  it('every helper starts with its name, the version that wrote it and the fingerprint of its text', () => {
    const text = renderHelper('http-client', FLAVOR);
    expect(text.split('\n')[0]).toMatch(new RegExp(`^// otel-instrument helper: http-client, version ${TOOL_VERSION.replace(/\./g, '\\.')}, fingerprint sha256:[0-9a-f]{16} `));
    expect(readHelperState(text)?.kind).toBe('unedited');
    expect(readHelperState(text.replace('tracedFetch', 'myFetch'))?.kind).toBe('edited');
    // A CRLF checkout is not an edit.
    expect(readHelperState(text.replace(/\n/g, '\r\n'))?.kind).toBe('unedited');
  });

  it('a helper the user has not edited is updated by a newer version, and the change is in the diff', async () => {
    const old = olderHelper('http-client');
    const dir = projectWithHelper('upgrade', old);
    const dry = await run(dir, 'dry-run');
    expect(dry.project.map((c) => [path.relative(dir, c.path), c.before === old])).toEqual([['src/otel-instrument/http-client.ts', true]]);
    expect(readFileSync(helperPath(dir), 'utf8')).toBe(old);
    const written = await run(dir, 'write');
    expect(written.errors).toEqual([]);
    expect(readFileSync(helperPath(dir), 'utf8')).toBe(renderHelper('http-client', FLAVOR));
    expect((await run(dir, 'write')).project).toEqual([]);
  });

  it('an edited helper is never touched; --check reports it as outdated with the difference', async () => {
    const old = olderHelper('http-client');
    const edited = old.replace('// (as written by an older version)\n', '// (as written by an older version)\n// my own change\n');
    const dir = projectWithHelper('upgrade-edited', edited);
    const check = await run(dir, 'check');
    expect(check.project).toEqual([]);
    expect(check.outdated?.map((o) => [path.relative(dir, o.path), o.why, o.writtenBy, o.current])).toEqual([['src/otel-instrument/http-client.ts', 'edited', '0.0.1', TOOL_VERSION]]);
    expect(check.outdated![0]!.message).toContain('outdated helper (written by otel-instrument 0.0.1 and edited since');
    expect(check.outdated![0]!.diff).toMatch(/^-\/\/ my own change$/m);
    // The reporters show it: --check prints the line and the difference; the exit code is unchanged.
    const cli = runCli(['--check', '.'], dir);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('src/otel-instrument/http-client.ts: outdated helper (written by otel-instrument 0.0.1 and edited since');
    expect(cli.stdout).toMatch(/^-\/\/ my own change$/m);
    expect(runCli(['.'], dir).stdout).toContain('src/otel-instrument/http-client.ts: outdated helper');
    await run(dir, 'write');
    expect(readFileSync(helperPath(dir), 'utf8')).toBe(edited);
  });

  it('an edited helper this version would write the same way is not outdated', async () => {
    const current = renderHelper('http-client', FLAVOR);
    const dir = projectWithHelper('upgrade-same', `${current}// my own change\n`);
    const check = await run(dir, 'check');
    expect(check.outdated).toBeUndefined();
    expect(check.project).toEqual([]);
  });

  it('a helper from before fingerprints is the user\'s: reported outdated, never touched', async () => {
    const legacy = renderHelper('http-client', FLAVOR).split('\n').slice(1).join('\n');
    expect(legacy.startsWith('// Generated by otel-instrument from its templates/runtime/http-client.ts.')).toBe(true);
    const dir = projectWithHelper('upgrade-legacy', legacy);
    writeFileSync(path.join(dir, 'src/otel-instrument/common.ts'), renderHelper('common', FLAVOR));
    const result = await run(dir, 'write');
    expect(result.outdated?.map((o) => o.why)).toEqual(['unfingerprinted']);
    expect(readFileSync(helperPath(dir), 'utf8')).toBe(legacy);
  });
});
