// spawn.go: the Go twin of SpawnLab.java. Measures, for goroutines, spawn+join cost (sync.WaitGroup),
// memory per parked goroutine (runtime.ReadMemStats: heap, stack and Sys deltas) and a million goroutines
// each sleeping 1 s. Run it with: go run spawn.go (standard library only, Go 1.19 or newer).
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	spawnN  = 100_000   // row 1, as many as the Java virtual-thread row
	parkN   = 100_000   // row 2
	sleepN  = 1_000_000 // row 3
	rounds  = 5
	sleepD  = time.Second
	timeout = 180 * time.Second // a healthy run takes well under a minute
)

type row struct{ id, what, value, how string }

func main() {
	// a watchdog instead of timeouts on every Wait: the lab must never hang
	time.AfterFunc(timeout, func() {
		fmt.Fprintf(os.Stderr, "spawn.go: still running after %v, giving up\n", timeout)
		os.Exit(2)
	})
	fmt.Printf("Go: %s %s/%s, NumCPU %d, GOMAXPROCS %d\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Println("reproduce: cd module-01-goroutines/lab/go && go run spawn.go")
	fmt.Println()

	// row 2 runs first: its first round needs a fresh runtime, before row 1 leaves 100,000 dead g structs behind
	memory := memoryRows()
	rows := append([]row{spawnRow()}, memory...)
	rows = append(rows, sleepRow())
	printTable(rows)
}

// ---- row 1: spawn + join ----

func spawnRow() row {
	ns := make([]float64, 0, rounds)
	spawnJoinMicros(spawnN) // warm-up, discarded: grows the heap and the pool of free g structs
	for i := 0; i < rounds; i++ {
		ns = append(ns, spawnJoinMicros(spawnN))
	}
	return row{"1", "spawn + join one goroutine, us", fmt.Sprintf("%.2f", median(ns)),
		fmt.Sprintf("start %d goroutines that do nothing, then wg.Wait(); total time / count;"+
			" median of %d rounds after 1 warm-up (%s)", spawnN, rounds, spread(ns))}
}

func spawnJoinMicros(n int) float64 {
	var wg sync.WaitGroup
	wg.Add(n)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		go wg.Done()
	}
	wg.Wait()
	return float64(time.Since(t0).Nanoseconds()) / 1e3 / float64(n)
}

// ---- row 2: memory while parked ----

func memoryRows() []row {
	// The first round differs from later ones, so both are shown: the runtime keeps exited goroutines' g structs on
	// a free list for reuse (they never go back to the heap), and it sizes new stacks from the average it has seen.
	var heap, stack, sys []float64
	for i := 0; i < 4; i++ {
		h, s, y := perParkedGoroutine(parkN)
		heap, stack, sys = append(heap, h), append(stack, s), append(sys, y)
	}
	cell := func(xs []float64) string { return fmt.Sprintf("%.0f / %.0f", xs[0], median(xs[1:])) }
	how := fmt.Sprintf("park %d goroutines on a channel receive; runtime.GC() x2 then ReadMemStats, parked minus"+
		" before, / count; first round in a fresh process / median of the 3 later rounds", parkN)
	return []row{
		{"2", "heap per parked goroutine, bytes (1st / later)", cell(heap), how + fmt.Sprintf(" (%s). HeapAlloc:"+
			" the g struct, the closure and the channel's waiter entry; later rounds reuse dead g structs",
			spread(heap[1:]))},
		{"2b", "stack per parked goroutine, bytes (1st / later)", cell(stack), how + fmt.Sprintf(" (%s). StackInuse:"+
			" stacks start small and grow; since Go 1.19 the starting size follows the average stack the GC has"+
			" scanned (GODEBUG=adaptivestackstart=0 turns that off)", spread(stack[1:]))},
		{"2c", "Sys per parked goroutine, bytes (1st / later)", cell(sys), how + fmt.Sprintf(" (%s). Sys: memory"+
			" obtained from the OS, rarely returned, so later rounds reuse it", spread(sys[1:]))},
	}
}

