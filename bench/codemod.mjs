// Codemod benchmark (on demand: `npm run bench:codemod`): a generated tree of 10,000 files, 5% of
// them instrumentable; wall time, files/s and peak RSS of whole processes, beside two baselines
// in the same run: read + TS-parse the candidates (lower bound), and jscodeshift (in band).
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './generate-tree.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench/.work');
const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const pristine = path.join(work, 'pristine');
generateTree(pristine, { files: FILES });

/** Runs a command on a fresh copy of the tree; wall time and peak RSS (GNU time) of the process. */
function measure(label, argsFor) {
  const samples = [];
  for (let run = 0; run < RUNS; run++) {
    const tree = path.join(work, 'tree');
    rmSync(tree, { recursive: true, force: true });
    cpSync(pristine, tree, { recursive: true });
    const [cmd, ...args] = argsFor(tree);
    const started = process.hrtime.bigint();
    const result = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0) throw new Error(`${label} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
    const rssKb = Number(result.stderr.trim().split('\n').pop());
    samples.push({ seconds, rssMb: rssKb / 1024 });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  const median = samples[Math.floor(samples.length / 2)];
  const peak = Math.max(...samples.map((s) => s.rssMb));
  return { label, seconds: median.seconds, filesPerSecond: FILES / median.seconds, rssMb: peak };
}

const node = process.execPath;
const results = [
  measure('lower bound: read all + TS-parse candidates', (tree) => [node, 'bench/baseline-parse.mjs', tree]),
  measure('otel-instrument (writes)', (tree) => [node, 'bin/otel-instrument.js', tree]),
  measure('jscodeshift --run-in-band (same prefilter)', (tree) => [
    node, 'node_modules/jscodeshift/bin/jscodeshift.js', '--run-in-band', '--silent', '--extensions=ts', '--parser=ts',
    '-t', 'bench/jscodeshift-transform.cjs', tree,
  ]),
];
rmSync(path.join(work, 'tree'), { recursive: true, force: true });

const [lower, ours, jscodeshift] = results;
console.log(`Codemod benchmark: ${FILES} files, median of ${RUNS} runs, ${process.version}, ${(await import('node:os')).cpus().length} cores`);
console.log('| run | wall time | files/s | peak RSS |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.label} | ${r.seconds.toFixed(2)} s | ${Math.round(r.filesPerSecond)} | ${Math.round(r.rssMb)} MB |`);
console.log(`\notel-instrument / lower bound: ${(ours.seconds / lower.seconds).toFixed(2)}× (target ≤ 1.5×)`);
console.log(`jscodeshift / otel-instrument: ${(jscodeshift.seconds / ours.seconds).toFixed(2)}× (target ≥ 4×)`);
console.log(`otel-instrument peak RSS: ${Math.round(ours.rssMb)} MB (target < 300 MB)`);
