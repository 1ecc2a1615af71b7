// Package decide asks the real Go SDK for sampling decisions. The vector generator
// (cmd/sampling-decisions) writes its answers into test/vectors; the Go tests ask again, so the
// committed vectors keep matching the SDK version pinned in go.mod.
package decide

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Parents are the parent span states an env case is tried with, in output order.
var Parents = []string{"none", "remote-sampled", "remote-not-sampled"}

// EnvVars are the variables an env case may set; the others are unset.
var EnvVars = []string{"OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG"}

// ParseTraceID decodes 32 hex digits.
func ParseTraceID(s string) (trace.TraceID, error) {
	var tid trace.TraceID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(tid) {
		return tid, fmt.Errorf("trace id %q: want 32 hex digits", s)
	}
	copy(tid[:], b)
	return tid, nil
}

// RatioDecisions returns sdktrace.TraceIDRatioBased(ratio)'s description and, per trace ID, '1'
// for RecordAndSample and '0' otherwise.
func RatioDecisions(ratio float64, traceIDs []trace.TraceID) (string, string) {
	sampler := sdktrace.TraceIDRatioBased(ratio)
	var sampled strings.Builder
	for _, tid := range traceIDs {
		p := sdktrace.SamplingParameters{ParentContext: context.Background(), TraceID: tid, Name: "vector"}
		sampled.WriteByte(bit(sampler.ShouldSample(p).Decision == sdktrace.RecordAndSample))
	}
	return sampler.Description(), sampled.String()
}

// EnvDecisions configures a TracerProvider from env alone (as a Go service would be) and reports
// whether the SDK complained about the configuration and, per parent state, which trace IDs it
// sampled.
func EnvDecisions(env map[string]string, traceIDs []trace.TraceID) (bool, map[string]string, error) {
	for _, name := range EnvVars {
		if value, ok := env[name]; ok {
			os.Setenv(name, value)
		} else {
			os.Unsetenv(name)
		}
	}
	defer func() {
		for _, name := range EnvVars {
			os.Unsetenv(name)
		}
	}()
	problem := false
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) { problem = true }))
	ids := &fixedIDs{}
	provider := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(ids))
	defer provider.Shutdown(context.Background())
	tracer := provider.Tracer("vectors")

	sampled := map[string]string{}
	for _, parent := range Parents {
		var bits strings.Builder
		for _, tid := range traceIDs {
			ctx := context.Background()
			switch parent {
			case "remote-sampled", "remote-not-sampled":
				flags := trace.TraceFlags(0)
				if parent == "remote-sampled" {
					flags = trace.FlagsSampled
				}
				ctx = trace.ContextWithRemoteSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{
					TraceID: tid, SpanID: trace.SpanID{0xaa, 1}, TraceFlags: flags, Remote: true,
				}))
			case "none":
			default:
				return false, nil, fmt.Errorf("unknown parent state %q", parent)
			}
			ids.traceID = tid
			_, span := tracer.Start(ctx, "vector")
			if span.SpanContext().TraceID() != tid {
				return false, nil, fmt.Errorf("span got trace id %s, want %s", span.SpanContext().TraceID(), tid)
			}
			bits.WriteByte(bit(span.SpanContext().IsSampled()))
			span.End()
		}
		sampled[parent] = bits.String()
	}
	return problem, sampled, nil
}

// SDKVersion is the go.opentelemetry.io/otel/sdk version this binary was built with.
func SDKVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "go.opentelemetry.io/otel/sdk" {
				return dep.Path + " " + dep.Version
			}
		}
	}
	return "go.opentelemetry.io/otel/sdk (unknown version)"
}

// fixedIDs hands out the trace ID under test for root spans.
type fixedIDs struct{ traceID trace.TraceID }

func (f *fixedIDs) NewIDs(context.Context) (trace.TraceID, trace.SpanID) {
	return f.traceID, trace.SpanID{0xbb, 1}
}

func (f *fixedIDs) NewSpanID(context.Context, trace.TraceID) trace.SpanID {
	return trace.SpanID{0xbb, 2}
}

func bit(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}
