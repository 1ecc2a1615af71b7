// Command sampling-decisions reads trace IDs, ratios and env cases as JSON on stdin and writes the
// real Go SDK's sampling decisions as JSON on stdout. test/vectors/generate.mjs drives it.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"go.opentelemetry.io/otel/trace"

	"otel-instrument/test/go-vectors/internal/decide"
)

type input struct {
	Ratios      []float64           `json:"ratios"`
	TraceIDs    []string            `json:"traceIds"`
	EnvCases    []map[string]string `json:"envCases"`
	EnvTraceIDs []string            `json:"envTraceIds"`
}

type ratioOutput struct {
	Description string `json:"description"`
	Sampled     string `json:"sampled"`
}

type envOutput struct {
	Problem bool              `json:"problem"`
	Sampled map[string]string `json:"sampled"`
}

type output struct {
	GoSDK    string        `json:"goSdk"`
	Ratios   []ratioOutput `json:"ratios"`
	EnvCases []envOutput   `json:"envCases"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sampling-decisions:", err)
		os.Exit(1)
	}
}

func run() error {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		return fmt.Errorf("reading input: %w", err)
	}
	traceIDs, err := parseAll(in.TraceIDs)
	if err != nil {
		return err
	}
	envTraceIDs, err := parseAll(in.EnvTraceIDs)
	if err != nil {
		return err
	}
	out := output{GoSDK: decide.SDKVersion(), Ratios: []ratioOutput{}, EnvCases: []envOutput{}}
	for _, ratio := range in.Ratios {
		description, sampled := decide.RatioDecisions(ratio, traceIDs)
		out.Ratios = append(out.Ratios, ratioOutput{description, sampled})
	}
	for _, env := range in.EnvCases {
		problem, sampled, err := decide.EnvDecisions(env, envTraceIDs)
		if err != nil {
			return err
		}
		out.EnvCases = append(out.EnvCases, envOutput{problem, sampled})
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

func parseAll(hexIDs []string) ([]trace.TraceID, error) {
	ids := make([]trace.TraceID, len(hexIDs))
	for i, s := range hexIDs {
		tid, err := decide.ParseTraceID(s)
		if err != nil {
			return nil, err
		}
		ids[i] = tid
	}
	return ids, nil
}
