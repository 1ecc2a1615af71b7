package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Needs the full inventory's GET /api/orders/:id route on the Node side.
func TestClientInjectsContextAndEscapesPathParameters(t *testing.T) {
	provider, recorder := recordedSpans(t)
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	var path, traceparent, bag string
	node := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, traceparent, bag = r.URL.EscapedPath(), r.Header.Get("traceparent"), r.Header.Get("baggage")
	}))
	defer node.Close()

	member, _ := baggage.NewMember("tenant", "acme")
	b, _ := baggage.New(member)
	ctx, parent := provider.Tracer("test").Start(baggage.ContextWithBaggage(context.Background(), b), "caller")
	resp, err := newNodeClient(node.URL+"/").getAPIOrdersByID(ctx, "a/b c")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	parent.End()

	if path != "/api/orders/a%2Fb%20c" {
		t.Errorf("path %q", path)
	}
	if bag != "tenant=acme" {
		t.Errorf("baggage %q", bag)
	}
	spans := recorder.Ended()
	client := spans[0]
	if client.SpanKind() != trace.SpanKindClient || client.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("client span %q %v", client.Name(), client.SpanKind())
	}
	if want := "00-" + client.SpanContext().TraceID().String() + "-" + client.SpanContext().SpanID().String() + "-01"; traceparent != want {
		t.Errorf("traceparent %q, want %q", traceparent, want)
	}
}
