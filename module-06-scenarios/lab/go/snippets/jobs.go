// jobs.go: the Go code quoted in module-06-scenarios/README.md, section 7 (the bounded job processor), kept here so
// that it compiles and its claims are tested (jobs_test.go). Standard library only: errgroup.SetLimit is in the README
// as prose, because this machine has no module proxy for golang.org/x/sync.
package main

import (
	"context"
	"math/rand"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

type job struct {
	id       string
	failures int
}

// tag::pool[]
// runPool starts exactly n workers over a buffered channel and feeds them from next until ctx ends or next has no
// more: a send blocks while the buffer is full (backpressure). It returns the jobs it took but never started, for the
// caller to give back to the queue, once every worker has returned.
func runPool(ctx context.Context, n int, next func() (job, bool), handle func(job)) (unstarted []job) {
	jobs := make(chan job, 2*n) // a small buffer: about 2 x workers
	var wg sync.WaitGroup
	var mu sync.Mutex        // guards unstarted
	for i := 0; i < n; i++ { // exactly n goroutines, started once
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs { // ends when jobs is closed and drained
				if ctx.Err() != nil {
					mu.Lock()
					unstarted = append(unstarted, j) // shutting down: not started, give it back
					mu.Unlock()
					continue
				}
				handle(j)
			}
		}()
	}
feed:
	for {
		j, ok := next()
		if !ok {
			break
		}
		select {
		case jobs <- j: // blocks while n workers are busy and the buffer is full
		case <-ctx.Done(): // SIGTERM: stop taking jobs
			mu.Lock()
			unstarted = append(unstarted, j)
			mu.Unlock()
			break feed
		}
	}
	close(jobs) // no more work: the workers' range loops end once the buffer is drained
	wg.Wait()   // every worker has returned
	return unstarted
}

// end::pool[]

// tag::semaphore[]
// handleAllBounded starts a goroutine per job but lets only limit of them call at once: the calls are bounded, the
// goroutines (and the jobs taken from the queue) are not. A channel of capacity limit is the semaphore.
func handleAllBounded(all []job, limit int, call func(job)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for _, j := range all {
		j := j // go1.19: one variable per iteration only since Go 1.22
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}        // acquire: blocks while limit calls are in flight
			defer func() { <-sem }() // release
			call(j)
		}()
	}
	wg.Wait()
}

// end::semaphore[]

// tag::backoff[]
// backoff is the delay before the next attempt after failures failed ones (failures >= 1): exponential, capped, with
// "full jitter" (a uniform draw between 0 and the capped exponential), as the AWS Architecture Blog's
// "Exponential Backoff And Jitter" recommends.
func backoff(failures int, base, cap time.Duration, rnd *rand.Rand) time.Duration {
	d := cap
	if failures-1 < 30 && base<<(failures-1) < cap { // base * 2^(failures-1), without overflow
		d = base << (failures - 1)
	}
	return time.Duration(rnd.Int63n(int64(d) + 1))
}

// end::backoff[]

// tag::shutdown[]
// serveJobs runs until SIGTERM (or ctrl-C), then gives in-flight jobs drain to finish.
func serveJobs(ctx context.Context, drain time.Duration, run func(ctx, hard context.Context)) {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt) // ctx ends at the first signal
	defer stop()
	hard, cancelHard := context.WithCancel(context.Background()) // cancels the jobs still running after drain
	defer cancelHard()
	done := make(chan struct{})
	go func() { defer close(done); run(ctx, hard) }() // run stops taking jobs when ctx ends
	<-ctx.Done()
	select {
	case <-done: // every in-flight job finished within drain
	case <-time.After(drain):
		cancelHard() // the deadline passed: cancel the rest...
		<-done       // ...and still wait for them: nothing runs on after main returns
	}
}

// end::shutdown[]
