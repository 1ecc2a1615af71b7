// Copied into <module>/tracelog by test/go/logs.test.ts: the slog handler with the real
// log/slog JSON handler and the real OpenTelemetry SDK.
package tracelog

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// The W3C trace-context example ids, and ids whose low 64 bits are all ones (above int64).
var (
	exampleTrace, _ = trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	exampleSpan, _  = trace.SpanIDFromHex("00f067aa0ba902b7")
	maxTrace, _     = trace.TraceIDFromHex("0000000000000001ffffffffffffffff")
	maxSpan, _      = trace.SpanIDFromHex("ffffffffffffffff")
)

var idKeys = []string{"trace_id", "span_id", "trace_flags", "trace.id", "span.id", "dd.trace_id", "dd.span_id"}

func withSpanContext(traceID trace.TraceID, spanID trace.SpanID, flags trace.TraceFlags) context.Context {
	return trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: spanID, TraceFlags: flags}))
}

// lines logs through a Handler over slog's JSON handler and returns the decoded lines.
func lines(t *testing.T, profile Profile, log func(*slog.Logger)) []map[string]any {
	t.Helper()
	var out bytes.Buffer
	log(slog.New(NewHandler(slog.NewJSONHandler(&out, nil), profile)))
	var decoded []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var fields map[string]any
		if err := json.Unmarshal([]byte(line), &fields); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		decoded = append(decoded, fields)
	}
	return decoded
}

// ids is the line's id fields.
func ids(line map[string]any) map[string]any {
	found := map[string]any{}
	for _, key := range idKeys {
		if value, ok := line[key]; ok {
			found[key] = value
		}
	}
	return found
}

func assertIDs(t *testing.T, what string, line map[string]any, want map[string]any) {
	t.Helper()
	got := ids(line)
	if len(got) != len(want) {
		t.Errorf("%s: id fields %v, want %v", what, got, want)
		return
	}
	for key, value := range want {
		if got[key] != value {
			t.Errorf("%s: %s = %v, want %v", what, key, got[key], value)
		}
	}
}

