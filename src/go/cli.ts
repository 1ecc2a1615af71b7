/** The `go` subcommand's options and output; the work is in command.ts. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ConventionsError } from '../conventions/errors.js';
import { EXIT } from '../exit-codes.js';
import { displayMessage } from '../relative-path.js';
import { DEFAULT_LOG_FIELDS, LOG_FIELD_PROFILES, LOG_FIELDS_ENV, type LogFieldsProfile } from '../log-fields.js';
import { GoOptionsError, HTTP_FLAVORS, KAFKA_FLAVORS, runGoCommand, type GoCommandResult } from './command.js';
import type { HttpFlavor, KafkaFlavor } from './model.js';

interface GoArgs {
  paths?: string[];
  out?: string;
  module?: string;
  service?: string;
  http: HttpFlavor;
  kafka: KafkaFlavor;
  json: boolean;
  'id-generator': 'random' | 'time-ordered';
  'log-fields': LogFieldsProfile;
  inventory?: string;
  host?: string[];
  force: boolean;
  'semconv-spec'?: string[];
}

function report(result: GoCommandResult, cwd: string, out: string | undefined): string {
  const lines: string[] = [];
  const rel = (file: string) => file.startsWith(cwd) ? file.slice(cwd.length + 1) : file;
  for (const file of result.written) lines.push(`wrote ${rel(file)}`);
  for (const file of result.kept) lines.push(`kept ${rel(file)} (exists; --force regenerates all but handlers.go)`);
  const inv = result.inventory;
  lines.push(
    `inventory: ${inv.routes.length} routes served, ${inv.httpCalls.length} HTTP calls, ${inv.kafka.sends.length} Kafka sends, ` +
      `${inv.kafka.consumes.length} Kafka consumers, ${inv.amqp.publishes.length + inv.amqp.sendsToQueue.length} AMQP publishes, ${inv.amqp.consumes.length} AMQP consumers`,
  );
  if (out && result.written.some((f) => f.endsWith('go.mod'))) {
    lines.push(`next: cd ${rel(out) || '.'} && go mod tidy && go vet ./... && go run .`);
  }
  return `${lines.join('\n')}\n`;
}

export const goCommand: CommandModule<object, GoArgs> = {
  command: 'go [paths..]',
  describe: 'Generate the Go counterpart of the Node code: HTTP servers and clients, Kafka and RabbitMQ consumers and producers, tracing',
  builder: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Node files or directories to read' })
      .option('out', { type: 'string', describe: 'Directory of the Go module to write' })
      .option('module', { type: 'string', describe: 'Go module path (default: the service name)' })
      .option('service', { type: 'string', describe: 'service.name of the Go service (default: the --out directory name)' })
      .option('http', { choices: HTTP_FLAVORS, default: 'nethttp' as HttpFlavor, describe: 'HTTP server library' })
      .option('kafka', { choices: KAFKA_FLAVORS, default: 'franz-go' as KafkaFlavor, describe: 'Kafka client library' })
      .option('id-generator', { choices: ['random', 'time-ordered'] as const, default: 'random' as const, describe: 'Trace id generator of InitTracing' })
      .option('log-fields', {
        choices: LOG_FIELD_PROFILES,
        default: DEFAULT_LOG_FIELDS,
        describe: `Names of the trace ids in the log lines (tracelog): otel trace_id/span_id/trace_flags, ecs trace.id/span.id, datadog dd.trace_id/dd.span_id; ${LOG_FIELDS_ENV} overrides it at run time`,
      })
      .option('host', { type: 'string', array: true, describe: 'Only HTTP calls to this host (host or host:port) become Go routes; repeatable' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the inventory (and what could not be mirrored) as JSON' })
      .option('inventory', { type: 'string', describe: 'Generate from this inventory JSON (as --json prints it) instead of reading the Node code' })
      .option('semconv-spec', {
        type: 'string',
        array: true,
        describe:
          'Attribute keys come from a package generated into <out>/internal/semconv instead of go.opentelemetry.io/otel/semconv/v1.43.0, from the embedded v1.44.0 model or these model directories (repeatable, read like conventions --spec)',
      })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite existing generated files (never handlers.go)' })
      .check((args) => {
        if (!args.out && !args.json) throw new Error('give --out <dir> to generate, or --json to print the inventory');
        return true;
      }) as unknown as Argv<GoArgs>,
  handler: async (args: ArgumentsCamelCase<GoArgs>) => {
    const cwd = process.cwd();
    let result: GoCommandResult;
    try {
      result = await runGoCommand({
        paths: args.paths ?? ['.'],
        cwd,
        out: args.out,
        module: args.module,
        service: args.service,
        http: args.http,
        kafka: args.kafka,
        idGenerator: args['id-generator'],
        logFields: args['log-fields'],
        inventory: args.inventory,
        hosts: args.host?.flatMap((h) => String(h).split(',')).map((h) => h.trim()).filter(Boolean),
        force: args.force,
        semconvSpec: args['semconv-spec']?.map(String),
      });
    } catch (error) {
      // ConventionsError: the --semconv-spec model is invalid or lacks a key the module uses.
      const lines = error instanceof GoOptionsError ? [error.message] : error instanceof ConventionsError ? error.lines() : undefined;
      if (!lines) throw error;
      for (const line of lines) process.stderr.write(`otel-instrument go: ${displayMessage(line, cwd)}\n`);
      process.exitCode = EXIT.failures;
      return;
    }
    if (args.json) process.stdout.write(`${JSON.stringify({ ...result.inventory, skipped: result.skipped }, null, 2)}\n`);
    else process.stdout.write(report(result, cwd, args.out));
    for (const skipped of result.skipped) process.stderr.write(`otel-instrument go: ${skipped.origin}: ${skipped.what} not mirrored: ${skipped.reason}\n`);
    for (const error of result.errors) process.stderr.write(`otel-instrument go: ${error}\n`);
    process.exitCode = result.errors.length > 0 ? EXIT.failures : EXIT.ok;
  },
};
