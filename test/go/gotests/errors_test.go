package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// recordedSpans gives a tracer provider that keeps ended spans in memory.
func recordedSpans(t *testing.T) (*sdktrace.TracerProvider, *tracetest.SpanRecorder) {
	t.Helper()
	recorder := tracetest.NewSpanRecorder()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	t.Cleanup(func() { _ = provider.Shutdown(context.Background()) })
	return provider, recorder
}

func attr(attrs []attribute.KeyValue, key string) (attribute.Value, bool) {
	for _, kv := range attrs {
		if string(kv.Key) == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func TestRecordErrorWalksUnwrapAndJoin(t *testing.T) {
	provider, recorder := recordedSpans(t)
	_, span := provider.Tracer("test").Start(context.Background(), "op")
	root := errors.New("connection refused")
	err := fmt.Errorf("send order: %w", errors.Join(fmt.Errorf("dial: %w", root), errors.New("retry budget spent")))
	recordError(span, err)
	span.End()

	ended := recorder.Ended()[0]
	if ended.Status().Code != codes.Error || ended.Status().Description != err.Error() {
		t.Errorf("status %v", ended.Status())
	}
	if v, _ := attr(ended.Attributes(), "error.type"); v.AsString() != "*fmt.wrapError" {
		t.Errorf("error.type %q", v.AsString())
	}
	event := ended.Events()[0]
	stack, _ := attr(event.Attributes, "exception.stacktrace")
	lines := strings.Split(stack.AsString(), "\n")
	want := []string{
		"*fmt.wrapError: " + err.Error(),
		"Caused by: *errors.joinError: dial: connection refused\nretry budget spent",
	}
	if !strings.HasPrefix(stack.AsString(), want[0]+"\n"+want[1]) {
		t.Errorf("chain:\n%s", stack.AsString())
	}
	if !strings.Contains(stack.AsString(), "Caused by: *errors.errorString: connection refused") ||
		!strings.Contains(stack.AsString(), "Caused by: *errors.errorString: retry budget spent") {
		t.Errorf("joined causes missing:\n%s (%d lines)", stack.AsString(), len(lines))
	}
}

func TestErrorChainIsBounded(t *testing.T) {
	err := errors.New("root")
	for range 20 {
		err = fmt.Errorf("wrap: %w", err)
	}
	if got := len(errorChain(err)); got != maxCauses {
		t.Errorf("chain length %d", got)
	}
}
