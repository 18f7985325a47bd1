package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// fakes are four loopback downstreams; each answers its part's body for p-1 after a delay, or a status.
type fakes struct {
	servers [4]*httptest.Server
	delay   [4]time.Duration
	status  [4]int
	started atomic.Int64 // calls that reached a downstream
	ended   atomic.Int64 // calls that returned, whether answered or cut
}

func newFakes(t *testing.T) (*fakes, *service) {
	f := &fakes{}
	bodies := [4]string{
		`{"productId":"p-1","available":12,"warehouse":"AMS"}`,
		`{"productId":"p-1","amountCents":1999,"currency":"EUR"}`,
		`{"productId":"p-1","averageStars":4.5,"count":120}`,
		`{"productId":"p-1","productIds":["p-2","p-3"]}`,
	}
	svc := &service{log: log.New(io.Discard, "", 0), idPrefix: "test"}
	for i := range f.servers {
		i := i
		f.servers[i] = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f.started.Add(1)
			defer f.ended.Add(1)
			select {
			case <-time.After(f.delay[i]):
			case <-r.Context().Done(): // the service gave up the call: Go's server sees the connection close
				return
			}
			if f.status[i] != 0 {
				w.WriteHeader(f.status[i])
				return
			}
			io.WriteString(w, bodies[i])
		}))
		svc.downstreams[i] = newDownstream(parts[i], f.servers[i].URL)
	}
	t.Cleanup(func() {
		for _, s := range f.servers {
			s.Close()
		}
	})
	return f, svc
}

func get(t *testing.T, svc *service, path string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	svc.products(rec, httptest.NewRequest(http.MethodGet, path, nil))
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s: not JSON: %q", path, rec.Body.String())
	}
	return rec, body
}

func TestAPageWithEveryPart(t *testing.T) {
	_, svc := newFakes(t)
	rec, body := get(t, svc, "/products/p-1")
	if rec.Code != 200 || body["degraded"] != false || rec.Header().Get("X-Request-Id") == "" {
		t.Fatalf("got %d %v (X-Request-Id %q), want 200, not degraded, with an id", rec.Code, body,
			rec.Header().Get("X-Request-Id"))
	}
	if fmt.Sprint(body["recommendations"]) != "[p-2 p-3]" || body["reviews"] == nil {
		t.Fatalf("got %v, want reviews and recommendations", body)
	}
}

func TestALateOptionalPartIsOmittedAtItsBudget(t *testing.T) {
	f, svc := newFakes(t)
	f.delay[reviews] = 2 * time.Second
	start := time.Now()
	rec, body := get(t, svc, "/products/p-1")
	took := time.Since(start)
	if rec.Code != 200 || body["degraded"] != true || fmt.Sprint(body["omitted"]) != "[reviews]" {
		t.Fatalf("got %d %v, want 200 degraded, reviews omitted", rec.Code, body)
	}
	if took < optionalBudget || took > time.Second {
		t.Fatalf("took %v, want about the optional budget %v", took, optionalBudget)
	}
}

func TestAFailingRequiredPartFailsTheRequestAndCancelsTheRest(t *testing.T) {
	f, svc := newFakes(t)
	f.status[pricing] = 503
	f.delay[reviews] = 5 * time.Second
	f.delay[recommendations] = 5 * time.Second
	start := time.Now()
	rec, body := get(t, svc, "/products/p-1")
	if rec.Code != 503 || body["part"] != "pricing" || body["error"] != "unavailable" {
		t.Fatalf("got %d %v, want 503 unavailable, part pricing", rec.Code, body)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("took %v: the slow optional calls were not cancelled when pricing failed", took)
	}
	// a call cancelled before it reached its downstream never started there; every one that did must end
	deadline := time.Now().Add(2 * time.Second)
	for f.ended.Load() < f.started.Load() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if ended, started := f.ended.Load(), f.started.Load(); ended != started {
		t.Fatalf("%d of the %d downstream calls that started ended: the cancelled ones still run", ended, started)
	}
}

func TestALateRequiredPartIs504AndNotFound404(t *testing.T) {
	f, svc := newFakes(t)
	f.delay[inventory] = 2 * time.Second
	if rec, body := get(t, svc, "/products/p-1"); rec.Code != 504 || body["part"] != "inventory" {
		t.Fatalf("got %d %v, want 504 for inventory", rec.Code, body)
	}
	f.delay[inventory] = 0
	f.status[inventory] = 404
	if rec, body := get(t, svc, "/products/p-1"); rec.Code != 404 || body["error"] != "not_found" {
		t.Fatalf("got %d %v, want 404 not_found", rec.Code, body)
	}
	if rec, _ := get(t, svc, "/products/NOT-valid!"); rec.Code != 400 {
		t.Fatalf("got %d for an invalid id, want 400", rec.Code)
	}
}

func TestNoGoroutineOutlivesTheRequest(t *testing.T) {
	f, svc := newFakes(t)
	f.delay[recommendations] = 2 * time.Second
	get(t, svc, "/products/p-1") // warm the connection pools
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		get(t, svc, "/products/p-1")
	}
	// the cut calls' connections are closed (their goroutines end); kept-alive ones stay, as before
	time.Sleep(200 * time.Millisecond)
	if after := runtime.NumGoroutine(); after > before+8 {
		t.Fatalf("%d goroutines after 20 requests, %d before: something outlives its request", after, before)
	}
}
