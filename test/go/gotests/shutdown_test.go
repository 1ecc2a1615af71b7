package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Stopping must not cancel the handlers' context: the message in hand is finished, not failed.
func TestHandlingContextOutlivesStopping(t *testing.T) {
	stopping, stop := context.WithCancel(context.WithValue(context.Background(), handlingKey{}, "kept"))
	handling, cancel := handlingContext(stopping)
	defer cancel()
	stop()
	time.Sleep(10 * time.Millisecond)
	if err := handling.Err(); err != nil {
		t.Fatalf("handling context ended with stopping: %v", err)
	}
	if handling.Value(handlingKey{}) != "kept" {
		t.Error("handling context lost the values of its parent")
	}
	cancel()
	if !errors.Is(handling.Err(), context.Canceled) {
		t.Errorf("cancel did not end the handling context: %v", handling.Err())
	}
}

type handlingKey struct{}

// A Close that blocks forever must not hold the caller past its deadline.
func TestCloseWithinGivesUpAtTheDeadline(t *testing.T) {
	deadline, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	blocked := make(chan struct{})
	defer close(blocked)
	returned := make(chan struct{})
	go func() {
		closeWithin(deadline, "stuck client", func() error {
			<-blocked
			return nil
		})
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(drainTimeout):
		t.Fatal("closeWithin waited past its deadline")
	}
}
