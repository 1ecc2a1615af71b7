// Runs the Go side of the shared vectors (vectors_test.go) so one `npm test` covers Node and Go.
// First run compiles the Go SDK (~40 s on two cores); CI warms the cache beforehand with
// `(cd test/go-vectors && go mod download && go test -count=1 -overlay overlay.json ./...)`.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { repoRoot } from '../bootstrap/support.js';

const run = promisify(execFile);
const goModule = path.join(repoRoot, 'test/go-vectors');

async function go(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('go', args, { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('go-vectors: `go` is not on PATH; the Go side needs Go 1.26+', { cause: error });
    return { code: Number(failure.code ?? 1), output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

it('the real Go SDK agrees with the vectors, and the Go template lays out ids like them', async () => {
  const { code, output } = await go(['test', '-count=1', '-overlay', 'overlay.json', './...'], goModule);
  expect(output).toMatch(/^ok\s+otel-instrument\/test\/go-vectors\s/m);
  expect(code, output).toBe(0);
}, 120_000);

it('the Go template is gofmt-clean', async () => {
  const { output: goroot } = await go(['env', 'GOROOT'], goModule);
  const { stdout } = await run(path.join(goroot.trim(), 'bin', 'gofmt'), ['-l', path.join(repoRoot, 'templates/go')]);
  expect(stdout).toBe('');
});
