package main

import (
	"context"
	"reflect"
	"strings"
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func messageHeaderAttrs(span sdktrace.ReadOnlySpan) map[string][]string {
	found := map[string][]string{}
	for _, kv := range span.Attributes() {
		if key := string(kv.Key); strings.HasPrefix(key, "messaging.header.") {
			found[key] = kv.Value.AsStringSlice()
		}
	}
	return found
}

func listMessagingHeaders(t *testing.T, list string) {
	t.Helper()
	saved := headerCapture
	headerCapture = readHeaderCapture(func(name string) (string, bool) {
		if name == "OTEL_INSTRUMENTATION_MESSAGING_EXPERIMENTAL_CAPTURE_HEADERS" && list != "" {
			return list, true
		}
		return "", false
	})
	t.Cleanup(func() { headerCapture = saved })
}

// The same rules as the Node helpers' test/e2e/message-header-capture.test.ts.
func TestKafkaConsumerSpanCapturesListedHeaders(t *testing.T) {
	provider, recorder := recordedSpans(t)
	otel.SetTracerProvider(provider)
	headers := propagation.MapCarrier{"X-Tenant-Id": "acme", "bin": "\xff\xfe", "authorization": "Bearer secret", "other": "x"}
	process := func() map[string][]string {
		recorder.Reset()
		msg := kafkaMessage{Topic: "orders", Value: []byte("one")}
		if err := processKafkaMessage(context.Background(), headers, "group", msg, func(context.Context, kafkaMessage) error { return nil }); err != nil {
			t.Fatal(err)
		}
		return messageHeaderAttrs(recorder.Ended()[0])
	}
	listMessagingHeaders(t, "x-tenant-id,bin,authorization,absent")
	if got, want := process(), map[string][]string{"messaging.header.x-tenant-id": {"acme"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("captured %v, want %v", got, want)
	}
	listMessagingHeaders(t, "")
	if got := process(); len(got) != 0 {
		t.Errorf("unset captured %v", got)
	}
}

func TestAMQPHeadersCapturedAsTheNodeHelperRecordsThem(t *testing.T) {
	provider, recorder := recordedSpans(t)
	table := amqp.Table{"X-Tenant-Id": "acme", "count": int32(3), "ratio": 1.5, "flag": true, "bin": []byte{0xff, 0xfe}, "text": []byte("ok"), "authorization": "Bearer secret", "nested": amqp.Table{"a": "b"}}
	capture := func() map[string][]string {
		recorder.Reset()
		_, span := provider.Tracer("test").Start(context.Background(), "publish")
		captureAMQPHeaders(span, table)
		span.End()
		return messageHeaderAttrs(recorder.Ended()[0])
	}
	listMessagingHeaders(t, "x-tenant-id,count,ratio,flag,bin,text,authorization,nested")
	want := map[string][]string{
		"messaging.header.x-tenant-id": {"acme"},
		"messaging.header.count":       {"3"},
		"messaging.header.ratio":       {"1.5"},
		"messaging.header.flag":        {"true"},
		"messaging.header.text":        {"ok"},
	}
	if got := capture(); !reflect.DeepEqual(got, want) {
		t.Errorf("captured %v, want %v", got, want)
	}
	listMessagingHeaders(t, "")
	if got := capture(); len(got) != 0 {
		t.Errorf("unset captured %v", got)
	}
}
