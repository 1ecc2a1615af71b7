import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';

interface Step {
  name?: string;
  run?: string;
}

/** The workflow the README gives under `<!-- ci-recipe -->`. */
function recipeSteps(): Step[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const block = /<!-- ci-recipe -->\n```yaml\n([\s\S]*?)```/.exec(readme);
  expect(block, 'README has the CI recipe').not.toBeNull();
  const workflow = yaml.load(block![1]!) as { on: string; jobs: Record<string, { steps: Step[] }> };
  expect(workflow.on).toBe('pull_request');
  return Object.values(workflow.jobs)[0]!.steps;
}

/** A pull request: origin/main has one file with a call site, the branch adds another. */
function makePullRequest(): string {
  const dir = tempDir('ci-recipe');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'pipe' });
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "pr" }\n');
  writeFileSync(path.join(dir, 'src/old.js'), "module.exports = () => fetch('http://localhost:1/old');\n");
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'base');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  writeFileSync(path.join(dir, 'src/new.js'), "module.exports = () => fetch('http://localhost:1/new');\n");
  git('add', '.');
  git('commit', '-qm', 'the pull request');
  return dir;
}

describe("the README's CI recipe", () => {
  it('runs as written on a pull request: a summary for $GITHUB_STEP_SUMMARY and annotations that fail the check', () => {
    const steps = recipeSteps().filter((s) => s.run?.includes('npx otel-instrument'));
    expect(steps).toHaveLength(2);
    const dir = makePullRequest();
    const summary = path.join(dir, 'step-summary.md');
    // `npx otel-instrument` is the built CLI here; the shell line is otherwise the README's own.
    const bin = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(repoRoot, 'bin/otel-instrument.js'))}`;
    const runs = steps.map((step) =>
      spawnSync('bash', ['-c', step.run!.replaceAll('npx otel-instrument', bin)], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, GITHUB_STEP_SUMMARY: summary, FORCE_COLOR: '0' },
      }),
    );
    const [summaryStep, annotationStep] = runs;
    expect(summaryStep!.status).toBe(0);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('| `src/new.js:1:24` | `fetch` |');
    expect(markdown).not.toContain('src/old.js');
    expect(markdown).toContain('npx otel-instrument . --changed-since origin/main');

    expect(annotationStep!.status).toBe(1);
    expect(annotationStep!.stdout).toBe(
      '::warning file=src/new.js,line=1,col=24,title=otel-instrument::fetch: call site without trace context; run `npx otel-instrument . --changed-since origin/main`\n',
    );
  });
});
