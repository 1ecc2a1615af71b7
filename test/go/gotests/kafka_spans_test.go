package main

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

func TestKafkaSendAndProcessSpansMatchTheNodeSide(t *testing.T) {
	provider, recorder := recordedSpans(t)
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	member, _ := baggage.NewMember("tenant", "acme")
	bag, _ := baggage.New(member)
	ctx := baggage.ContextWithBaggage(context.Background(), bag)
	ctx, span, timer := startKafkaSend(ctx, "orders", []byte("k1"), nil)
	carrier := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, carrier)
	endKafkaSend(ctx, span, timer, 3, 42, nil)
	span.End()

	var seen string
	msg := kafkaMessage{Topic: "orders", Partition: 3, Offset: 42, Key: []byte("k1"), Value: []byte("v")}
	err := processKafkaMessage(context.Background(), carrier, "billing", msg, func(ctx context.Context, _ kafkaMessage) error {
		seen = baggage.FromContext(ctx).Member("tenant").Value()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != "acme" {
		t.Errorf("baggage in the handler: %q", seen)
	}

	spans := recorder.Ended()
	send, process := spans[0], spans[1]
	if send.Name() != "send orders" || send.SpanKind() != trace.SpanKindProducer {
		t.Errorf("send span %q %v", send.Name(), send.SpanKind())
	}
	if process.Name() != "process orders" || process.SpanKind() != trace.SpanKindConsumer {
		t.Errorf("process span %q %v", process.Name(), process.SpanKind())
	}
	if process.Parent().SpanID() != send.SpanContext().SpanID() || process.SpanContext().TraceID() != send.SpanContext().TraceID() {
		t.Error("process is not a child of send")
	}
	want := map[string]string{
		"messaging.system":                   "kafka",
		"messaging.operation.type":           "send",
		"messaging.operation.name":           "send",
		"messaging.destination.name":         "orders",
		"messaging.kafka.message.key":        "k1",
		"messaging.destination.partition.id": "3",
	}
	for key, value := range want {
		if got, _ := attr(send.Attributes(), key); got.Emit() != value {
			t.Errorf("send %s = %q, want %q", key, got.Emit(), value)
		}
	}
	if got, _ := attr(send.Attributes(), "messaging.kafka.message.tombstone"); !got.AsBool() {
		t.Error("a nil value is a tombstone")
	}
	if got, _ := attr(process.Attributes(), "messaging.consumer.group.name"); got.AsString() != "billing" {
		t.Errorf("group %q", got.AsString())
	}
	if got, _ := attr(process.Attributes(), "messaging.kafka.offset"); got.AsInt64() != 42 {
		t.Errorf("offset %d", got.AsInt64())
	}
}
