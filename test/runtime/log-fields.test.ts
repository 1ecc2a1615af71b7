// The log-fields helper: each profile's names and formats for a real span of the real SDK, none
// outside a span or for an invalid one, the run-time override, and the Datadog decimal ids
// checked against values converted by hand (and by BigInt, independently of the helper).
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { hex64ToDecimal, readLogFieldsProfile, writeTraceFields } from '../../templates/runtime/log-fields.js';
import { inProcessTracing } from '../support/in-process-tracing.js';

// The W3C trace-context example ids, and Datadog's decimal form of their low 64 bits.
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function fieldsIn(spanContext: { traceId: string; spanId: string; traceFlags: number }, profile: 'otel' | 'ecs' | 'datadog') {
  const record: Record<string, unknown> = {};
  const wrote = context.with(trace.setSpanContext(context.active(), spanContext), () => writeTraceFields(record, profile));
  return { wrote, record };
}

describe('log fields', () => {
  const { exporter } = inProcessTracing();

  it('converts 64-bit hex to the unsigned decimal Datadog joins on', () => {
    expect(hex64ToDecimal('0000000000000000')).toBe('0');
    expect(hex64ToDecimal('0000000000000001')).toBe('1');
    expect(hex64ToDecimal('00000000ffffffff')).toBe('4294967295');
    expect(hex64ToDecimal('0000000100000000')).toBe('4294967296');
    expect(hex64ToDecimal('8000000000000000')).toBe('9223372036854775808');
    expect(hex64ToDecimal('ffffffffffffffff')).toBe('18446744073709551615');
    expect(hex64ToDecimal(SPAN_ID)).toBe('67667974448284343');
    expect(hex64ToDecimal(TRACE_ID.slice(16))).toBe('11803532876627986230');
    for (let i = 0; i < 200; i++) {
      const hex = [...Array(16)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');
      expect(hex64ToDecimal(hex)).toBe(BigInt(`0x${hex}`).toString());
    }
  });

  it('writes each profile under its names and formats', () => {
    const sampled = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED };
    expect(fieldsIn(sampled, 'otel')).toEqual({ wrote: true, record: { trace_id: TRACE_ID, span_id: SPAN_ID, trace_flags: '01' } });
    expect(fieldsIn({ ...sampled, traceFlags: TraceFlags.NONE }, 'otel').record.trace_flags).toBe('00');
    expect(fieldsIn({ ...sampled, traceId: TRACE_ID.toUpperCase(), spanId: SPAN_ID.toUpperCase() }, 'otel').record).toMatchObject({ trace_id: TRACE_ID, span_id: SPAN_ID });
    expect(fieldsIn(sampled, 'ecs')).toEqual({ wrote: true, record: { 'trace.id': TRACE_ID, 'span.id': SPAN_ID } });
    expect(fieldsIn(sampled, 'datadog')).toEqual({ wrote: true, record: { 'dd.trace_id': '11803532876627986230', 'dd.span_id': '67667974448284343' } });
  });

  it('writes the ids of the active span of the real SDK, and nothing outside a span or for an invalid one', () => {
    const record: Record<string, unknown> = {};
    expect(writeTraceFields(record, 'otel')).toBe(false);
    expect(record).toEqual({});
    expect(fieldsIn({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }, 'otel')).toEqual({ wrote: false, record: {} });
    trace.getTracer('test').startActiveSpan('work', (span) => {
      writeTraceFields(record, 'otel');
      span.end();
    });
    const [span] = exporter.getFinishedSpans();
    expect(record).toEqual({ trace_id: span!.spanContext().traceId, span_id: span!.spanContext().spanId, trace_flags: '01' });
  });

  it('takes the profile from OTEL_INSTRUMENT_LOG_FIELDS, and says on stderr that an unknown one falls back', () => {
    const said: string[] = [];
    const warn = (m: string) => said.push(m);
    expect(readLogFieldsProfile({}, warn)).toBe('otel');
    expect(readLogFieldsProfile({ OTEL_INSTRUMENT_LOG_FIELDS: 'ECS' }, warn)).toBe('ecs');
    expect(readLogFieldsProfile({ OTEL_INSTRUMENT_LOG_FIELDS: ' datadog ' }, warn)).toBe('datadog');
    expect(said).toEqual([]);
    expect(readLogFieldsProfile({ OTEL_INSTRUMENT_LOG_FIELDS: 'splunk' }, warn)).toBe('otel');
    expect(said).toEqual(['otel-instrument: OTEL_INSTRUMENT_LOG_FIELDS=splunk is not one of otel, ecs, datadog; using otel\n']);
  });
});
