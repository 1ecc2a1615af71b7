package main

import (
	"testing"

	"github.com/segmentio/kafka-go"
)

func TestKafkaHeadersSetReplacesEveryHeaderWithTheKey(t *testing.T) {
	msg := &kafka.Message{Headers: []kafka.Header{
		{Key: "traceparent", Value: []byte("stale-1")},
		{Key: "x-user", Value: []byte("kept")},
		{Key: "traceparent", Value: []byte("stale-2")},
	}}
	carrier := kafkaHeaders{msg}
	carrier.Set("traceparent", "fresh")
	if len(msg.Headers) != 2 || carrier.Get("traceparent") != "fresh" || carrier.Get("x-user") != "kept" {
		t.Fatalf("headers %v", msg.Headers)
	}
}

func TestKafkaHeadersGetReturnsTheFirst(t *testing.T) {
	msg := &kafka.Message{Headers: []kafka.Header{{Key: "baggage", Value: []byte("a=1")}, {Key: "baggage", Value: []byte("b=2")}}}
	if got := (kafkaHeaders{msg}).Get("baggage"); got != "a=1" {
		t.Errorf("got %q", got)
	}
}
