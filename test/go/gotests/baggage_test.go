package main

import (
	"context"
	"reflect"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func TestBaggageKeysFromEnv(t *testing.T) {
	if got := baggageKeysFromEnv(" tenant, plan,,tenant,Secret"); !reflect.DeepEqual(got, []string{"tenant", "plan", "Secret"}) {
		t.Errorf("keys %v", got)
	}
	if got := baggageKeysFromEnv(""); got != nil {
		t.Errorf("unset %v", got)
	}
}

// InitTracing with OTEL_INSTRUMENTATION_BAGGAGE_SPAN_ATTRIBUTES: the listed keys, and only those,
// are on a span started in a context with baggage; unset, none are.
func TestInitTracingCopiesListedBaggageKeys(t *testing.T) {
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	attributes := func(list string) map[string]string {
		t.Setenv("OTEL_INSTRUMENTATION_BAGGAGE_SPAN_ATTRIBUTES", list)
		shutdown, err := InitTracing(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer shutdown(context.Background())
		var members []baggage.Member
		for key, value := range map[string]string{"tenant": "acme", "plan": "gold", "secret": "hunter2"} {
			member, _ := baggage.NewMember(key, value)
			members = append(members, member)
		}
		bag, _ := baggage.New(members...)
		_, span := otel.Tracer("test").Start(baggage.ContextWithBaggage(context.Background(), bag), "with-baggage")
		defer span.End()
		found := map[string]string{}
		for _, kv := range span.(sdktrace.ReadOnlySpan).Attributes() {
			found[string(kv.Key)] = kv.Value.AsString()
		}
		return found
	}
	if got := attributes("tenant, plan,Secret"); !reflect.DeepEqual(got, map[string]string{"tenant": "acme", "plan": "gold"}) {
		t.Errorf("listed: %v", got)
	}
	if got := attributes(""); len(got) != 0 {
		t.Errorf("unset: %v", got)
	}
}
