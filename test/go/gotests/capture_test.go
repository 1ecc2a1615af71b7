package main

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// The same cases as the Node helpers' test/runtime/header-capture.test.ts: one config, one meaning.
func TestReadHeaderCaptureMatchesTheNodeHelpers(t *testing.T) {
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
	}
	if got := readHeaderCapture(env(nil)); !reflect.DeepEqual(got, headerLists{}) {
		t.Errorf("unset: %+v", got)
	}
	got := readHeaderCapture(env(map[string]string{"OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS": " X-Tenant-Id, x-tenant-id ,,X-Request-Id", "OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_REQUEST_HEADERS": " , "}))
	if !reflect.DeepEqual(got.serverRequest, []string{"x-tenant-id", "x-request-id"}) || got.clientRequest != nil {
		t.Errorf("names: %+v", got)
	}
	if got := readHeaderCapture(env(map[string]string{"OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST": "x-python"})); !reflect.DeepEqual(got.serverRequest, []string{"x-python"}) {
		t.Errorf("Python's name: %+v", got)
	}
	if got := readHeaderCapture(env(map[string]string{"OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_RESPONSE": "x-python", "OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_RESPONSE_HEADERS": "x-java"})); !reflect.DeepEqual(got.clientResponse, []string{"x-java"}) {
		t.Errorf("Java's name first: %+v", got)
	}
	if got := readHeaderCapture(env(map[string]string{"OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE": "x-python", "OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_RESPONSE_HEADERS": ""})); got.serverResponse != nil {
		t.Errorf("Java's name set empty: %+v", got)
	}
	listed := map[string]string{"OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS": "Authorization,Proxy-Authorization,Cookie,Set-Cookie,x-tenant-id", "OTEL_INSTRUMENTATION_MESSAGING_EXPERIMENTAL_CAPTURE_HEADERS": "authorization"}
	if got := readHeaderCapture(env(listed)); !reflect.DeepEqual(got.serverRequest, []string{"x-tenant-id"}) || got.messaging != nil {
		t.Errorf("sensitive left out: %+v", got)
	}
	listed["OTEL_INSTRUMENTATION_CAPTURE_SENSITIVE_HEADERS"] = "TRUE"
	if got := readHeaderCapture(env(listed)); len(got.serverRequest) != 5 || !reflect.DeepEqual(got.messaging, []string{"authorization"}) {
		t.Errorf("sensitive allowed: %+v", got)
	}
}

func withHeaderCapture(t *testing.T, lists headerLists) {
	t.Helper()
	saved := headerCapture
	headerCapture = lists
	t.Cleanup(func() { headerCapture = saved })
}

func headerAttrs(span sdktrace.ReadOnlySpan) map[string][]string {
	found := map[string][]string{}
	for _, kv := range span.Attributes() {
		if key := string(kv.Key); strings.HasPrefix(key, "http.request.header.") || strings.HasPrefix(key, "http.response.header.") {
			found[key] = kv.Value.AsStringSlice()
		}
	}
	return found
}

// Needs the full inventory's GET /api/stock route.
func TestServerCapturesListedHeadersOnly(t *testing.T) {
	provider, recorder := recordedSpans(t)
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	server := httptest.NewServer((&service{}).routes())
	defer server.Close()
	call := func() map[string][]string {
		recorder.Reset()
		req, _ := http.NewRequest(http.MethodGet, server.URL+"/api/stock", nil)
		req.Header.Set("X-Tenant-Id", "acme")
		req.Header.Add("X-Multi", "a")
		req.Header.Add("X-Multi", "b")
		req.Header.Set("Authorization", "Bearer secret")
		req.Header.Set("X-Long", strings.Repeat("v", 3000))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		spans := recorder.Ended()
		if len(spans) != 1 {
			t.Fatalf("%d spans", len(spans))
		}
		return headerAttrs(spans[0])
	}

	withHeaderCapture(t, readHeaderCapture(func(name string) (string, bool) {
		switch name {
		case "OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS":
			return "X-Tenant-Id,x-multi,Authorization,x-long,x-absent", true
		case "OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_RESPONSE_HEADERS":
			return "content-type", true
		}
		return "", false
	}))
	got := call()
	contentType := got["http.response.header.content-type"]
	delete(got, "http.response.header.content-type")
	want := map[string][]string{
		"http.request.header.x-tenant-id": {"acme"},
		"http.request.header.x-multi":     {"a", "b"},
		"http.request.header.x-long":      {strings.Repeat("v", maxHeaderValueLength)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("captured %v, want %v", got, want)
	}
	if len(contentType) != 1 || !strings.HasPrefix(strings.ToLower(contentType[0]), "text/plain") {
		t.Errorf("response content-type %v", contentType)
	}

	withHeaderCapture(t, headerLists{})
	if got := call(); len(got) != 0 {
		t.Errorf("unset captured %v", got)
	}
}

// Needs the full inventory's Node routes, so the module has a client.
func TestClientCapturesListedHeadersOnly(t *testing.T) {
	provider, recorder := recordedSpans(t)
	otel.SetTracerProvider(provider)
	node := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "node")
		w.Header().Add("X-Multi", "1")
		w.Header().Add("X-Multi", "2")
		w.Header().Set("Set-Cookie", "session=secret")
	}))
	defer node.Close()
	call := func() map[string][]string {
		recorder.Reset()
		req, _ := http.NewRequest(http.MethodGet, node.URL+"/x", nil)
		req.Header.Set("X-Tenant-Id", "acme")
		req.Header.Set("Authorization", "Bearer secret")
		resp, err := newNodeClient(node.URL).http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		spans := recorder.Ended()
		if len(spans) != 1 {
			t.Fatalf("%d spans", len(spans))
		}
		return headerAttrs(spans[0])
	}

	// Listed but sensitive (authorization, set-cookie): readHeaderCapture leaves them out.
	withHeaderCapture(t, readHeaderCapture(func(name string) (string, bool) {
		switch name {
		case "OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_REQUEST_HEADERS":
			return "x-tenant-id,authorization", true
		case "OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_RESPONSE_HEADERS":
			return "X-Served-By,x-multi,set-cookie", true
		}
		return "", false
	}))
	want := map[string][]string{
		"http.request.header.x-tenant-id":  {"acme"},
		"http.response.header.x-served-by": {"node"},
		"http.response.header.x-multi":     {"1", "2"},
	}
	if got := call(); !reflect.DeepEqual(got, want) {
		t.Errorf("captured %v, want %v", got, want)
	}
	withHeaderCapture(t, headerLists{})
	if got := call(); len(got) != 0 {
		t.Errorf("unset captured %v", got)
	}
}
