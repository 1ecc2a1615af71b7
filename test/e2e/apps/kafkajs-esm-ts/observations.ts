// What the app's consumers saw, for the test to compare with what was sent. Buffers travel as
// `{ base64 }` so "byte for byte" survives JSON.
import { propagation, context, trace } from '@opentelemetry/api';
import type { IHeaders, KafkaMessage } from 'kafkajs';

export type Wire = string | { base64: string } | Wire[] | null | undefined;

export interface Observation {
  consumer: string;
  topic: string;
  offset: string;
  key: Wire;
  value: Wire;
  headers: Record<string, Wire>;
  traceId?: string;
  spanId?: string;
  baggage: Record<string, string>;
  attempt: number;
}

export const observations: Observation[] = [];
/** Errors the app's handlers threw, to compare with what kafkajs got back. */
export const thrown: unknown[] = [];
/** What kafkajs logged about failed handlers: was it the very error the handler threw? */
export const handlerFailures: { message: string; sameAsThrown: boolean }[] = [];

export function toWire(value: Buffer | string | (Buffer | string)[] | null | undefined): Wire {
  if (Array.isArray(value)) return value.map(toWire);
  if (Buffer.isBuffer(value)) return { base64: value.toString('base64') };
  return value;
}

export function fromWire(value: Wire): Buffer | string | (Buffer | string)[] | null | undefined {
  if (Array.isArray(value)) return value.map((v) => fromWire(v) as Buffer | string);
  if (value && typeof value === 'object') return Buffer.from(value.base64, 'base64');
  return value;
}

export function headersToWire(headers: IHeaders | undefined): Record<string, Wire> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, toWire(value)]));
}

/** Records a message with the span and baggage active while the handler runs. */
export function observe(consumer: string, topic: string, message: KafkaMessage, attempt = 1): void {
  const span = trace.getSpan(context.active())?.spanContext();
  const baggage = Object.fromEntries((propagation.getBaggage(context.active())?.getAllEntries() ?? []).map(([k, v]) => [k, v.value]));
  observations.push({
    consumer,
    topic,
    offset: message.offset,
    key: toWire(message.key),
    value: toWire(message.value),
    headers: headersToWire(message.headers),
    traceId: span?.traceId,
    spanId: span?.spanId,
    baggage,
    attempt,
  });
}
