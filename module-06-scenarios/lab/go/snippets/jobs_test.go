// jobs_test.go: what the README says of the Go job processor's shapes, checked. Run: go test -v -run 'Pool|Semaphore|Backoff|Sigterm|Exit' .
package main

import (
	"context"
	"math/rand"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// A burst of 1,000 jobs into 4 workers: never more than 4 in flight, and the feeder blocks: jobs taken from the
// source and not finished never exceed the workers, the buffer (2 x 4) and the one the feeder holds.
func TestPoolBoundsInFlightAndTaken(t *testing.T) {
	var inFlight, peak, taken, finished, peakTaken int64
	var mu sync.Mutex
	n, i := 4, 0
	next := func() (job, bool) {
		if i == 1000 {
			return job{}, false
		}
		i++
		mu.Lock()
		taken++
		if taken-finished > peakTaken {
			peakTaken = taken - finished
		}
		mu.Unlock()
		return job{id: "j"}, true
	}
	handle := func(j job) {
		now := atomic.AddInt64(&inFlight, 1)
		for {
			p := atomic.LoadInt64(&peak)
			if now <= p || atomic.CompareAndSwapInt64(&peak, p, now) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		atomic.AddInt64(&inFlight, -1)
		mu.Lock()
		finished++
		mu.Unlock()
	}
	unstarted := runPool(context.Background(), n, next, handle)
	t.Logf("1,000 jobs, %d workers: peak in flight %d, most taken and unfinished %d, unstarted %d",
		n, peak, peakTaken, len(unstarted))
	if peak != int64(n) || peakTaken > int64(3*n+1) || finished != 1000 {
		t.Fatalf("peak %d (want %d), taken-unfinished %d (want <= %d), finished %d", peak, n, peakTaken, 3*n+1, finished)
	}
}

// SIGTERM in the middle: nothing is lost. Every job taken was either handled or given back.
func TestPoolShutdownGivesBackWhatItDidNotStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var taken, handled int64
	next := func() (job, bool) { atomic.AddInt64(&taken, 1); return job{id: "j"}, true } // an endless queue
	handle := func(j job) {
		if atomic.AddInt64(&handled, 1) == 50 {
			cancel()
		}
		time.Sleep(time.Millisecond)
	}
	unstarted := runPool(ctx, 4, next, handle)
	t.Logf("taken %d = handled %d + given back %d", taken, handled, len(unstarted))
	if taken != handled+int64(len(unstarted)) {
		t.Fatalf("taken %d, handled %d, given back %d: jobs lost", taken, handled, len(unstarted))
	}
}

// A goroutine per job behind a semaphore: the calls are bounded, the goroutines are not.
func TestSemaphoreBoundsCallsNotGoroutines(t *testing.T) {
	release := make(chan struct{})
	var inFlight, peak int64
	call := func(j job) {
		now := atomic.AddInt64(&inFlight, 1)
		if now > atomic.LoadInt64(&peak) {
			atomic.StoreInt64(&peak, now)
		}
		<-release
		atomic.AddInt64(&inFlight, -1)
	}
	before := runtime.NumGoroutine()
	done := make(chan struct{})
	go func() { handleAllBounded(make([]job, 1000), 10, call); close(done) }()
	for atomic.LoadInt64(&inFlight) < 10 {
		time.Sleep(time.Millisecond) // a test's poll, not the code's
	}
	time.Sleep(50 * time.Millisecond)
	during := runtime.NumGoroutine() - before
	close(release)
	<-done
	t.Logf("1,000 jobs, semaphore of 10: peak calls %d, goroutines while they wait %d", peak, during)
	if peak > 10 || during < 1000 {
		t.Fatalf("peak %d (want <= 10), goroutines %d (want about 1,000)", peak, during)
	}
}

func TestBackoffIsCappedFullJitter(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	base, cap := 100*time.Millisecond, 10*time.Second
	for failures, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond,
		3: 400 * time.Millisecond, 8: 10 * time.Second, 100: 10 * time.Second} {
		for k := 0; k < 1000; k++ {
			if d := backoff(failures, base, cap, rnd); d < 0 || d > ceiling {
				t.Fatalf("after %d failures: %v, want 0..%v", failures, d, ceiling)
			}
		}
	}
}

// serveJobs, with a real SIGTERM sent to this process: the job in flight finishes, then serveJobs returns.
func TestSigtermDrainsTheJobInFlight(t *testing.T) {
	started := make(chan struct{})
	var finished atomic.Bool
	run := func(ctx, hard context.Context) {
		close(started)
		select {
		case <-time.After(200 * time.Millisecond): // a job of 200 ms, in flight at SIGTERM
			finished.Store(true)
		case <-hard.Done():
		}
	}
	done := make(chan struct{})
	go func() { serveJobs(context.Background(), 5*time.Second, run); close(done) }()
	<-started
	time.Sleep(20 * time.Millisecond) // let NotifyContext's handler be installed
	begin := time.Now()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-done
	t.Logf("SIGTERM to return: %v, the job in flight finished: %v", time.Since(begin), finished.Load())
	if !finished.Load() {
		t.Fatal("the job in flight was cut")
	}
}

// The exit status of a Go process that gets SIGTERM: killed by the signal unless it handles it (143 in a shell is
// 128 + 15), 0 when main handles it and returns.
func TestExitStatusOnSigterm(t *testing.T) {
	if mode := os.Getenv("SNIPPETS_CHILD"); mode != "" {
		if mode == "notify" {
			serveJobs(context.Background(), time.Second, func(ctx, hard context.Context) { <-ctx.Done() })
			os.Exit(0)
		}
		time.Sleep(10 * time.Second) // "plain": no handler
		os.Exit(3)
	}
	for _, mode := range []string{"plain", "notify"} {
		cmd := exec.Command(os.Args[0], "-test.run=TestExitStatusOnSigterm")
		cmd.Env = append(os.Environ(), "SNIPPETS_CHILD="+mode)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond) // the child is up (a generous guess; the test only reads the status)
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
		t.Logf("%s: exit code %d, killed by signal: %v (%v)", mode, ws.ExitStatus(), ws.Signaled(), ws.Signal())
		if mode == "plain" && !(ws.Signaled() && ws.Signal() == syscall.SIGTERM) {
			t.Errorf("plain: want killed by SIGTERM, got %v", ws)
		}
		if mode == "notify" && ws.ExitStatus() != 0 {
			t.Errorf("notify: want exit 0, got %v", ws)
		}
	}
}
