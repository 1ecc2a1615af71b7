// Package telemetry checks the Go side of the shared Node/Go vectors in ../vectors. It compiles the
// Go template under test straight from templates/go/sampling through a build overlay, so run it as
//
//	go test -overlay overlay.json ./...
//
// (test/go-vectors/go-vectors.test.ts does, as part of npm test).
package telemetry

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"otel-instrument/test/go-vectors/internal/decide"
)

func readVectors(t *testing.T, name string, into any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "vectors", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func parseTraceIDs(t *testing.T, hexIDs []string) []trace.TraceID {
	t.Helper()
	ids := make([]trace.TraceID, len(hexIDs))
	for i, s := range hexIDs {
		tid, err := decide.ParseTraceID(s)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = tid
	}
	return ids
}

// The committed decisions are still what the pinned SDK's TraceIDRatioBased decides.
func TestSamplingVectorsMatchGoSDK(t *testing.T) {
	var vectors struct {
		Ratios []struct {
			Ratio       float64 `json:"ratio"`
			Description string  `json:"description"`
			Sampled     string  `json:"sampled"`
		} `json:"ratios"`
		TraceIDs []string `json:"traceIds"`
	}
	readVectors(t, "sampling.json", &vectors)
	ids := parseTraceIDs(t, vectors.TraceIDs)
	if len(ids) != 10_000 {
		t.Fatalf("got %d trace ids, want 10000", len(ids))
	}
	for _, r := range vectors.Ratios {
		description, sampled := decide.RatioDecisions(r.Ratio, ids)
		if description != r.Description {
			t.Errorf("ratio %v: description %q, vectors say %q", r.Ratio, description, r.Description)
		}
		if len(sampled) != len(r.Sampled) {
			t.Fatalf("ratio %v: %d decisions, vectors have %d", r.Ratio, len(sampled), len(r.Sampled))
		}
		for i := range sampled {
			if sampled[i] != r.Sampled[i] {
				t.Errorf("ratio %v, trace id %s: Go SDK says %c, vectors say %c", r.Ratio, vectors.TraceIDs[i], sampled[i], r.Sampled[i])
			}
		}
	}
}

// OTEL_TRACES_SAMPLER(_ARG) still configure the pinned SDK the way the committed cases say.
func TestSamplerEnvVectorsMatchGoSDK(t *testing.T) {
	var vectors struct {
		TraceIDs []string `json:"traceIds"`
		Cases    []struct {
			Env     map[string]string `json:"env"`
			Problem bool              `json:"problem"`
			Sampled map[string]string `json:"sampled"`
		} `json:"cases"`
	}
	readVectors(t, "sampler-env.json", &vectors)
	ids := parseTraceIDs(t, vectors.TraceIDs)
	for _, c := range vectors.Cases {
		problem, sampled, err := decide.EnvDecisions(c.Env, ids)
		if err != nil {
			t.Fatal(err)
		}
		if problem != c.Problem {
			t.Errorf("env %v: Go SDK reports problem=%v, vectors say %v", c.Env, problem, c.Problem)
		}
		for _, parent := range decide.Parents {
			if sampled[parent] != c.Sampled[parent] {
				t.Errorf("env %v, parent %s: Go SDK samples %s, vectors say %s", c.Env, parent, sampled[parent], c.Sampled[parent])
			}
		}
	}
}

func TestTimeOrderedTraceIDLayout(t *testing.T) {
	var vectors struct {
		Vectors []struct {
			Ms      uint64 `json:"ms"`
			Random  string `json:"random"`
			TraceID string `json:"traceId"`
		} `json:"vectors"`
	}
	readVectors(t, "time-ordered-ids.json", &vectors)
	if len(vectors.Vectors) == 0 {
		t.Fatal("no time-ordered id vectors")
	}
	for _, v := range vectors.Vectors {
		var random [16]byte
		if b, err := hex.DecodeString(v.Random); err != nil || len(b) != 16 {
			t.Fatalf("random %q: want 32 hex digits", v.Random)
		} else {
			copy(random[:], b)
		}
		if got := TimeOrderedTraceID(v.Ms, random).String(); got != v.TraceID {
			t.Errorf("TimeOrderedTraceID(%d, %s) = %s, want %s", v.Ms, v.Random, got, v.TraceID)
		}
	}
}

func TestTimeOrderedIDGenerator(t *testing.T) {
	var gen sdktrace.IDGenerator = TimeOrderedIDGenerator{}
	seen := map[trace.TraceID]bool{}
	for range 1000 {
		before := uint64(time.Now().UnixMilli())
		tid, sid := gen.NewIDs(context.Background())
		after := uint64(time.Now().UnixMilli())
		if !tid.IsValid() || !sid.IsValid() {
			t.Fatalf("invalid ids %s %s", tid, sid)
		}
		if ms := leadingMillis(tid); ms < before || ms > after {
			t.Fatalf("trace id %s starts with %d ms, want within [%d, %d]", tid, ms, before, after)
		}
		if seen[tid] {
			t.Fatalf("trace id %s repeated", tid)
		}
		seen[tid] = true
		if child := gen.NewSpanID(context.Background(), tid); !child.IsValid() {
			t.Fatalf("invalid span id %s", child)
		}
	}

	// And the SDK accepts it: root spans get time-ordered ids, children keep the trace id.
	provider := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(TimeOrderedIDGenerator{}))
	defer provider.Shutdown(context.Background())
	start := uint64(time.Now().UnixMilli())
	ctx, root := provider.Tracer("test").Start(context.Background(), "root")
	_, child := provider.Tracer("test").Start(ctx, "child")
	tid := root.SpanContext().TraceID()
	if got := leadingMillis(tid); got < start {
		t.Errorf("root trace id %s starts with %d ms, want >= %d", tid, got, start)
	}
	if child.SpanContext().TraceID() != tid || child.SpanContext().SpanID() == root.SpanContext().SpanID() {
		t.Errorf("child %v does not continue root %v", child.SpanContext(), root.SpanContext())
	}
}

// leadingMillis reads the 48-bit big-endian time a time-ordered trace ID starts with.
func leadingMillis(tid trace.TraceID) uint64 {
	var ms uint64
	for _, b := range tid[:6] {
		ms = ms<<8 | uint64(b)
	}
	return ms
}
