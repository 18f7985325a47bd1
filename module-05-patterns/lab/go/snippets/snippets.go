// snippets.go: the Go code quoted in module-05-patterns/README.md, kept here so that it compiles. Check it with
// go vet . && go build . && go run . (go1.19.8 here). The fragments that need golang.org/x/sync (errgroup,
// SetLimit, semaphore, singleflight) or golang.org/x/time/rate are in the README only and say so: this machine
// has no module cache and no network for them.
// So are, for sections 8 to 13, the fragments that need newer Go than 1.19 (errors.Join: 1.20; log/slog: 1.21;
// testing/synctest: 1.25) or third-party modules (github.com/sony/gobreaker/v2, prometheus/client_golang), and the
// _test.go fragments (a table-driven test, httptest) are in snippets_test.go: go test . runs them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
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

// --- cache: a map behind a sync.RWMutex, and a sync.Map

type Cache[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.RLock() // many readers at once; a waiting Lock makes new RLocks wait
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *Cache[K, V]) GetOrLoad(k K, load func(K) V) V {
	if v, ok := c.Get(k); ok {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[k]; ok { // check again: another goroutine may have loaded it meanwhile
		return v
	}
	v := load(k) // under the write lock: every reader of every key waits for this load
	c.m[k] = v
	return v
}

var sessions sync.Map // map[string]*Session, no type parameters

type Session struct{ user string }

func session(id string) *Session {
	s, _ := sessions.LoadOrStore(id, &Session{user: id}) // atomic, but the value is built before the call
	return s.(*Session)
}

// --- errors: wrapping with %w, errors.Is for a sentinel, errors.As for a type

var ErrNotFound = errors.New("not found") // a sentinel: compared with errors.Is

type QuotaError struct{ RetryAfter time.Duration } // a type: callers read its fields with errors.As

func (e *QuotaError) Error() string {
	return fmt.Sprintf("quota exceeded, retry after %v", e.RetryAfter)
}

func readRow(id string) error {
	if id == "42" {
		return ErrNotFound
	}
	return &QuotaError{RetryAfter: time.Second}
}

func loadUser(id string) error {
	if err := readRow(id); err != nil {
		return fmt.Errorf("loading user %s: %w", id, err) // context per layer, the chain kept
	}
	return nil
}

func classify(err error) string {
	var quota *QuotaError
	switch {
	case errors.Is(err, ErrNotFound): // walks the chain: Unwrap() until a match
		return "404"
	case errors.As(err, &quota): // walks the chain for a *QuotaError, and sets quota
		return fmt.Sprintf("429, retry after %v", quota.RetryAfter)
	default:
		return "500"
	}
}

// --- defer: LIFO, arguments evaluated at the defer statement, named results

func deferOrder() {
	x := 1
	defer fmt.Println("deferred with x =", x)             // x is evaluated now: prints 1
	defer func() { fmt.Println("closure sees x =", x) }() // reads x when it runs: prints 2
	x = 2
} // runs the closure first, then the Println: last in, first out

func double(n int) (result int) {
	defer func() { result *= 2 }() // a deferred closure may change a named result
	result = n
	return // returns n*2
}

func safeDivide(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil { // only in a deferred call; stops the panic
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return a / b, nil
}

// --- defer in a loop: every file stays open until the function returns

func openAtTheEndLeaky(paths []string) (int, error) {
	before := openFiles()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close() // runs when the function returns, not at the end of this iteration
	}
	return openFiles() - before, nil // every file is still open here
}

func openAtTheEndFixed(paths []string) (int, error) {
	before := openFiles()
	for _, p := range paths {
		err := func() error { // a function per iteration: its defer runs at the end of it
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return nil
		}()
		if err != nil {
			return 0, err
		}
	}
	return openFiles() - before, nil // none
}

// --- a client with its dependencies injected: the HTTP client and the base URL (snippets_test.go fakes the server)

type PriceClient struct {
	client *http.Client
	base   string
}

func NewPriceClient(client *http.Client, base string) *PriceClient {
	return &PriceClient{client: client, base: base}
}

func (p *PriceClient) Cents(ctx context.Context, sku string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+"/price/"+sku, nil)
	if err != nil {
		return 0, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("price of %s: %w", sku, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, fmt.Errorf("price of %s: %w", sku, err)
	}
	return strconv.ParseInt(string(body), 10, 64)
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

	c := &Cache[string, int]{m: map[string]int{}}
	fmt.Println("cache", c.GetOrLoad("a", func(string) int { return 1 }), session("u1") == session("u1"))
	fmt.Println(loadUser("42"), "->", classify(loadUser("42")))
	fmt.Println(loadUser("7"), "->", classify(loadUser("7")))
	fmt.Println("errors.Is(err, fs.ErrNotExist):", errors.Is(fmt.Errorf("config: %w", openMissing()), fs.ErrNotExist))
	deferOrder()
	fmt.Println("double(3) =", double(3))
	fmt.Println(safeDivide(1, 0))
	paths := []string{"snippets.go", "go.mod", "snippets.go"}
	fmt.Println(openAtTheEndLeaky(paths))
	fmt.Println(openAtTheEndFixed(paths))
}

func openFiles() int { // file descriptors of this process (Linux)
	fds, _ := os.ReadDir("/proc/self/fd")
	return len(fds)
}

func openMissing() error {
	_, err := os.Open("no-such-file")
	return err
}
