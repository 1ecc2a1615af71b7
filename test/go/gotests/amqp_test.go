package main

import (
	"context"
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

func TestAMQPHeadersSetInitialisesANilTableAndWritesStrings(t *testing.T) {
	var msg amqp.Publishing
	amqpHeaders{&msg.Headers}.Set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	if value, ok := msg.Headers["traceparent"].(string); !ok || value == "" {
		t.Fatalf("headers %#v", msg.Headers)
	}
}

func TestAMQPHeadersSetReplacesTheKeyInAnyCase(t *testing.T) {
	table := amqp.Table{"Traceparent": "stale", "x-user": "kept"}
	amqpHeaders{&table}.Set("traceparent", "fresh")
	if len(table) != 2 || table["traceparent"] != "fresh" || table["x-user"] != "kept" {
		t.Fatalf("table %#v", table)
	}
}

func TestAMQPHeadersGetReadsStringsAndBytesInAnyCase(t *testing.T) {
	table := amqp.Table{"traceparent": []byte("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), "Baggage": "user=alice", "n": int32(1)}
	carrier := amqpHeaders{&table}
	if got := carrier.Get("traceparent"); got != "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" {
		t.Errorf("[]byte header: %q", got)
	}
	if got := carrier.Get("baggage"); got != "user=alice" {
		t.Errorf("other case: %q", got)
	}
	if got := carrier.Get("n"); got != "" {
		t.Errorf("non-text header: %q", got)
	}
	var empty amqp.Table
	if got := (amqpHeaders{&empty}).Get("traceparent"); got != "" {
		t.Errorf("nil table: %q", got)
	}
	ctx := propagation.TraceContext{}.Extract(context.Background(), carrier)
	if !trace.SpanContextFromContext(ctx).IsValid() {
		t.Error("a []byte traceparent does not extract")
	}
}

func TestAMQPDestinationsMatchTheNodeSide(t *testing.T) {
	cases := []struct{ exchange, key, want string }{
		{"orders", "created", "orders:created"},
		{"", "jobs", "jobs"},
		{"fanout", "", "fanout"},
		{"", "", "amq.default"},
	}
	for _, c := range cases {
		if got, _ := amqpPublishDestination(c.exchange, c.key); got != c.want {
			t.Errorf("publish %q %q: %q, want %q", c.exchange, c.key, got, c.want)
		}
	}
	if got, _ := amqpProcessDestination("", "jobs", "jobs"); got != "jobs" {
		t.Errorf("default exchange: %q", got)
	}
	if got, _ := amqpProcessDestination("orders", "created", "billing"); got != "orders:created:billing" {
		t.Errorf("bound queue: %q", got)
	}
	if got, kind := amqpPublishDestination("", "amq.gen-abc"); got != "amq.gen-abc" || amqpSpanName("publish", got, kind) != "publish" {
		t.Errorf("anonymous queue named in the span: %q %v", got, kind)
	}
}