func TestEachProfileNamesAndFormatsTheIDs(t *testing.T) {
	cases := []struct {
		profile Profile
		ctx     context.Context
		want    map[string]any
	}{
		{OTel, withSpanContext(exampleTrace, exampleSpan, trace.FlagsSampled), map[string]any{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7", "trace_flags": "01"}},
		{OTel, withSpanContext(exampleTrace, exampleSpan, 0), map[string]any{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7", "trace_flags": "00"}},
		{ECS, withSpanContext(exampleTrace, exampleSpan, trace.FlagsSampled), map[string]any{"trace.id": "4bf92f3577b34da6a3ce929d0e0e4736", "span.id": "00f067aa0ba902b7"}},
		// Datadog: the low 64 bits of each id, unsigned, in decimal.
		{Datadog, withSpanContext(exampleTrace, exampleSpan, trace.FlagsSampled), map[string]any{"dd.trace_id": "11803532876627986230", "dd.span_id": "67667974448284343"}},
		{Datadog, withSpanContext(maxTrace, maxSpan, trace.FlagsSampled), map[string]any{"dd.trace_id": "18446744073709551615", "dd.span_id": "18446744073709551615"}},
		// Not one of the constants: the OpenTelemetry names.
		{Profile("other"), withSpanContext(exampleTrace, exampleSpan, trace.FlagsSampled), map[string]any{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7", "trace_flags": "01"}},
	}
	for _, c := range cases {
		line := lines(t, c.profile, func(logger *slog.Logger) { logger.InfoContext(c.ctx, "inside", "order", 7) })[0]
		assertIDs(t, string(c.profile), line, c.want)
		if line["msg"] != "inside" || line["order"] != float64(7) {
			t.Errorf("%s: the record's own fields changed: %v", c.profile, line)
		}
	}
}

func TestNoValidSpanNoIDFields(t *testing.T) {
	invalid := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{TraceID: exampleTrace}))
	for _, profile := range []Profile{OTel, ECS, Datadog} {
		got := lines(t, profile, func(logger *slog.Logger) {
			logger.Info("no context")
			logger.InfoContext(context.Background(), "no span")
			logger.InfoContext(invalid, "a trace id without a span id")
			logger.Handler().Handle(nil, slog.NewRecord(time.Time{}, slog.LevelInfo, "nil context", 0)) //nolint:staticcheck // a nil context is what some callers pass
		})
		if len(got) != 4 {
			t.Fatalf("%s: %d lines", profile, len(got))
		}
		for _, line := range got {
			assertIDs(t, string(profile)+" "+line["msg"].(string), line, map[string]any{})
		}
	}
}

func TestTheIDsAreThoseOfTheSDKSpanInTheContext(t *testing.T) {
	for _, sampler := range []sdktrace.Sampler{sdktrace.AlwaysSample(), sdktrace.NeverSample()} {
		provider := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler))
		tracer := provider.Tracer("test")
		var outer, inner trace.SpanContext
		got := lines(t, OTel, func(logger *slog.Logger) {
			ctx, parent := tracer.Start(context.Background(), "parent")
			outer = parent.SpanContext()
			logger.InfoContext(ctx, "in parent")
			child, span := tracer.Start(ctx, "child")
			inner = span.SpanContext()
			logger.InfoContext(child, "in child")
			span.End()
			parent.End()
			logger.Info("after")
		})
		flags := inner.TraceFlags().String()
		assertIDs(t, "parent", got[0], map[string]any{"trace_id": outer.TraceID().String(), "span_id": outer.SpanID().String(), "trace_flags": flags})
		assertIDs(t, "child", got[1], map[string]any{"trace_id": outer.TraceID().String(), "span_id": inner.SpanID().String(), "trace_flags": flags})
		assertIDs(t, "after", got[2], map[string]any{})
		if want := map[bool]string{true: "01", false: "00"}[inner.IsSampled()]; flags != want {
			t.Errorf("trace_flags %s, want %s", flags, want)
		}
		_ = provider.Shutdown(context.Background())
	}
}

func TestIDsStayTopLevelUnderGroupsAndAttrs(t *testing.T) {
	ctx := withSpanContext(exampleTrace, exampleSpan, trace.FlagsSampled)
	got := lines(t, ECS, func(logger *slog.Logger) {
		scoped := logger.With("service", "orders").WithGroup("request").With("method", "GET").WithGroup("")
		scoped.InfoContext(ctx, "grouped", "status", 200)
		scoped.Info("grouped without a span", "status", 500)
	})
	assertIDs(t, "grouped", got[0], map[string]any{"trace.id": exampleTrace.String(), "span.id": exampleSpan.String()})
	assertIDs(t, "grouped without a span", got[1], map[string]any{})
	for _, line := range got {
		request, _ := line["request"].(map[string]any)
		if line["service"] != "orders" || request["method"] != "GET" || request["status"] == nil || ids(request)["trace.id"] != nil {
			t.Errorf("the groups and attributes changed: %v", line)
		}
	}
}

func TestLevelsAreTheWrappedHandlers(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(NewHandler(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn}), OTel))
	ctx := withSpanContext(exampleTrace, exampleSpan, trace.FlagsSampled)
	logger.InfoContext(ctx, "dropped")
	logger.WithGroup("g").InfoContext(ctx, "dropped too")
	logger.WarnContext(ctx, "kept")
	if text := out.String(); strings.Contains(text, "dropped") || !strings.Contains(text, "kept") {
		t.Errorf("levels: %s", text)
	}
}

func TestProfileFromEnv(t *testing.T) {
	for value, want := range map[string]Profile{"": DefaultProfile, "otel": OTel, " ECS ": ECS, "datadog": Datadog} {
		t.Setenv(EnvVar, value)
		if got := ProfileFromEnv(); got != want {
			t.Errorf("%s=%q: %s, want %s", EnvVar, value, got, want)
		}
	}
	// An unknown value: the default, said once on stderr.
	read, write, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = write
	t.Setenv(EnvVar, "splunk")
	first, second := ProfileFromEnv(), ProfileFromEnv()
	os.Stderr = stderr
	write.Close()
	said, _ := io.ReadAll(read)
	if first != DefaultProfile || second != DefaultProfile {
		t.Errorf("unknown value: %s, %s, want %s", first, second, DefaultProfile)
	}
	if text := string(said); strings.Count(text, "\n") != 1 || !strings.Contains(text, "OTEL_INSTRUMENT_LOG_FIELDS=splunk is not one of otel, ecs, datadog; using "+string(DefaultProfile)) {
		t.Errorf("stderr: %q", text)
	}
}
