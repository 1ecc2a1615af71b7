package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

func TestInitTracingSetsW3CPropagatorsAndHonoursExporterNone(t *testing.T) {
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
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

func TestInitTracingExportsOTLPOverHTTPWithTheResourceFromEnv(t *testing.T) {
	requests := make(chan *coltracepb.ExportTraceServiceRequest, 4)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		request := &coltracepb.ExportTraceServiceRequest{}
		if r.URL.Path != "/v1/traces" || proto.Unmarshal(body, request) != nil {
			t.Errorf("unexpected export %s %s", r.Method, r.URL.Path)
		}
		requests <- request
	}))
	defer receiver.Close()
	t.Setenv("OTEL_TRACES_EXPORTER", "")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.URL)
	t.Setenv("OTEL_SERVICE_NAME", "from-env")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test")

	shutdown, err := InitTracing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, span := otel.Tracer("test").Start(context.Background(), "exported")
	span.End()
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	request := <-requests
	resource := map[string]string{}
	for _, kv := range request.ResourceSpans[0].Resource.Attributes {
		resource[kv.Key] = kv.Value.GetStringValue()
	}
	if resource["service.name"] != "from-env" || resource["deployment.environment.name"] != "test" {
		t.Errorf("resource %v", resource)
	}
	if name := request.ResourceSpans[0].ScopeSpans[0].Spans[0].Name; name != "exported" {
		t.Errorf("span %q", name)
	}
}

func TestInitTracingLeavesTheSamplerToTheEnvironment(t *testing.T) {
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_TRACES_SAMPLER", "traceidratio")
	t.Setenv("OTEL_TRACES_SAMPLER_ARG", "0.5")
	shutdown, err := InitTracing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = shutdown(context.Background()) }()
	// traceidratio (not parent based) decides on the trace id alone: its last 8 bytes >> 1 below
	// 0.5 * 2^63, the rule the Node bootstrap applies too.
	for id, want := range map[string]bool{"0af7651916cd43dd0000000000000000": true, "0af7651916cd43ddffffffffffffffff": false} {
		traceID, _ := trace.TraceIDFromHex(id)
		parent := trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: trace.SpanID{1}})
		ctx := trace.ContextWithSpanContext(context.Background(), parent)
		_, span := otel.Tracer("test").Start(ctx, "child")
		if got := span.SpanContext().IsSampled(); got != want {
			t.Errorf("trace %s sampled %v, want %v", id, got, want)
		}
		span.End()
	}
}

// With no variable naming the endpoint or its security, the exporters get WithInsecure, so both
// SDKs send to http://localhost:4318, the specification's default (the Go exporters alone would
// use https there and fail against the same collector the Node side reaches).
func TestOTLPDefaultEndpointIsPlainHTTPAsInNode(t *testing.T) {
	for _, signal := range []string{"", "TRACES_", "METRICS_"} {
		t.Setenv("OTEL_EXPORTER_OTLP_"+signal+"ENDPOINT", "")
		t.Setenv("OTEL_EXPORTER_OTLP_"+signal+"INSECURE", "")
	}
	if !otlpDefaultEndpoint("TRACES") || !otlpDefaultEndpoint("METRICS") {
		t.Fatal("nothing set: want the default endpoint, over plain HTTP")
	}
	t.Setenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://collector.example:4318")
	if otlpDefaultEndpoint("METRICS") {
		t.Fatal("a metrics endpoint is set: the exporter must keep its scheme")
	}
	if !otlpDefaultEndpoint("TRACES") {
		t.Fatal("a metrics endpoint says nothing about traces")
	}
	t.Setenv("OTEL_EXPORTER_OTLP_INSECURE", "false")
	if otlpDefaultEndpoint("TRACES") {
		t.Fatal("OTEL_EXPORTER_OTLP_INSECURE is set: the user's choice stands")
	}
}
