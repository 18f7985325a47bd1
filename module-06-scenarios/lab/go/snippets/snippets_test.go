// snippets_test.go: what the README says of Go's server and client, checked. Run: go test -v .
package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The client goes away: net/http's background read sees the closed connection and cancels r.Context(), so the
// downstream call, which uses a context derived from it, returns long before its 10 s budget.
func TestClientGoneCancelsTheCalls(t *testing.T) {
	ended := make(chan error, 1)
	slow := func(ctx context.Context, id string) (string, error) {
		<-ctx.Done() // a call that answers nothing until its context ends
		ended <- ctx.Err()
		return "", ctx.Err()
	}
	parts := []part{{"inventory", true, 10 * time.Second, slow}}
	srv := httptest.NewServer(productHandler(parts, 10*time.Second))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/products/p-1", nil)
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel() // the client gives up: its transport closes the connection
	}()
	start := time.Now()
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("the client's request should have been cancelled")
	}
	select {
	case err := <-ended:
		t.Logf("the downstream call ended %v after the request began, with %v", time.Since(start), err)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("want context.Canceled (the client left), got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the downstream call ran on after the client left")
	}
}

// A late optional part is cut at its own budget; the page is served degraded, within the request's budget.
func TestLateOptionalPartIsCut(t *testing.T) {
	parts := []part{
		{"inventory", true, 150 * time.Millisecond, after(5*time.Millisecond, "12")},
		{"recommendations", false, 120 * time.Millisecond, after(5*time.Second, "p-2")},
	}
	rec := httptest.NewRecorder()
	start := time.Now()
	productHandler(parts, 200*time.Millisecond)(rec, httptest.NewRequest(http.MethodGet, "/products/p-1", nil))
	took := time.Since(start)
	if rec.Code != http.StatusOK || took > time.Second {
		t.Fatalf("status %d after %v: want 200 within the budget", rec.Code, took)
	}
	t.Logf("%d after %v: %s", rec.Code, took, rec.Body.String())
}

// fetch against a real server: one shared client, 404 mapped, the budget (a context deadline) covers the body.
func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/inventory/p-404":
			http.NotFound(w, r)
		case "/inventory/slow-body":
			w.Header().Set("Content-Length", "20")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("{\"available\""))
			w.(http.Flusher).Flush()
			select { // headers sent, the rest of the body 1 s later (or never, if the client leaves)
			case <-time.After(time.Second):
				_, _ = w.Write([]byte(":12}   "))
			case <-r.Context().Done():
			}
		default:
			_, _ = w.Write([]byte(`{"available":12}`))
		}
	}))
	defer srv.Close()
	if _, err := fetch(context.Background(), srv.URL+"/inventory/p-404"); !errors.Is(err, errNotFound) {
		t.Errorf("want errNotFound, got %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := fetch(ctx, srv.URL+"/inventory/slow-body")
	t.Logf("headers at once, body after 1 s, budget 150 ms: %v after %v", err, time.Since(start))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want the deadline to cut the body, got %v", err)
	}
}
