// cancel.go: the Go twin of CancellationLab.java. Measures how long from cancel() until every one of N goroutines
// blocked on <-ctx.Done() has finished, for N = 1,000, 10,000 and 100,000, in two shapes: all N wait on one
// context.WithCancel, or each waits on its own WithCancel child of one parent and the parent is cancelled.
// Run it with: go run cancel.go (standard library only, Go 1.19 or newer).
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var sizes = []int{1_000, 10_000, 100_000}

const (
	warmUps     = 3
	rounds      = 15
	parkBudget  = 20 * time.Second
	timeout     = 6 * time.Minute // a healthy run takes well under a minute
	blockedHint = "[chan receive" // how runtime.Stack names a goroutine parked in <-ctx.Done()
)

// sample holds one round's instants, in nanoseconds after the cancel was issued.
type sample struct{ signalled, lastWoke, allExited int64 }

type shape struct {
	label    string
	short    string
	children bool
}

var shapes = []shape{
	{"context: N x <-ctx.Done() on one WithCancel", "one context", false},
	{"context: N children, cancel() the parent", "child per goroutine", true},
}

func main() {
	// a watchdog instead of timeouts on every wait: the lab must never hang
	time.AfterFunc(timeout, func() {
		fmt.Fprintf(os.Stderr, "cancel.go: still running after %v, giving up\n", timeout)
		os.Exit(2)
	})
	loadBefore := loadAverage()
	fmt.Printf("Go: %s %s/%s, NumCPU %d, GOMAXPROCS %d, load average at start: %s\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), loadBefore)
	fmt.Println("reproduce: cd module-03-context/lab/go && go run cancel.go")
	fmt.Printf("measuring: per N, %d warm-up + %d measured rounds of each shape, interleaved; a line per round with"+
		" its \"all exited\" times\n\n", warmUps, rounds)

	start := time.Now()
	results := map[string][]sample{}
	for _, n := range sizes {
		for r := -warmUps; r < rounds; r++ {
			line := fmt.Sprintf("  N = %7s  round %2d/%d ", thousands(n), r+1, rounds)
			if r < 0 {
				line = fmt.Sprintf("  N = %7s  warm-up %d/%d ", thousands(n), r+warmUps+1, warmUps)
			}
			for _, s := range shapes {
				x := round(n, s.children)
				if r >= 0 {
					k := key(s, n)
					results[k] = append(results[k], x)
				}
				line += fmt.Sprintf(" | %s %s ms", s.short, millis(float64(x.allExited)))
			}
			fmt.Println(line)
		}
		fmt.Printf("  N = %s done, %.0f s elapsed\n", thousands(n), time.Since(start).Seconds())
	}
	fmt.Println()
	fmt.Println("| mechanism | N | signalled | last waiter woke | all exited | all exited / N |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for _, s := range shapes {
		for _, n := range sizes {
			xs := results[key(s, n)]
			sig, woke, exit := pick(xs, 0), pick(xs, 1), pick(xs, 2)
			fmt.Printf("| %s | %s | %s | %s | %s | %.2f µs |\n", s.label, thousands(n), cell(sig), cell(woke),
				cell(exit), median(exit)/1e3/float64(n))
		}
	}
	fmt.Println()
	fmt.Printf("cells: median (min-max) in ms over %d rounds after %d warm-up rounds, from just before cancel();"+
		" each round parks N fresh goroutines first (all of them in %q, checked with runtime.Stack) and runs"+
		" runtime.GC()\n", rounds, warmUps, blockedHint+"]")
	fmt.Println("  signalled = cancel() returned; last waiter woke = the latest instant a goroutine got past" +
		" <-ctx.Done(); all exited = wg.Wait() returned (each goroutine's deferred wg.Done(): Go cannot wait for" +
		" a goroutine's end itself)")
	fmt.Printf("lab time: %.0f s, load average at start: %s, at end: %s\n", time.Since(start).Seconds(), loadBefore,
		loadAverage())
}

func key(s shape, n int) string { return fmt.Sprintf("%v/%d", s.children, n) }

// round starts n goroutines blocked on a context's Done channel, waits until all are parked, cancels and waits for
// all of them to finish.
func round(n int, children bool) sample {
	parent, cancel := context.WithCancel(context.Background())
	var ready, exited sync.WaitGroup
	ready.Add(n)
	exited.Add(n)
	var cancelIssued, lastWoke int64 // nanoseconds since base, accessed atomically
	atomic.StoreInt64(&cancelIssued, 1<<62)
	var early int64
	base := time.Now()
	for i := 0; i < n; i++ {
		ctx, cancelMine := parent, context.CancelFunc(func() {})
		if children {
			ctx, cancelMine = context.WithCancel(parent)
		}
		go func() {
			defer exited.Done()
			defer cancelMine() // as Go code does; a no-op once the parent has cancelled the child
			ready.Done()
			<-ctx.Done()
			woke := int64(time.Since(base))
			for {
				last := atomic.LoadInt64(&lastWoke)
				if woke <= last || atomic.CompareAndSwapInt64(&lastWoke, last, woke) {
					break
				}
			}
			if woke < atomic.LoadInt64(&cancelIssued) {
				atomic.AddInt64(&early, 1)
			}
		}()
	}
	ready.Wait()
	awaitBlocked(n)
	runtime.GC()

	t0 := int64(time.Since(base))
	atomic.StoreInt64(&cancelIssued, t0)
	cancel()
	signalled := int64(time.Since(base))
	exited.Wait()
	allExited := int64(time.Since(base))
	if early > 0 {
		panic(fmt.Sprintf("%d goroutines got past <-ctx.Done() before cancel()", early))
	}
	return sample{signalled - t0, atomic.LoadInt64(&lastWoke) - t0, allExited - t0}
}

// awaitBlocked polls the goroutine dump until n goroutines are parked in a channel receive: a goroutine that has
// called ready.Done() may not have reached <-ctx.Done() yet. Outside the timed window.
var stackBuf = make([]byte, 64<<20) // reused: 100,000 goroutines dump about 30 MB

func awaitBlocked(n int) {
	deadline := time.Now().Add(parkBudget)
	for {
		k := runtime.Stack(stackBuf, true)
		if k == len(stackBuf) {
			stackBuf = make([]byte, 2*len(stackBuf))
			continue
		}
		if bytes.Count(stackBuf[:k], []byte(blockedHint)) >= n {
			return
		}
		if time.Now().After(deadline) {
			panic(fmt.Sprintf("not all %d goroutines parked in %v", n, parkBudget))
		}
		time.Sleep(time.Millisecond)
	}
}

func pick(xs []sample, field int) []float64 {
	out := make([]float64, 0, len(xs))
	for _, x := range xs {
		out = append(out, float64([]int64{x.signalled, x.lastWoke, x.allExited}[field]))
	}
	sort.Float64s(out)
	return out
}

func median(sorted []float64) float64 {
	k := len(sorted)
	if k%2 == 1 {
		return sorted[k/2]
	}
	return (sorted[k/2-1] + sorted[k/2]) / 2
}

func cell(sorted []float64) string {
	return fmt.Sprintf("%s (%s–%s)", millis(median(sorted)), millis(sorted[0]), millis(sorted[len(sorted)-1]))
}

func millis(nanos float64) string {
	ms := nanos / 1e6
	switch {
	case ms < 1:
		return fmt.Sprintf("%.3f", ms)
	case ms < 10:
		return fmt.Sprintf("%.2f", ms)
	default:
		return fmt.Sprintf("%.1f", ms)
	}
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
