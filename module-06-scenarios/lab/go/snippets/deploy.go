// deploy.go: the Go code quoted in module-06-scenarios/README.md, section 8 (the zero-downtime deploy), kept here so
// that it compiles and its claims are tested (deploy_test.go). Standard library only.
package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// tag::probes[]
type catalog struct {
	ready atomic.Bool // Go 1.19+: false until the cache is warm, false again once shutdown begins
	items atomic.Value
}

func (c *catalog) routes(work time.Duration) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/live", func(w http.ResponseWriter, r *http.Request) { // the process runs: nothing more
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) { // may this instance get traffic?
		if !c.ready.Load() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("/items/", func(w http.ResponseWriter, r *http.Request) {
		items, _ := c.items.Load().(map[string]string)
		if items == nil { // never answer from a cold cache
			http.Error(w, "warming up", http.StatusServiceUnavailable)
			return
		}
		time.Sleep(work) // the request's own work
		_, _ = w.Write([]byte(items[r.URL.Path[len("/items/"):]]))
	})
	return mux
}

// warm loads the cache in the background; readiness turns true only once it is complete.
func (c *catalog) warm(ctx context.Context, load func(context.Context) (map[string]string, error)) {
	go func() {
		items, err := load(ctx)
		if err != nil {
			return // never ready: the startup probe fails, and the platform replaces the pod
		}
		c.items.Store(items)
		c.ready.Store(true)
	}()
}

// end::probes[]

// tag::sigterm[]
// serveUntil serves on ln until ctx ends (signal.NotifyContext(ctx, syscall.SIGTERM) in main), then: unready,
// serve on for preStop, stop accepting and drain for at most drain. It returns nil when every request finished.
func (c *catalog) serveUntil(ctx context.Context, ln net.Listener, srv *http.Server, preStop, drain time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err // the server failed on its own
	case <-ctx.Done(): // SIGTERM
	}
	c.ready.Store(false) // 1. readiness fails: the endpoints controller takes the pod out of the Service
	time.Sleep(preStop)  // 2. keep serving while every proxy learns it (or a preStop hook sleeps instead)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	err := srv.Shutdown(shutdownCtx) // 3. close the listeners and idle connections, 4. wait for the active ones
	if errors.Is(<-served, http.ErrServerClosed) && err == nil {
		return nil // 5. drained: main returns, the process exits 0
	}
	return err // the drain's deadline passed: context.DeadlineExceeded, requests still running
}

// end::sigterm[]
