// deploy_test.go: what the README says of Go's readiness and graceful shutdown, checked. Run: go test -v -run Deploy .
package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

func status(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// The sequence on SIGTERM (here: ctx cancelled): /ready fails at once, /items still answer during the preStop delay, a
// request in flight when Shutdown begins completes, and a new connection after it is refused.
func TestDeployShutdownSequence(t *testing.T) {
	c := &catalog{}
	c.warm(context.Background(), func(context.Context) (map[string]string, error) {
		time.Sleep(100 * time.Millisecond) // the slow source
		return map[string]string{"i-1": "one"}, nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: c.routes(300 * time.Millisecond)} // each /items request works 300 ms
	ctx, sigterm := context.WithCancel(context.Background())
	result := make(chan error, 1)
	var returned time.Time
	go func() {
		err := c.serveUntil(ctx, ln, srv, 200*time.Millisecond, 5*time.Second)
		returned = time.Now()
		result <- err
	}()

	live, _ := status(base + "/live")
	cold, _ := status(base + "/ready")
	for c.ready.Load() == false {
		time.Sleep(5 * time.Millisecond) // the test's poll
	}
	warm, _ := status(base + "/ready")
	t.Logf("at start: /live %d, /ready %d; once warm: /ready %d", live, cold, warm)

	inFlight := make(chan int, 1)
	go func() { s, _ := status(base + "/items/i-1"); inFlight <- s }() // started before SIGTERM, answered after Shutdown began
	time.Sleep(50 * time.Millisecond)
	begin := time.Now()
	sigterm()
	time.Sleep(20 * time.Millisecond)
	ready, _ := status(base + "/ready")
	during, _ := status(base + "/items/i-1") // new request in the preStop window: served
	time.Sleep(300 * time.Millisecond)       // past the preStop delay: the listener is closed
	_, refused := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
	answered, err := <-inFlight, <-result
	t.Logf("after SIGTERM: /ready %d, a new /items request during preStop %d, the one in flight %d, "+
		"a new connection after preStop: %v; serveUntil returned %v %v after SIGTERM",
		ready, during, answered, refused, err, returned.Sub(begin).Round(time.Millisecond))
	if live != 200 || cold != 503 || warm != 200 || ready != 503 || during != 200 || refused == nil {
		t.Fatal("the sequence is not the one the README describes")
	}
}

// Shutdown's deadline: a request that outlives the drain leaves Shutdown with context.DeadlineExceeded, and the
// request still running (Go does not cut it: the handler must watch r.Context() or finish on its own).
func TestDeployDrainDeadline(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/stuck", func(w http.ResponseWriter, r *http.Request) { <-release })
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	go func() { _, _ = status("http://" + ln.Addr().String() + "/stuck") }()
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	err := srv.Shutdown(ctx)
	t.Logf("Shutdown with a 200 ms deadline and a stuck request: %v after %v", err, time.Since(begin))
	close(release)
	if err != context.DeadlineExceeded {
		t.Fatalf("want context.DeadlineExceeded, got %v", err)
	}
}
