package main

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
)

func TestKafkaHeadersSetReplacesEveryHeaderWithTheKey(t *testing.T) {
	record := &kgo.Record{Headers: []kgo.RecordHeader{
		{Key: "traceparent", Value: []byte("stale-1")},
		{Key: "x-user", Value: []byte("kept")},
		{Key: "traceparent", Value: []byte("stale-2")},
	}}
	carrier := kafkaHeaders{record}
	carrier.Set("traceparent", "fresh")
	if len(record.Headers) != 2 || carrier.Get("traceparent") != "fresh" || carrier.Get("x-user") != "kept" {
		t.Fatalf("headers %v", record.Headers)
	}
}

func TestKafkaHeadersGetReturnsTheFirst(t *testing.T) {
	record := &kgo.Record{Headers: []kgo.RecordHeader{{Key: "baggage", Value: []byte("a=1")}, {Key: "baggage", Value: []byte("b=2")}}}
	if got := (kafkaHeaders{record}).Get("baggage"); got != "a=1" {
		t.Errorf("got %q", got)
	}
}
