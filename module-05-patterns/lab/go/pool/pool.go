// pool.go: the Go twin of part 2 of PatternsLab.java, the worker pool's knee. A pool of n worker goroutines takes
// jobs from a buffered channel of 64; each job is a small CPU part, then a call to a downstream with 16 handlers
// that each take 20 ms (a buffered channel of 16 is the semaphore; a handler "works" by sleeping). 320 jobs per pool
// size, best of 3 rounds; the table sets the throughput against Little's law: min(n, 16) / time per call.
// Run it with: go run . (standard library only, Go 1.19 or newer).
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
	jobs          = 320 // a multiple of every pool size: no partial last wave
	rounds        = 3
	queueCapacity = 64
	handlers      = 16
	latency       = 20 * time.Millisecond
	cpuSteps      = 20_000
	kneeGain      = 1.10 // the knee: the first size whose doubling adds less than 10 %
	timeout       = 180 * time.Second
)

var poolSizes = []int{1, 2, 4, 8, 16, 32, 64}

var sink atomic.Uint64

func cpuPart(seed uint64) uint64 {
	x := seed | 1
	for i := 0; i < cpuSteps; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// downstream has handlers slots; call waits for a free one, then holds it for latency.
type downstream struct {
	slots    chan struct{}
	waitNano atomic.Int64
}

func (d *downstream) call() {
	sent := time.Now()
	d.slots <- struct{}{} // acquire a handler: blocks while all 16 are busy
	d.waitNano.Add(int64(time.Since(sent)))
	time.Sleep(latency)
	<-d.slots // release it
}

type result struct{ jobsPerSecond, jobMillis, waitMillis float64 }

// round runs jobs jobs on a pool of size workers over a buffered channel, from the first send to the last job done.
func round(size int) result {
	d := &downstream{slots: make(chan struct{}, handlers)}
	queue := make(chan uint64, queueCapacity)
	var wg sync.WaitGroup
	var jobNanos atomic.Int64
	wg.Add(size)
	for i := 0; i < size; i++ {
		go func() {
			defer wg.Done()
			for seed := range queue { // until the queue is closed and drained
				start := time.Now()
				sink.Store(cpuPart(seed))
				d.call()
				jobNanos.Add(int64(time.Since(start)))
			}
		}()
	}
	t0 := time.Now()
	for i := 0; i < jobs; i++ {
		queue <- uint64(i) // blocks while the queue is full: backpressure
	}
	close(queue)
	wg.Wait()
	elapsed := time.Since(t0)
	return result{jobs / elapsed.Seconds(), float64(jobNanos.Load()) / 1e6 / jobs,
		float64(d.waitNano.Load()) / 1e6 / jobs}
}

func main() {
	time.AfterFunc(timeout, func() {
		fmt.Fprintf(os.Stderr, "pool.go: still running after %v, giving up\n", timeout)
		os.Exit(2)
	})
	fmt.Printf("Go: %s %s/%s, NumCPU %d, GOMAXPROCS %d, load average at start: %s\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage())
	fmt.Println("reproduce: cd module-05-patterns/lab/go/pool && go run .")
	fmt.Printf("%d jobs per pool size %v, best of %d rounds (about 45 s)\n", jobs, poolSizes, rounds)
	start := time.Now()
	round(16) // warm-up

	t0 := time.Now()
	for i := 0; i < 2000; i++ {
		sink.Store(cpuPart(uint64(i)))
	}
	cpuMicros := float64(time.Since(t0).Nanoseconds()) / 1e3 / 2000
	d := &downstream{slots: make(chan struct{}, handlers)}
	calls := make([]float64, 20)
	for i := range calls {
		t := time.Now()
		d.call()
		calls[i] = float64(time.Since(t).Nanoseconds()) / 1e6
	}
	sort.Float64s(calls)
	callMillis := (calls[9] + calls[10]) / 2
	fmt.Printf("  the job's CPU part alone: %.1f µs; one call to an idle downstream: %.2f ms (median of 20)\n",
		cpuMicros, callMillis)

	best := make([]result, len(poolSizes))
	for i, size := range poolSizes {
		rates := make([]string, rounds)
		for r := 0; r < rounds; r++ {
			x := round(size)
			rates[r] = fmt.Sprintf("%.0f", x.jobsPerSecond)
			if x.jobsPerSecond > best[i].jobsPerSecond {
				best[i] = x
			}
		}
		fmt.Printf("  pool of %2d: %6.0f jobs/s (rounds %s), %5.1f s elapsed\n", size, best[i].jobsPerSecond,
			strings.Join(rates, ", "), time.Since(start).Seconds())
	}
	knee := -1
	for i := 0; i+1 < len(best); i++ {
		if best[i+1].jobsPerSecond < kneeGain*best[i].jobsPerSecond {
			knee = poolSizes[i]
			break
		}
	}

	perCall := callMillis + cpuMicros/1e3
	fmt.Println()
	fmt.Printf("%d jobs, each %.0f µs of CPU then a call to a downstream of %d handlers x %v\n", jobs, cpuMicros,
		handlers, latency)
	fmt.Printf("| pool size | jobs/s, best of %d | Little's law, jobs/s | ms per job | ms of it waiting for a handler"+
		" | workers busy |\n", rounds)
	fmt.Println("|---:|---:|---:|---:|---:|---:|")
	for i, size := range poolSizes {
		mark := ""
		if size == knee {
			mark = " (knee)"
		}
		r := best[i]
		predicted := float64(min(size, handlers)) / (perCall / 1e3)
		fmt.Printf("| %d | %.0f%s | %.0f | %.1f | %.1f | %.1f |\n", size, r.jobsPerSecond, mark, predicted,
			r.jobMillis, r.waitMillis, r.jobsPerSecond*r.jobMillis/1e3)
	}
	fmt.Printf("knee: the first pool size whose doubling adds less than %.0f %% throughput: %d\n",
		(kneeGain-1)*100, knee)
	fmt.Printf("Little's law: min(pool size, %d handlers) / (%.2f ms per call + %.0f µs of CPU)\n", handlers,
		callMillis, cpuMicros)
	fmt.Printf("lab time: %.1f s, load average at end: %s\n", time.Since(start).Seconds(), loadAverage())
}

func min(a, b int) int { // the built-in min arrived in Go 1.21
	if a < b {
		return a
	}
	return b
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
