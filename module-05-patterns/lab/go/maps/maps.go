// maps.go: the Go twin of part 1 of PatternsLab.java (ST-04). Measures the throughput of a shared map of 1,024 int
// keys, all present, under 90/10, 50/50 and 10/90 read/write mixes on 1, 2 and 4 goroutines (GOMAXPROCS left at
// its default, the number of CPUs), for sync.Map, a map behind a sync.RWMutex and a map behind a sync.Mutex. A write
// replaces the value of a key that is present, so no map grows. Each goroutine picks keys with its own xorshift
// generator; the score is all goroutines' operations per microsecond, as JMH reports the Java side.
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
	keys      = 1024 // a power of two: a key index is the generator's low bits
	roundTime = 500 * time.Millisecond
	warmUps   = 1
	rounds    = 3
	timeout   = 300 * time.Second // a healthy run takes about 70 s
)

var (
	mixes   = []int{90, 50, 10} // percentage of reads
	threads = []int{1, 2, 4}
	// sync.Map stores interface values: converting an int above 255 to one allocates, so convert once, up front
	// (the Java side likewise uses pre-allocated Integers)
	keyAny   [keys]any
	valueAny [keys]any
)

// intMap is the two operations of the three maps behind one name.
type intMap interface {
	get(k int) (int, bool)
	put(k, v int)
}

type syncMap struct{ m sync.Map }

func (s *syncMap) get(k int) (int, bool) {
	v, ok := s.m.Load(keyAny[k])
	if !ok {
		return 0, false
	}
	return v.(int), true
}

func (s *syncMap) put(k, v int) { s.m.Store(keyAny[k], valueAny[v]) }

type rwMutexMap struct {
	mu sync.RWMutex
	m  map[int]int
}

func (s *rwMutexMap) get(k int) (int, bool) {
	s.mu.RLock()
	v, ok := s.m[k]
	s.mu.RUnlock()
	return v, ok
}

func (s *rwMutexMap) put(k, v int) {
	s.mu.Lock()
	s.m[k] = v
	s.mu.Unlock()
}

type mutexMap struct {
	mu sync.Mutex
	m  map[int]int
}

func (s *mutexMap) get(k int) (int, bool) {
	s.mu.Lock()
	v, ok := s.m[k]
	s.mu.Unlock()
	return v, ok
}

func (s *mutexMap) put(k, v int) {
	s.mu.Lock()
	s.m[k] = v
	s.mu.Unlock()
}

var impls = []string{"sync.Map", "sync.RWMutex + map", "sync.Mutex + map"}

func newMap(impl string) intMap {
	var m intMap
	switch impl {
	case "sync.Map":
		m = &syncMap{}
	case "sync.RWMutex + map":
		m = &rwMutexMap{m: make(map[int]int, keys)}
	default:
		m = &mutexMap{m: make(map[int]int, keys)}
	}
	for k := 0; k < keys; k++ {
		m.put(k, k)
	}
	return m
}

var sink atomic.Int64 // what the goroutines read ends here, so the reads cannot be optimized away

// opsPerMicro runs g goroutines on a fresh map for roundTime and returns all their operations per microsecond.
func opsPerMicro(impl string, readPercent, g int) float64 {
	m := newMap(impl)
	var stop atomic.Bool
	var start, done sync.WaitGroup
	counts := make([]int64, g*8) // a goroutine's count every 8 words: no false sharing between counters
	start.Add(1)
	done.Add(g)
	for i := 0; i < g; i++ {
		go func(i int) {
			defer done.Done()
			x := uint64(0x9E3779B97F4A7C15)*uint64(i+1) | 1
			var n, seen int64
			start.Wait()
			for !stop.Load() {
				for j := 0; j < 256; j++ { // check the flag every 256 operations
					x ^= x << 13
					x ^= x >> 7
					x ^= x << 17
					k := int(x & (keys - 1))
					roll := int(((x >> 32) * 100) >> 32)
					if roll < readPercent {
						v, _ := m.get(k)
						seen += int64(v)
					} else {
						m.put(k, int((x>>12)&(keys-1)))
					}
				}
				n += 256
			}
			counts[i*8] = n
			sink.Add(seen)
		}(i)
	}
	t0 := time.Now()
	start.Done()
	time.Sleep(roundTime)
	stop.Store(true)
	done.Wait()
	elapsed := time.Since(t0)
	var total int64
	for i := 0; i < g; i++ {
		total += counts[i*8]
	}
	return float64(total) / float64(elapsed.Microseconds())
}

func main() {
	time.AfterFunc(timeout, func() {
		fmt.Fprintf(os.Stderr, "maps.go: still running after %v, giving up\n", timeout)
		os.Exit(2)
	})
	for i := 0; i < keys; i++ {
		keyAny[i] = i
		valueAny[i] = i
	}
	fmt.Printf("Go: %s %s/%s, NumCPU %d, GOMAXPROCS %d, load average at start: %s\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage())
	fmt.Println("reproduce: cd module-05-patterns/lab/go/maps && go run .")
	trials := len(mixes) * len(impls) * len(threads)
	fmt.Printf("%d trials, each %d warm-up + %d rounds of %v (about %.0f s)\n\n", trials, warmUps, rounds, roundTime,
		float64(trials*(warmUps+rounds))*roundTime.Seconds())

	start := time.Now()
	type key struct {
		impl        string
		readPercent int
		g           int
	}
	results := map[key][]float64{}
	n := 0
	for _, readPercent := range mixes {
		for _, impl := range impls {
			for _, g := range threads {
				for i := 0; i < warmUps; i++ {
					opsPerMicro(impl, readPercent, g)
				}
				xs := make([]float64, rounds)
				for i := range xs {
					xs[i] = opsPerMicro(impl, readPercent, g)
				}
				results[key{impl, readPercent, g}] = xs
				n++
				fmt.Printf("  [%2d/%d] %-18s %2d%% reads %d goroutine(s)  %-20s %5.1f s elapsed\n", n, trials, impl,
					readPercent, g, cell(xs), time.Since(start).Seconds())
			}
		}
	}
	fmt.Println()
	fmt.Println("map operations per µs, all goroutines together (higher is better)")
	fmt.Println("| reads/writes | map | 1 goroutine | 2 goroutines | 4 goroutines |")
	fmt.Println("|---|---|---:|---:|---:|")
	for _, readPercent := range mixes {
		for _, impl := range impls {
			fmt.Printf("| %d/%d | %s |", readPercent, 100-readPercent, impl)
			for _, g := range threads {
				fmt.Printf(" %s |", cell(results[key{impl, readPercent, g}]))
			}
			fmt.Println()
		}
	}
	fmt.Printf("\ncells: median (min..max) of %d rounds of %v after %d warm-up; %d int keys, all present;"+
		" a write replaces a value; GOMAXPROCS %d\n", rounds, roundTime, warmUps, keys, runtime.GOMAXPROCS(0))
	fmt.Printf("lab time: %.1f s, load average at end: %s\n", time.Since(start).Seconds(), loadAverage())
}

func cell(xs []float64) string {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return fmt.Sprintf("%.1f (%.1f..%.1f)", s[len(s)/2], s[0], s[len(s)-1])
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
