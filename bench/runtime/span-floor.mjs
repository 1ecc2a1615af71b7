// Preloaded after sdk.mjs for the "span floor" runs: the uninstrumented app, and around it the
// least any instrumentation of its requests must do, written straight against the API: extract
// the W3C context from the headers, start one SERVER span with the same attributes
// otel-instrument sets (the route template is given, BENCH_FLOOR_ROUTE: a framework knows it
// for free once it has matched), run the whole request handling with the span active, set the
// status code and end the span when the response finishes. No framework hook, no wrapper, no
// error bookkeeping: what otel-instrument adds above this is its own cost.
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import http from 'node:http';

const ROUTE = process.env.BENCH_FLOOR_ROUTE ?? '/';
const tracer = trace.getTracer('bench-span-floor');
const emit = http.Server.prototype.emit;

http.Server.prototype.emit = function (event, req, res) {
  if (event !== 'request') return emit.apply(this, arguments);
  const url = req.url;
  const queryAt = url.indexOf('?');
  const host = req.headers.host ?? '';
  const colon = host.lastIndexOf(':');
  const attributes = {
    'http.request.method': req.method,
    'url.path': queryAt < 0 ? url : url.slice(0, queryAt),
    'url.scheme': 'http',
    'network.protocol.version': req.httpVersion,
    'server.address': colon < 0 ? host : host.slice(0, colon),
    'server.port': colon < 0 ? req.socket.localPort : Number(host.slice(colon + 1)),
    'client.address': req.socket.remoteAddress,
    'http.route': ROUTE,
  };
  const userAgent = req.headers['user-agent'];
  if (userAgent) attributes['user_agent.original'] = userAgent;
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracer.startSpan(`${req.method} ${ROUTE}`, { kind: SpanKind.SERVER, attributes }, parent);
  res.once('finish', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    span.end();
  });
  return context.with(trace.setSpan(parent, span), emit, this, event, req, res);
};
