// snippets.go: the Go code quoted in module-05-patterns/README.md, kept here so that it compiles. Check it with
// go vet . && go build . && go run . (go1.19.8 here). The fragments that need golang.org/x/sync (errgroup,
// SetLimit, semaphore, singleflight) or golang.org/x/time/rate are in the README only and say so: this machine
// has no module cache and no network for them.
package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// --- pool: a worker pool, N goroutines ranging over one jobs channel

func pool(workers int, jobs <-chan string, write func(string)) {
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs { // ends when the sender closes jobs
				write(job)
			}
		}()
	}
	wg.Wait() // every worker has returned
}

// --- merge: fan-in, from the Go blog's "Pipelines and cancellation"

func merge(done <-chan struct{}, cs ...<-chan string) <-chan string {
	var wg sync.WaitGroup
	out := make(chan string)
	output := func(c <-chan string) {
		defer wg.Done()
		for s := range c {
			select {
			case out <- s:
			case <-done: // downstream stopped listening: stop forwarding
				return
			}
		}
	}
	wg.Add(len(cs))
	for _, c := range cs {
		go output(c)
	}
	go func() { // the only sender that knows when all inputs are done closes out
		wg.Wait()
		close(out)
	}()
	return out
}

// --- compose: handler -> fan-out -> merge -> pipeline stage -> pool

func call(ctx context.Context, backend, sku string) <-chan string {
	c := make(chan string, 1) // buffered: the sender never blocks, even if nobody reads
	go func() {
		defer close(c)
		select {
		case <-time.After(time.Duration(len(backend)) * time.Millisecond):
			c <- " " + sku + "@" + backend + " "
		case <-ctx.Done():
		}
	}()
	return c
}

func normalise(done <-chan struct{}, in <-chan string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out) // a stage closes what it sends on
		for s := range in {
			select {
			case out <- strings.ToUpper(strings.TrimSpace(s)):
			case <-done:
				return
			}
		}
	}()
	return out
}

func handle(ctx context.Context, sku string) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // every goroutine below sees ctx.Done() when handle returns
	backends := []string{"inventory", "pricing", "reviews"}
	var answers []<-chan string
	for _, b := range backends { // fan-out
		answers = append(answers, call(ctx, b, sku))
	}
	merged := merge(ctx.Done(), answers...)            // fan-in
	normal := normalise(ctx.Done(), merged)            // pipeline stage
	pool(2, normal, func(s string) { fmt.Println(s) }) // two writers
}

// --- generator: the consumer stops early, the producer stops producing

func numbers(done <-chan struct{}) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; ; i++ {
			select {
			case out <- i:
			case <-done:
				return
			}
		}
	}()
	return out
}

// --- limit: a buffered channel as a counting semaphore

func queryAll(queries []string, run func(string)) {
	sem := make(chan struct{}, 3) // at most 3 at a time
	var wg sync.WaitGroup
	for _, q := range queries {
		wg.Add(1)
		sem <- struct{}{} // acquire before starting: the loop waits for a free slot
		go func(q string) {
			defer wg.Done()
			defer func() { <-sem }() // release
			run(q)
		}(q)
	}
	wg.Wait()
}

func main() {
	handle(context.Background(), "sku-1")
	done := make(chan struct{})
	ns := numbers(done)
	fmt.Println(<-ns, <-ns, <-ns)
	close(done) // numbers returns and closes ns
	var mu sync.Mutex
	inside, peak := 0, 0
	queryAll([]string{"a", "b", "c", "d", "e", "f", "g"}, func(string) {
		mu.Lock()
		inside++
		if inside > peak {
			peak = inside
		}
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		inside--
		mu.Unlock()
	})
	fmt.Println("peak", peak)
}
