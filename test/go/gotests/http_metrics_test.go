package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// The buckets the conventions recommend for http.server.request.duration, as the Node helpers use.
var httpServerDurationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// http.server.request.duration of the generated routes(), in whichever flavor was generated, with
// the attribute set the Node helpers record (test/e2e/metrics-http.test.ts): the route template
// (never the path or query), method, status, scheme, protocol version, error.type on a 5xx (the
// stubs answer 501), and no http.route when no route matched. Needs the full inventory's
// GET /api/stock route.
func TestServerDurationMetricMatchesTheNodeSide(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithView(httpMetricViews()...)))
	handler := (&service{}).routes()
	for _, target := range []string{"/api/stock", "/api/stock?token=secret", "/nowhere/5"} {
		handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, target, nil))
	}

	var collected metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &collected); err != nil {
		t.Fatal(err)
	}
	var points []metricdata.HistogramDataPoint[float64]
	for _, scope := range collected.ScopeMetrics {
		for _, m := range scope.Metrics {
			if m.Name != "http.server.request.duration" {
				continue
			}
			histogram, ok := m.Data.(metricdata.Histogram[float64])
			if !ok || m.Unit != "s" {
				t.Errorf("%s: a histogram in seconds, got %T in %q", m.Name, m.Data, m.Unit)
				continue
			}
			points = append(points, histogram.DataPoints...)
		}
	}
	common := []attribute.KeyValue{attribute.String("http.request.method", "GET"), attribute.String("url.scheme", "http"), attribute.String("network.protocol.version", "1.1")}
	set := func(kv ...attribute.KeyValue) attribute.Distinct {
		s := attribute.NewSet(append(slices.Clip(common), kv...)...)
		return s.Equivalent()
	}
	// The two /api/stock requests share one series.
	want := map[attribute.Distinct]uint64{
		set(attribute.String("http.route", "/api/stock"), attribute.Int("http.response.status_code", http.StatusNotImplemented), attribute.String("error.type", "501")): 2,
		set(attribute.Int("http.response.status_code", http.StatusNotFound)):                                                                                            1,
	}
	if len(points) != len(want) {
		t.Errorf("%d points, want %d", len(points), len(want))
	}
	for _, point := range points {
		if want[point.Attributes.Equivalent()] != point.Count {
			t.Errorf("unexpected point %v (count %d)", point.Attributes.ToSlice(), point.Count)
		}
		if !slices.Equal(point.Bounds, httpServerDurationBuckets) {
			t.Errorf("buckets %v", point.Bounds)
		}
		if point.Sum <= 0 || point.Sum > 5 {
			t.Errorf("sum %v s", point.Sum)
		}
	}
}
