package main

import (
	"context"
	"slices"
	"testing"

	"go.opentelemetry.io/otel"
)

func TestInitTracingSetsW3CPropagatorsAndHonoursExporterNone(t *testing.T) {
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	shutdown, err := InitTracing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	fields := otel.GetTextMapPropagator().Fields()
	for _, want := range []string{"traceparent", "tracestate", "baggage"} {
		if !slices.Contains(fields, want) {
			t.Errorf("propagator fields %v lack %q", fields, want)
		}
	}
}

func TestExportersFromEnv(t *testing.T) {
	t.Setenv("OTEL_TRACES_EXPORTER", "console, none")
	exporters, err := exportersFromEnv(context.Background())
	if err != nil || len(exporters) != 0 {
		t.Fatalf("none must win: %v %v", exporters, err)
	}
	t.Setenv("OTEL_TRACES_EXPORTER", "console")
	if exporters, err = exportersFromEnv(context.Background()); err != nil || len(exporters) != 1 {
		t.Fatalf("console: %v %v", exporters, err)
	}
}