func perParkedGoroutine(n int) (heap, stack, sys float64) {
	release := make(chan struct{})
	var ready, done sync.WaitGroup
	ready.Add(n)
	done.Add(n)
	before := memAfterGC()
	for i := 0; i < n; i++ {
		go func() {
			defer done.Done()
			ready.Done()
			<-release // parked: the goroutine sleeps until the channel is closed
		}()
	}
	ready.Wait()
	time.Sleep(100 * time.Millisecond) // let the last ones reach the receive and park
	parked := memAfterGC()
	close(release)
	done.Wait()
	per := func(a, b uint64) float64 { return (float64(b) - float64(a)) / float64(n) }
	return per(before.HeapAlloc, parked.HeapAlloc), per(before.StackInuse, parked.StackInuse), per(before.Sys, parked.Sys)
}

func memAfterGC() runtime.MemStats {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC() // a second pass, as in the Java lab, for anything freed late (finalizers)
	runtime.ReadMemStats(&m)
	return m
}

// ---- row 3: a million sleepers ----

func sleepRow() row {
	warm := make([]float64, 0, 3)
	for i := 0; i < 3; i++ { // warm-up as in the Java lab: grows heap and stack caches
		s, _, _ := sleepers(sleepN / 10)
		warm = append(warm, s)
	}
	wall, spawned, peak := sleepers(sleepN)
	return row{"3", fmt.Sprintf("%d goroutines x sleep 1 s, wall", sleepN), fmt.Sprintf("%.2f s", wall),
		fmt.Sprintf("one goroutine per task, time.Sleep(1 s), wg.Wait(); one round after 3 warm-up rounds of %d"+
			" (%.2f, %.2f, %.2f s); spawning took %.2f s, so at most %d slept at the same time",
			sleepN/10, warm[0], warm[1], warm[2], spawned, peak)}
}

// sleepers runs n goroutines that each sleep; peak is the most asleep at once (the first ones wake up while the
// last ones are still being spawned, so it shows whether a million really slept together)
func sleepers(n int) (wall, spawned float64, peak int64) {
	var wg sync.WaitGroup
	var started, finished int64
	wg.Add(n)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			live := atomic.AddInt64(&started, 1) - atomic.LoadInt64(&finished)
			for p := atomic.LoadInt64(&peak); live > p && !atomic.CompareAndSwapInt64(&peak, p, live); {
				p = atomic.LoadInt64(&peak)
			}
			time.Sleep(sleepD)
			atomic.AddInt64(&finished, 1)
		}()
	}
	spawned = time.Since(t0).Seconds()
	wg.Wait()
	return time.Since(t0).Seconds(), spawned, atomic.LoadInt64(&peak)
}

// ---- helpers ----

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func spread(xs []float64) string {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return fmt.Sprintf("range %.2f..%.2f", s[0], s[len(s)-1])
}

func printTable(rows []row) {
	wi, ww, wv := 2, len("measurement"), len("goroutines")
	for _, r := range rows {
		if len(r.id) > wi {
			wi = len(r.id)
		}
		if len(r.what) > ww {
			ww = len(r.what)
		}
		if len(r.value) > wv {
			wv = len(r.value)
		}
	}
	fmt.Printf("| %-*s | %-*s | %*s |\n", wi, "#", ww, "measurement", wv, "goroutines")
	fmt.Printf("|-%s-|-%s-|-%s:|\n", strings.Repeat("-", wi), strings.Repeat("-", ww), strings.Repeat("-", wv))
	for _, r := range rows {
		fmt.Printf("| %-*s | %-*s | %*s |\n", wi, r.id, ww, r.what, wv, r.value)
	}
	fmt.Println()
	for _, r := range rows {
		fmt.Printf("row %s: %s\n", r.id, r.how)
	}
}
