package main

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
)

// Only for modules generated with --id-generator time-ordered.
func TestInitTracingMakesTimeOrderedTraceIDs(t *testing.T) {
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	shutdown, err := InitTracing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = shutdown(context.Background()) }()
	before := time.Now().UnixMilli()
	_, span := otel.Tracer("test").Start(context.Background(), "root")
	span.End()
	after := time.Now().UnixMilli()

	id := span.SpanContext().TraceID()
	var ms [8]byte
	copy(ms[2:], id[:6])
	if got := int64(binary.BigEndian.Uint64(ms[:])); got < before || got > after {
		t.Errorf("trace id %s starts with %d ms, want %d..%d", id, got, before, after)
	}
}
