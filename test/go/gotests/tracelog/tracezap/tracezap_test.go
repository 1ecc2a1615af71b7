// Copied into <module>/tracelog/tracezap by test/go/logs.test.ts: the zap Core with zap's own
// JSON encoder and the real OpenTelemetry SDK.
package tracezap

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"{{module}}/tracelog"
)

func jsonCore(out *bytes.Buffer) zapcore.Core {
	return zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(out), zapcore.InfoLevel)
}

func decode(t *testing.T, out *bytes.Buffer) []map[string]any {
	t.Helper()
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

func TestCoreReplacesTheContextFieldWithTheSpanIDs(t *testing.T) {
	provider := sdktrace.NewTracerProvider()
	defer provider.Shutdown(context.Background())
	ctx, span := provider.Tracer("test").Start(context.Background(), "work")
	defer span.End()
	sc := span.SpanContext()

	var out bytes.Buffer
	logger := zap.New(NewCore(jsonCore(&out), tracelog.Datadog))
	logger.Info("inside", Context(ctx), zap.Int("order", 7))
	logger.Info("outside", Context(context.Background()))
	logger.Info("no context field")
	child := logger.With(Context(ctx)).Named("child").With(zap.String("step", "two"))
	child.Warn("request logger")
	logger.Debug("below the level", Context(ctx))

	got := decode(t, &out)
	if len(got) != 4 {
		t.Fatalf("%d lines: %s", len(got), out.String())
	}
	want := tracelog.Datadog.Fields(ctx)
	for _, i := range []int{0, 3} {
		for _, field := range want {
			if got[i][field.Key] != field.Value {
				t.Errorf("line %d: %s = %v, want %s (span %s)", i, field.Key, got[i][field.Key], field.Value, sc.SpanID())
			}
		}
	}
	if got[0]["order"] != float64(7) || got[3]["step"] != "two" || got[3]["logger"] != "child" {
		t.Errorf("the entries' own fields changed: %v", got)
	}
	for i, line := range got {
		if _, ok := line["context"]; ok {
			t.Errorf("line %d prints the context: %v", i, line)
		}
		if i == 1 || i == 2 {
			for key := range line {
				if strings.HasPrefix(key, "dd.") {
					t.Errorf("line %d outside any span has %s", i, key)
				}
			}
		}
	}
}

func TestContextFieldPrintsNothingWithoutTheCore(t *testing.T) {
	ctx := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}}))
	var out bytes.Buffer
	zap.New(jsonCore(&out)).Info("plain", Context(ctx))
	line := decode(t, &out)[0]
	if len(line) != 3 { // level, ts, msg
		t.Errorf("a plain core wrote %v", line)
	}
}
