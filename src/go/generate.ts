/** Renders the Go module (templates/go/*.tmpl) for a model of the Node code. */
import { renderGoIdGenerator } from '../codemod/bootstrap.js';
import { compileTemplate } from '../conventions/template-engine.js';
import { readTemplate } from '../render-template.js';
import { commentText, goString } from './go-names.js';
import { DEFAULT_LOG_FIELDS, type LogFieldsProfile } from '../log-fields.js';
import type { GoModel, HttpFlavor, KafkaFlavor } from './model.js';

/**
 * Module versions the generated code is built and vetted against (test/go/build.test.ts).
 * otelgin v0.65.0 is the last release of otelgin in opentelemetry-go-contrib; echo has no
 * maintained otel module for v4, so echo uses otelhttp plus a small route-naming middleware.
 */
export const GO_MODULE_VERSIONS = {
  otel: { 'go.opentelemetry.io/otel': 'v1.47.0', 'go.opentelemetry.io/otel/sdk': 'v1.47.0', 'go.opentelemetry.io/otel/trace': 'v1.47.0' },
  exporters: {
    'go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp': 'v1.47.0',
    'go.opentelemetry.io/otel/exporters/stdout/stdouttrace': 'v1.47.0',
    'go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp': 'v1.47.0',
    'go.opentelemetry.io/otel/exporters/stdout/stdoutmetric': 'v1.47.0',
    'go.opentelemetry.io/otel/metric': 'v1.47.0',
    'go.opentelemetry.io/otel/sdk/metric': 'v1.47.0',
  },
  otelhttp: { 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp': 'v0.72.0' },
  // The newest release; it requires otel v1.46.0, which the v1.47.0 above satisfies.
  baggagecopy: { 'go.opentelemetry.io/contrib/processors/baggagecopy': 'v0.16.3' },
  gin: { 'github.com/gin-gonic/gin': 'v1.12.0', 'go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin': 'v0.65.0' },
  echo: { 'github.com/labstack/echo/v4': 'v4.16.0' },
  'franz-go': { 'github.com/twmb/franz-go': 'v1.22.3' },
  sarama: { 'github.com/IBM/sarama': 'v1.61.1' },
  'kafka-go': { 'github.com/segmentio/kafka-go': 'v0.4.51' },
  amqp: { 'github.com/rabbitmq/amqp091-go': 'v1.16.0' },
  // tracelog/tracezap only: a service that does not import it compiles no zap code.
  zap: { 'go.uber.org/zap': 'v1.28.0' },
} as const;

const IMPORT_PATHS: Record<string, string> = {
  amqp: 'amqp "github.com/rabbitmq/amqp091-go"',
  gin: '"github.com/gin-gonic/gin"',
  echo: '"github.com/labstack/echo/v4"',
  otelhttp: '"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"',
};

/**
 * A goimports-style import block: standard library first, then the rest, then the module's own
 * packages (under `module`), each sorted by path.
 */
export function importBlock(imports: string[], module?: string): string {
  const spec = (i: string) => (i.includes('"') ? i : goString(i));
  const pathOf = (i: string) => spec(i).replace(/^\w+ /, '');
  const byPath = (a: string, b: string) => pathOf(a).localeCompare(pathOf(b));
  const unique = [...new Set(imports.map(spec))];
  const local = module === undefined ? [] : unique.filter((i) => pathOf(i).startsWith(`"${module}/`)).sort(byPath);
  const std = unique.filter((i) => !local.includes(i) && !pathOf(i).split('/')[0]!.includes('.')).sort(byPath);
  const other = unique.filter((i) => !std.includes(i) && !local.includes(i)).sort(byPath);
  const all = [...std, ...other, ...local];
  if (all.length === 0) return '';
  if (all.length === 1) return `\nimport ${all[0]}\n`;
  const groups = [std, other, local].filter((g) => g.length > 0).map((g) => g.map((i) => `\t${i}\n`).join(''));
  return `\nimport (\n${groups.join('\n')})\n`;
}

export interface GeneratedFile {
  /** Path inside the output directory. */
  path: string;
  text: string;
  /** Written once: the user's code goes there (handlers), so a later run keeps it. */
  userOwned?: boolean;
}

/**
 * Renders a template. Optional sections leave blank lines behind; runs of them are collapsed as
 * gofmt does, so templates can give each repeated item its own leading blank line.
 */
function render(template: string, data: object): string {
  const text = compileTemplate(readTemplate(`go/${template}`), `templates/go/${template}`).render(data);
  return text.replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '\n');
}

