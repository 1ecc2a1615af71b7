package main

import (
	"testing"

	"github.com/IBM/sarama"
)

func TestSaramaProducerHeadersSetReplacesEveryHeaderWithTheKey(t *testing.T) {
	msg := &sarama.ProducerMessage{Headers: []sarama.RecordHeader{
		{Key: []byte("traceparent"), Value: []byte("stale-1")},
		{Key: []byte("x-user"), Value: []byte("kept")},
		{Key: []byte("traceparent"), Value: []byte("stale-2")},
	}}
	carrier := saramaProducerHeaders{msg}
	carrier.Set("traceparent", "fresh")
	if len(msg.Headers) != 2 || carrier.Get("traceparent") != "fresh" || carrier.Get("x-user") != "kept" {
		t.Fatalf("headers %v", msg.Headers)
	}
}

func TestSaramaConsumerHeadersGetReturnsTheFirst(t *testing.T) {
	msg := &sarama.ConsumerMessage{Headers: []*sarama.RecordHeader{
		nil,
		{Key: []byte("baggage"), Value: []byte("a=1")},
		{Key: []byte("baggage"), Value: []byte("b=2")},
	}}
	if got := (saramaConsumerHeaders{msg}).Get("baggage"); got != "a=1" {
		t.Errorf("got %q", got)
	}
}
