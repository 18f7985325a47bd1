// snippets.go: the Go code quoted in module-06-scenarios/README.md (sections 2, 4 and 5), kept here so that it
// compiles. Check it with go vet . && go build . && go run . && go test . (go1.19.8 here; Go 1.27 is current).
// The errgroup version of the handler needs golang.org/x/sync: it is in the README only and says so, because this
// machine has no module cache and no network for it. This file is its standard-library twin.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// --- the downstream call: one shared client, the request's context on every call

var errNotFound = errors.New("not found")

// client is shared by every request: its Transport keeps the connections (http.Client is safe for concurrent use).
var client = &http.Client{Transport: pooled(64)}

func pooled(idlePerHost int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone() // the defaults: proxy, dial time-outs, HTTP/2 over TLS
	t.MaxIdleConnsPerHost = idlePerHost                  // the default is 2: a burst's other connections are closed
	return t
}

func fetch(ctx context.Context, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil) // ctx ends the call, body included
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err // ctx's error, wrapped, when the budget passed or the client left
	}
	defer resp.Body.Close() // read to EOF and closed: the connection goes back to the pool
	body, err := io.ReadAll(resp.Body)
	switch {
	case err != nil:
		return "", err
	case resp.StatusCode == http.StatusNotFound:
		return "", errNotFound
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	return string(body), nil
}

// --- the handler: every call in flight at once, each within its budget, inside the request's

type part struct {
	name     string
	required bool
	budget   time.Duration
	call     func(ctx context.Context, id string) (string, error)
}

type page struct {
	ID       string            `json:"id"`
	Parts    map[string]string `json:"parts"`
	Omitted  []string          `json:"omitted"`
	Degraded bool              `json:"degraded"`
}

func productHandler(parts []part, budget time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), budget) // the request's context, never Background()
		defer cancel()
		id := strings.TrimPrefix(r.URL.Path, "/products/")
		type result struct {
			p     part
			value string
			err   error
		}
		results := make(chan result, len(parts)) // room for every answer: no goroutine is left blocked
		for _, p := range parts {
			p := p // go1.19: one variable per iteration only since Go 1.22
			go func() {
				callCtx, cancelCall := context.WithTimeout(ctx, p.budget) // the call's budget, inside the request's
				defer cancelCall()
				v, err := p.call(callCtx, id)
				results <- result{p, v, err}
			}()
		}
		pg := page{ID: id, Parts: map[string]string{}, Omitted: []string{}}
		var failed *result
		for range parts { // one answer per goroutine: when the loop ends, none is running
			res := <-results
			switch {
			case res.err == nil:
				pg.Parts[res.p.name] = res.value
			case res.p.required && failed == nil:
				failed = &res
				cancel() // the page fails: the calls still running see ctx.Done() and return
			case !res.p.required && !errors.Is(res.err, errNotFound):
				pg.Omitted = append(pg.Omitted, res.p.name) // late or failed: left out
			}
		}
		if failed != nil {
			http.Error(w, failed.p.name+": "+failed.err.Error(), statusOf(failed.err))
			return
		}
		pg.Degraded = len(pg.Omitted) > 0
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(pg)
	}
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, errNotFound):
		return http.StatusNotFound
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	default:
		return http.StatusServiceUnavailable
	}
}

// --- a fake downstream call that takes d, or returns when its context ends

func after(d time.Duration, value string) func(context.Context, string) (string, error) {
	return func(ctx context.Context, id string) (string, error) {
		select {
		case <-time.After(d):
			return value + ":" + id, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

func main() {
	parts := []part{
		{"inventory", true, 150 * time.Millisecond, after(10*time.Millisecond, "12 in AMS")},
		{"pricing", true, 150 * time.Millisecond, after(20*time.Millisecond, "19.99 EUR")},
		{"reviews", false, 120 * time.Millisecond, after(30*time.Millisecond, "4.5 stars")},
		{"recommendations", false, 120 * time.Millisecond, after(time.Second, "p-2 p-3")}, // late: cut at 120 ms
	}
	mux := http.NewServeMux()
	mux.Handle("/products/", productHandler(parts, 200*time.Millisecond))
	rec := httptest.NewRecorder()
	start := time.Now()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/products/p-1", nil))
	fmt.Printf("%d after %v: %s", rec.Code, time.Since(start).Round(time.Millisecond), rec.Body.String())
	_ = fetch // called against a real server in snippets_test.go
}
