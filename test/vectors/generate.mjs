#!/usr/bin/env node
// Writes the shared Node/Go test vectors in this folder. Inputs come from a seeded PRNG, so a rerun
// gives the same files; sampling decisions come from the real Go SDK (test/go-vectors, pinned in its
// go.mod), never from our JavaScript, since the Node sampler is what the vectors check.
//
//   node test/vectors/generate.mjs        (needs Go; rerun after bumping the Go SDK and review the diff)
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const goModule = path.join(here, '..', 'go-vectors');
const TRACE_ID_COUNT = 10_000;

/** The ratios the brief asks for, then edge cases for the bound arithmetic and Go's %g description. */
const RATIOS = [
  0, 0.0001, 0.01, 0.25, 0.5, 0.75, 0.999, 1,
  0.00001, 2.5e-7, 0.1, 1 / 3, 0.123456789, 0.9999999999999999, 5e-324, -0.5, 1.5,
];

/** splitmix64: tiny, well known, and the same in any language should someone port this script. */
function splitmix64(seed) {
  let state = BigInt.asUintN(64, seed);
  return () => {
    state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
    let z = state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
}

const hex64 = (n) => BigInt.asUintN(64, n).toString(16).padStart(16, '0');

function samplingTraceIds(next) {
  const ids = new Set(['0'.repeat(32)]);
  // The sampler reads only the low 8 bytes: put its edges there, and just below/at/above every bound
  // (sampled iff low64 >> 1 < uint64(ratio * 2^63)).
  const lows = [0n, 1n, 2n, 3n, 2n ** 63n - 2n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 63n + 1n, 2n ** 64n - 2n, 2n ** 64n - 1n];
  for (const ratio of RATIOS) {
    if (!(ratio > 0 && ratio < 1)) continue;
    const bound = BigInt(Math.trunc(ratio * 2 ** 63));
    for (const delta of [-2n, -1n, 0n, 1n]) lows.push(2n * bound + delta);
  }
  for (const low of lows) {
    if (low >= 0n && low < 2n ** 64n) ids.add(hex64(next()) + hex64(low));
  }
  while (ids.size < TRACE_ID_COUNT) ids.add(hex64(next()) + hex64(next()));
  return [...ids];
}

/** Env cases: what a Go service does with OTEL_TRACES_SAMPLER(_ARG), including bad values. */
const ENV_CASES = [
  {},
  { OTEL_TRACES_SAMPLER: '' },
  { OTEL_TRACES_SAMPLER: 'always_on' },
  { OTEL_TRACES_SAMPLER: 'always_off' },
  { OTEL_TRACES_SAMPLER: 'ALWAYS_OFF' },
  { OTEL_TRACES_SAMPLER: ' always_off ' },
  { OTEL_TRACES_SAMPLER: 'traceidratio' },
  ...['0.25', '0', ' 0.5 ', '1', '', 'abc', '-0.1', '1.5', 'inf', '1e400', '1e-400', '5e-1', '.5', '+0.5', '1_0'].map(
    (arg) => ({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: arg }),
  ),
  { OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
  { OTEL_TRACES_SAMPLER: 'parentbased_always_off' },
  { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' },
  { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' },
  { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 'abc' },
  { OTEL_TRACES_SAMPLER: 'Parentbased_TraceIdRatio', OTEL_TRACES_SAMPLER_ARG: '0.5' },
  { OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_TRACES_SAMPLER_ARG: '0' },
  { OTEL_TRACES_SAMPLER: 'jaeger_remote' },
  { OTEL_TRACES_SAMPLER: 'xray', OTEL_TRACES_SAMPLER_ARG: '0.5' },
];

/** Trace ids at about 10%, 30%, 60% and 95% of the sampler's range. */
const ENV_TRACE_IDS = [0.1, 0.3, 0.6, 0.95].map(
  (at) => '4bf92f3577b34da6' + hex64(BigInt(Math.round(at * 2 ** 32)) << 32n),
);

/** Time-ordered ids: expected value is the layout itself, 12 hex digits of ms mod 2^48, then random[6:16]. */
function timeOrderedVectors(next) {
  const randomHex = () => hex64(next()) + hex64(next());
  const times = [0, 1, 1_700_000_000_000, 1_735_689_600_000, 2 ** 48 - 1, 2 ** 48, 2 ** 48 + 5];
  while (times.length < 32) times.push(Number(next() >> 16n));
  return times.map((ms) => {
    const random = randomHex();
    const time = BigInt.asUintN(48, BigInt(ms)).toString(16).padStart(12, '0');
    return { ms, random, traceId: time + random.slice(12) };
  });
}

function askGo(request) {
  const result = spawnSync('go', ['run', './cmd/sampling-decisions'], {
    cwd: goModule,
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error('generate: could not run go', { cause: result.error });
  if (result.status !== 0) throw new Error(`generate: go run ./cmd/sampling-decisions failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

function write(name, value) {
  writeFileSync(path.join(here, name), `${JSON.stringify(value, null, 2)}\n`);
  console.log(`wrote test/vectors/${name}`);
}

const next = splitmix64(0x0_7e1_5eedn);
const traceIds = samplingTraceIds(next);
const answer = askGo({ ratios: RATIOS, traceIds, envCases: ENV_CASES, envTraceIds: ENV_TRACE_IDS });
const source = `test/vectors/generate.mjs; decisions by ${answer.goSdk}`;

write('sampling.json', {
  source,
  rule: "ratios[i].sampled[j] is '1' iff sdktrace.TraceIDRatioBased(ratios[i].ratio) samples traceIds[j]",
  ratios: RATIOS.map((ratio, i) => ({ ratio, ...answer.ratios[i] })),
  traceIds,
});
write('sampler-env.json', {
  source,
  rule: "cases[i].sampled[parent][j] is '1' iff a Go TracerProvider configured by cases[i].env samples a span with trace id traceIds[j] under that parent; problem: the SDK reported a configuration error",
  traceIds: ENV_TRACE_IDS,
  cases: ENV_CASES.map((env, i) => ({ env, ...answer.envCases[i] })),
});
write('time-ordered-ids.json', {
  source: 'test/vectors/generate.mjs',
  rule: 'traceId = 48-bit big-endian (ms mod 2^48) ++ random[6:16]; random[0:6] is unused',
  vectors: timeOrderedVectors(next),
});
