// handoff.go: the Go twin of HandOffLab.java. Measures, for Go channels, the unbuffered hand-off round trip
// (ping-pong: the main goroutine sends on ping, an echo goroutine receives and sends back on pong) in ns per round
// trip, and the throughput of a buffered channel of capacity 1024 with 1 producer and 1 consumer goroutine in
// millions of items per second. Run it with: go run handoff.go (standard library only, Go 1.19 or newer).
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

const (
	roundTrips = 1_000_000  // per round of row 1: about 0.3-1 s
	items      = 10_000_000 // per round of row 2: about 0.5-2 s
	capacity   = 1024
	warmUps    = 1
	rounds     = 5
	timeout    = 180 * time.Second // a healthy run takes well under a minute
)

func main() {
	// a watchdog instead of timeouts on every receive: the lab must never hang
	time.AfterFunc(timeout, func() {
		fmt.Fprintf(os.Stderr, "handoff.go: still running after %v, giving up\n", timeout)
		os.Exit(2)
	})
	fmt.Printf("Go: %s %s/%s, NumCPU %d, GOMAXPROCS %d, load average at start: %s\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage())
	fmt.Println("reproduce: cd module-02-channels/lab/go && go run handoff.go")
	fmt.Println()

	start := time.Now()
	fmt.Printf("row 1, unbuffered round trip: %d warm-up + %d rounds of %d round trips\n", warmUps, rounds, roundTrips)
	rt := measure(roundTripNanos, "ns per round trip", "%.0f", start)
	fmt.Printf("row 2, buffered cap %d: %d warm-up + %d rounds of %d items\n", capacity, warmUps, rounds, items)
	tp := measure(bufferedMillionsPerSecond, "M items/s", "%.2f", start)
	fmt.Println()

	fmt.Println("| measurement | hand-off | goroutines |")
	fmt.Println("|---|---|---:|")
	fmt.Printf("| unbuffered round trip, ns | chan int, make(chan int) | %.0f |\n", median(rt))
	fmt.Printf("| buffered cap %d, M items/s | chan int, make(chan int, %d) | %.2f |\n", capacity, capacity, median(tp))
	fmt.Println()
	fmt.Printf("row 1: main goroutine sends on ping and receives on pong, an echo goroutine does the reverse;"+
		" %d round trips per round, total time / count; median of %d rounds after %d warm-up (%s)\n",
		roundTrips, rounds, warmUps, spread(rt, "%.0f"))
	fmt.Printf("row 2: a producer goroutine sends %d ints into one channel of capacity %d, the main goroutine"+
		" receives them all; count / total time; median of %d rounds after %d warm-up (%s)\n",
		items, capacity, rounds, warmUps, spread(tp, "%.2f"))
	fmt.Printf("lab time: %.1f s, load average at end: %s\n", time.Since(start).Seconds(), loadAverage())
}

// measure runs warmUps discarded rounds, then rounds kept ones, and prints a line for each.
func measure(round func() float64, unit, format string, start time.Time) []float64 {
	for i := 1; i <= warmUps; i++ {
		fmt.Printf("  warm-up %d: "+format+" %s (discarded), %.1f s elapsed\n", i, round(), unit,
			time.Since(start).Seconds())
	}
	xs := make([]float64, 0, rounds)
	for i := 1; i <= rounds; i++ {
		x := round()
		xs = append(xs, x)
		fmt.Printf("  round %d: "+format+" %s, %.1f s elapsed\n", i, x, unit, time.Since(start).Seconds())
	}
	return xs
}

// ---- row 1: unbuffered ping-pong ----

func roundTripNanos() float64 {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
		close(pong)
	}()
	t0 := time.Now()
	for i := 0; i < roundTrips; i++ {
		ping <- i
		if <-pong != i {
			panic("the echo came back changed")
		}
	}
	elapsed := time.Since(t0)
	close(ping) // ends the echo goroutine
	<-pong
	return float64(elapsed.Nanoseconds()) / roundTrips
}

// ---- row 2: buffered, 1 producer 1 consumer ----

func bufferedMillionsPerSecond() float64 {
	ch := make(chan int, capacity)
	t0 := time.Now()
	go func() {
		for i := 0; i < items; i++ {
			ch <- i
		}
		close(ch)
	}()
	n := 0
	for range ch {
		n++
	}
	elapsed := time.Since(t0)
	if n != items {
		panic("items were lost")
	}
	return float64(items) / elapsed.Seconds() / 1e6
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

func spread(xs []float64, format string) string {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return fmt.Sprintf(format+".."+format, s[0], s[len(s)-1])
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
