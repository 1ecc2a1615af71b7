package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Needs the full inventory's GET /api/stock route; runs against whichever server flavor was generated.
func TestServerSpanContinuesTheCallersTraceAndIsNamedAfterTheRoute(t *testing.T) {
	provider, recorder := recordedSpans(t)
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	req := httptest.NewRequest(http.MethodGet, "/api/stock", nil)
	req.Header.Set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	res := httptest.NewRecorder()
	(&service{}).routes().ServeHTTP(res, req)

	if res.Code != http.StatusNotImplemented {
		t.Errorf("status %d", res.Code)
	}
	spans := recorder.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	span := spans[0]
	if span.Name() != "GET /api/stock" || span.SpanKind() != trace.SpanKindServer {
		t.Errorf("span %q %v", span.Name(), span.SpanKind())
	}
	if span.SpanContext().TraceID().String() != "0af7651916cd43dd8448eb211c80319c" || span.Parent().SpanID().String() != "b7ad6b7169203331" {
		t.Errorf("parent %v", span.Parent())
	}
	if route, _ := attr(span.Attributes(), "http.route"); route.AsString() != "/api/stock" {
		t.Errorf("http.route %q", route.AsString())
	}
	if code, _ := attr(span.Attributes(), "http.response.status_code"); code.AsInt64() != http.StatusNotImplemented {
		t.Errorf("status code attribute %v", code.AsInt64())
	}
}