function requirements(model: GoModel): Array<{ path: string; version: string }> {
  const { http, kafka } = model.options;
  const sets: Array<Record<string, string>> = [GO_MODULE_VERSIONS.otel, GO_MODULE_VERSIONS.exporters, GO_MODULE_VERSIONS.baggagecopy, GO_MODULE_VERSIONS.zap];
  if ((model.serverRoutes.length > 0 && http !== 'gin') || model.clientCalls.length > 0) sets.push(GO_MODULE_VERSIONS.otelhttp);
  if (model.serverRoutes.length > 0 && http === 'gin') sets.push(GO_MODULE_VERSIONS.gin);
  if (model.serverRoutes.length > 0 && http === 'echo') sets.push(GO_MODULE_VERSIONS.echo);
  if (model.topics.length > 0) sets.push(GO_MODULE_VERSIONS[kafka]);
  if (model.amqpConsumers.length + model.amqpPublishers.length > 0) sets.push(GO_MODULE_VERSIONS.amqp);
  return Object.entries(Object.assign({}, ...sets) as Record<string, string>)
    .map(([path, version]) => ({ path, version }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

const HTTP_FLAVOR_IMPORTS: Record<HttpFlavor, string[]> = { nethttp: ['net/http'], gin: ['net/http', IMPORT_PATHS.gin!], echo: ['net/http', IMPORT_PATHS.echo!] };
/** tracelog's Go constant of each profile. */
const LOG_FIELDS_CONSTANTS: Record<LogFieldsProfile, string> = { otel: 'OTel', ecs: 'ECS', datadog: 'Datadog' };

const KAFKA_TEMPLATES: Record<KafkaFlavor, string> = { 'franz-go': 'kafka/franz-go.go.tmpl', sarama: 'kafka/sarama.go.tmpl', 'kafka-go': 'kafka/kafka-go.go.tmpl' };

/** The template data: the model plus flags and Go literals the templates print as they are. */
function templateData(model: GoModel) {
  const { options } = model;
  const consumeTopics = model.topics
    .filter((t) => t.handler)
    .map((t) => ({ ...t, topic: goString(t.topic), origins: t.produceOrigins.join(', ') }));
  const produceTopics = model.topics
    .filter((t) => t.method)
    .map((t) => ({
      ...t,
      topic: goString(t.topic),
      origins: t.consumeOrigins.join(', ') + (t.groups.length > 0 ? `; group ${t.groups.join(', ')}` : ''),
    }));
  const topics = model.topics.map((t) => {
    const roles = [
      t.produceOrigins.length > 0 ? `the Node services produce it (${t.produceOrigins.join(', ')})` : '',
      t.consumeOrigins.length > 0 ? `the Node services consume it (${t.consumeOrigins.join(', ')})` : '',
    ].filter(Boolean);
    return { constName: t.constName, literal: goString(t.topic), comment: commentText(roles.join('; ')) };
  });
  const flags = {
    hasServer: model.serverRoutes.length > 0,
    hasClient: model.clientCalls.length > 0,
    hasKafka: model.topics.length > 0,
    hasKafkaConsumer: consumeTopics.length > 0,
    hasKafkaProducer: produceTopics.length > 0,
    hasAmqp: model.amqpConsumers.length + model.amqpPublishers.length > 0,
    hasAmqpConsumer: model.amqpConsumers.length > 0,
    hasAmqpPublisher: model.amqpPublishers.length > 0,
  };
  return {
    ...flags,
    hasConsumer: flags.hasKafkaConsumer || flags.hasAmqpConsumer,
    hasHttp: flags.hasServer || flags.hasClient,
    // Clients closed by run() after the workers: the Kafka producer and the AMQP connection.
    hasClients: flags.hasKafkaProducer || flags.hasAmqp,
    hasMessaging: flags.hasKafka || flags.hasAmqp,
    usesService: Object.values(flags).some(Boolean),
    module: options.module,
    service: options.service,
    serviceLiteral: goString(options.service),
    timeOrdered: options.idGenerator === 'time-ordered',
    logFieldsConst: LOG_FIELDS_CONSTANTS[options.logFields ?? DEFAULT_LOG_FIELDS],
    nethttp: options.http === 'nethttp',
    gin: options.http === 'gin',
    echo: options.http === 'echo',
    serverRoutes: model.serverRoutes.map((r) => ({
      ...r,
      comment: commentText(`${r.method} ${r.path}: called by ${r.origin}`),
      patternLiteral: goString(r.pattern),
      methodLiteral: goString(r.method),
      ginPathLiteral: goString(r.ginPath),
      echoPathLiteral: goString(r.echoPath),
      logLiteral: goString(`${r.method} ${r.path}: not implemented`),
    })),
    clientCalls: model.clientCalls.map((c) => ({
      ...c,
      methodLiteral: goString(c.method),
      paramList: c.params.length > 0 ? `, ${c.params.join(', ')} string` : '',
    })),
    topics,
    consumeTopics,
    produceTopics,
    amqpConsumers: model.amqpConsumers.map((c) => ({
      ...c,
      comment: commentText(c.comment),
      queueLiteral: goString(c.queue),
      exchangeLiteral: goString(c.exchange),
      routingKeyLiteral: goString(c.routingKey),
    })),
    amqpPublishers: model.amqpPublishers.map((p) => ({ ...p, queueLiteral: goString(p.queue), origins: p.origins.join(', ') })),
    requires: requirements(model),
  };
}

/** Every file of the Go module, in a stable order. go.sum is left to `go mod tidy`. */
export function generateGoModule(model: GoModel): GeneratedFile[] {
  const data = templateData(model);
  const files: GeneratedFile[] = [];
  const add = (path: string, template: string, imports?: string[], userOwned?: boolean) => {
    const text = render(template, imports ? { ...data, imports: importBlock(imports, model.options.module) } : data);
    files.push({ path, text, ...(userOwned ? { userOwned } : {}) });
  };

  add('go.mod', 'go.mod.tmpl');
  add('main.go', 'main.go.tmpl', [
    'context', 'errors', 'fmt', 'log/slog', 'os', 'os/signal', 'syscall', 'time', `${model.options.module}/tracelog`,
    ...(data.hasServer ? ['net', 'net/http'] : []),
    ...(data.hasKafka ? ['strings'] : []),
    ...(data.hasAmqp ? [IMPORT_PATHS.amqp!] : []),
  ]);
  add('tracing.go', 'tracing.go.tmpl');
  add('tracelog/tracelog.go', 'tracelog/tracelog.go.tmpl');
  add('tracelog/slog.go', 'tracelog/slog.go.tmpl');
  add('tracelog/tracezap/zap.go', 'tracelog/tracezap/zap.go.tmpl');
  const messaging = data.hasKafka || data.hasAmqp;
  add('metrics.go', 'metrics.go.tmpl', [
    'context', 'errors', 'fmt', 'log', 'os', 'strings',
    'go.opentelemetry.io/otel', 'go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp', 'go.opentelemetry.io/otel/exporters/stdout/stdoutmetric',
    'sdkmetric "go.opentelemetry.io/otel/sdk/metric"', 'go.opentelemetry.io/otel/sdk/resource', 'go.opentelemetry.io/otel/attribute',
    'semconv "go.opentelemetry.io/otel/semconv/v1.43.0"',
    ...(messaging ? ['slices', 'sync', 'time', 'go.opentelemetry.io/otel/metric'] : []),
    ...(data.hasServer ? ['net/http', 'strconv'] : []),
  ]);
  add('errors.go', 'errors.go.tmpl');
  if (data.hasServer || data.hasKafkaConsumer || data.hasAmqpConsumer) {
    add('handlers.go', 'handlers.go.tmpl', [
      'log/slog',
      ...(data.hasServer ? HTTP_FLAVOR_IMPORTS[model.options.http] : []),
      ...(data.hasKafkaConsumer || data.hasAmqpConsumer ? ['context'] : []),
      ...(data.hasAmqpConsumer ? [IMPORT_PATHS.amqp!] : []),
    ], true);
  }
  if (data.hasHttp || data.hasKafka || data.hasAmqp) {
    add('capture.go', 'capture.go.tmpl', [
      'os', 'slices', 'strings', 'go.opentelemetry.io/otel/attribute', 'go.opentelemetry.io/otel/trace',
      ...(data.hasHttp ? ['net/http'] : []),
      ...(data.hasServer && data.gin ? [IMPORT_PATHS.gin!] : []),
      ...(data.hasKafka ? ['unicode/utf8', 'go.opentelemetry.io/otel/propagation'] : []),
    ]);
  }
  if (data.hasServer) add('server.go', `http/${model.options.http}.go.tmpl`);
  if (data.hasClient) {
    add('client.go', 'http/client.go.tmpl', [
      'context', 'fmt', 'io', 'net/http', 'strings', 'time', IMPORT_PATHS.otelhttp!,
      ...(model.clientCalls.some((c) => c.usesEscape) ? ['net/url'] : []),
    ]);
  }
  if (data.hasKafka) {
    add('kafka_spans.go', 'kafka/spans.go.tmpl');
    add('kafka.go', KAFKA_TEMPLATES[model.options.kafka]);
    add('kafka_topics.go', 'kafka/topics.go.tmpl', data.hasKafkaProducer ? ['context'] : []);
  }
  if (data.hasAmqp) {
    add('amqp.go', 'amqp/amqp.go.tmpl');
    add('amqp_queues.go', 'amqp/queues.go.tmpl', data.hasAmqpPublisher ? ['context', IMPORT_PATHS.amqp!] : []);
  }
  if (data.timeOrdered) files.push({ path: 'time_ordered_ids.go', text: renderGoIdGenerator('main') });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
