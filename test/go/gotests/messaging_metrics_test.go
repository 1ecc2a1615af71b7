package main

import (
	"context"
	"errors"
	"slices"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// The Kafka send and process durations, as the Node kafkajs helper records them
// (test/e2e/metrics-messaging.test.ts): names, unit, the recommended buckets, and the span
// attributes a metric keeps (no key, offset or client id; error.type on failure).
func TestKafkaDurationMetricsMatchTheNodeSide(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	ctx, span, timer := startKafkaSend(context.Background(), "orders", []byte("k1"), []byte("v"))
	endKafkaSend(ctx, span, timer, 3, 42, nil)
	span.End()
	msg := kafkaMessage{Topic: "orders", Partition: 3, Offset: 42, Key: []byte("k1"), Value: []byte("v")}
	noop := func(context.Context, kafkaMessage) error { return nil }
	failing := func(context.Context, kafkaMessage) error { return errors.New("bad order") }
	for _, handle := range []kafkaHandler{noop, noop, failing} {
		_ = processKafkaMessage(context.Background(), kafkaTestCarrier{}, "billing", msg, handle)
	}

	var collected metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &collected); err != nil {
		t.Fatal(err)
	}
	points := map[string][]metricdata.HistogramDataPoint[float64]{}
	for _, scope := range collected.ScopeMetrics {
		for _, m := range scope.Metrics {
			histogram, ok := m.Data.(metricdata.Histogram[float64])
			if !ok || m.Unit != "s" {
				t.Errorf("%s: a histogram in seconds, got %T in %q", m.Name, m.Data, m.Unit)
				continue
			}
			points[m.Name] = append(points[m.Name], histogram.DataPoints...)
		}
	}
	set := func(kv ...attribute.KeyValue) attribute.Distinct { s := attribute.NewSet(kv...); return s.Equivalent() }
	send := set(attribute.String("messaging.system", "kafka"), attribute.String("messaging.operation.name", "send"), attribute.String("messaging.operation.type", "send"), attribute.String("messaging.destination.name", "orders"))
	processed := []attribute.KeyValue{attribute.String("messaging.system", "kafka"), attribute.String("messaging.operation.name", "process"), attribute.String("messaging.destination.name", "orders"), attribute.String("messaging.destination.partition.id", "3"), attribute.String("messaging.consumer.group.name", "billing")}
	want := map[string]map[attribute.Distinct]uint64{
		"messaging.client.operation.duration": {send: 1},
		"messaging.process.duration": {
			set(processed...): 2,
			set(append(slices.Clip(processed), attribute.String("error.type", "*errors.errorString"))...): 1,
		},
	}
	for name, counts := range want {
		if len(points[name]) != len(counts) {
			t.Errorf("%s: %d points, want %d", name, len(points[name]), len(counts))
		}
		for _, point := range points[name] {
			if counts[point.Attributes.Equivalent()] != point.Count {
				t.Errorf("%s: unexpected point %v (count %d)", name, point.Attributes.ToSlice(), point.Count)
			}
			if !slices.Equal(point.Bounds, durationBuckets) {
				t.Errorf("%s: buckets %v", name, point.Bounds)
			}
		}
	}
}

// kafkaTestCarrier is an empty message header set: a new trace per message.
type kafkaTestCarrier struct{}

func (kafkaTestCarrier) Get(string) string  { return "" }
func (kafkaTestCarrier) Set(string, string) {}
func (kafkaTestCarrier) Keys() []string     { return nil }
