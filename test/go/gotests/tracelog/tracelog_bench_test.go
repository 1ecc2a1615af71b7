// The cost of the ids per line: slog's JSON handler writing to io.Discard, plain and wrapped,
// inside a span and outside any. Copied in by test/go/logs.test.ts (benchmarks run only with
// -bench: `go test -bench . -benchmem ./tracelog/` in the generated module).
package tracelog

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"go.opentelemetry.io/otel/trace"
)

func benchmarkLines(b *testing.B, handler slog.Handler, ctx context.Context) {
	logger := slog.New(handler)
	b.ReportAllocs()
	for b.Loop() {
		logger.InfoContext(ctx, "order stored", "order", 7, "status", "paid")
	}
}

func BenchmarkLine(b *testing.B) {
	inSpan := withSpanContext(exampleTrace, exampleSpan, trace.FlagsSampled)
	b.Run("plain", func(b *testing.B) { benchmarkLines(b, slog.NewJSONHandler(io.Discard, nil), inSpan) })
	b.Run("wrapped/in-span", func(b *testing.B) { benchmarkLines(b, NewHandler(slog.NewJSONHandler(io.Discard, nil), OTel), inSpan) })
	b.Run("wrapped/datadog", func(b *testing.B) { benchmarkLines(b, NewHandler(slog.NewJSONHandler(io.Discard, nil), Datadog), inSpan) })
	b.Run("wrapped/no-span", func(b *testing.B) {
		benchmarkLines(b, NewHandler(slog.NewJSONHandler(io.Discard, nil), OTel), context.Background())
	})
	b.Run("wrapped/in-span/grouped", func(b *testing.B) {
		benchmarkLines(b, NewHandler(slog.NewJSONHandler(io.Discard, nil), OTel).WithGroup("request"), inSpan)
	})
}
