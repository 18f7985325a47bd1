// gc.go: the Go twin of GcLab.java. Runs one allocation-heavy workload (a live set of 1 KiB slices, short-lived
// 8-node lists, now and then a live slice replaced) in a child process per setting of GOGC and GOMEMLIMIT, with
// GODEBUG=gctrace=1, while a goroutine sleeps 1 ms in a loop and records how late it woke. The parent parses the
// child's gctrace lines (GC count, heap goal, heap sizes, stop-the-world time) and its result line (overshoot,
// allocation rate, peak RSS), and prints tables.
// Run it with: go run gc.go (standard library only, Go 1.19 or newer: GOMEMLIMIT came in 1.19).
// go run gc.go release: fills 400 MB, drops it, and prints the RSS as the scavenger and debug.FreeOSMemory return it.
// Options (environment): GC_LAB_SECONDS (per run, default 4), GC_LAB_LIVE_MB (default 150),
// GC_LAB_SPIRAL_LIVE_MB (default 400), GC_LAB_LIMIT (the GOMEMLIMIT of the limited rows, default 300MiB).
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

type setting struct {
	label  string
	gogc   string
	limit  string // GOMEMLIMIT, "" for none
	liveMB int
	maxMB  int  // the child stops allocating after this many MB in all (0: no cap); for GOGC=off without a limit
	busy   bool // the baseline: the worker computes without allocating
	rateMB int  // hold the allocation rate near this many MB/s (0: as fast as it can)
}

type result struct {
	gcs                            int
	maxGoalMB, maxHeapMB, lastLive int
	stwMaxMs, stwTotalMs, cpuSec   float64
	lastGCLine                     string
	fields                         map[string]string
}

var traceLine = regexp.MustCompile(`^gc (\d+) @([\d.]+)s (\d+)%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, .*? ` +
	`(\d+)->(\d+)->(\d+) MB, (\d+) MB goal`)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		child()
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "release" {
		release()
		return
	}
	seconds := envInt("GC_LAB_SECONDS", 4)
	live := envInt("GC_LAB_LIVE_MB", 150)
	spiral := envInt("GC_LAB_SPIRAL_LIVE_MB", 400)
	limit := envString("GC_LAB_LIMIT", "300MiB")
	rate := envInt("GC_LAB_RATE_MB", 300)
	start := time.Now()
	fmt.Printf("Go: %s %s/%s, NumCPU %d, GOMAXPROCS %d, load average at start: %s\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage())
	fmt.Println("reproduce: cd module-04-gc/lab/go && go run gc.go")
	fmt.Printf("options: GC_LAB_SECONDS=%d GC_LAB_LIVE_MB=%d GC_LAB_SPIRAL_LIVE_MB=%d GC_LAB_LIMIT=%s"+
		" GC_LAB_RATE_MB=%d\n\n", seconds, live, spiral, limit, rate)

	settings := []setting{
		{"GOGC=100, no allocation (baseline)", "100", "", live, 0, true, 0},
		{"GOGC=100, full speed", "100", "", live, 0, false, 0},
		{"GOGC=100 (default)", "100", "", live, 0, false, rate},
		{"GOGC=50", "50", "", live, 0, false, rate},
		{"GOGC=200", "200", "", live, 0, false, rate},
		{"GOGC=off, no limit (stops after 2,000 MB allocated)", "off", "", live, 2000, false, rate},
		{"GOGC=100, GOMEMLIMIT=" + limit, "100", limit, live, 0, false, rate},
		{"GOGC=off, GOMEMLIMIT=" + limit, "off", limit, live, 0, false, rate},
		{"death spiral: GOGC=100, GOMEMLIMIT=" + limit, "100", limit, spiral, 0, false, rate},
		{"death spiral: GOGC=off, GOMEMLIMIT=" + limit, "off", limit, spiral, 0, false, rate},
		{"no limit, same live set: GOGC=100", "100", "", spiral, 0, false, rate},
	}
	var rows []string
	var sample string
	for _, s := range settings {
		fmt.Printf("  %-55s ...", s.label)
		r := run(s, seconds)
		f := r.fields
		goal := fmt.Sprintf("%d MB", r.maxGoalMB)
		if r.maxGoalMB > 1<<30 { // GOGC=off without a limit: the goal is "never"
			goal = "none"
		}
		row := fmt.Sprintf("| %s | %d MB | %s | %s | %s | %d | %s | %d MB | %.2f ms | %.1f ms | %s MB/s | %s MB"+
			" | %.1f s |", s.label, s.liveMB, micros(f["p50"]), micros(f["p99"]), micros(f["max"]), r.gcs,
			goal, r.maxHeapMB, r.stwMaxMs, r.stwTotalMs, f["mbPerSec"], f["peakRss"], r.cpuSec)
		fmt.Printf(" %d GCs, peak RSS %s MB, %s MB/s\n", r.gcs, f["peakRss"], f["mbPerSec"])
		rows = append(rows, row)
		if s.gogc == "100" && s.limit == "" && s.liveMB == live {
			sample = r.lastGCLine
		}
	}
	fmt.Println()
	fmt.Printf("Go twin: %d s per run; overshoot of a 1 ms time.Sleep; GC count, heap goal, heap and STW from"+
		" gctrace\n", seconds)
	fmt.Println("| setting | live set | overshoot p50 | p99 | max | GCs | max goal | max heap | max STW |" +
		" total STW | allocation rate | peak RSS | process CPU |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, row := range rows {
		fmt.Println(row)
	}
	fmt.Println()
	fmt.Println("a gctrace line from the GOGC=100 run:")
	fmt.Println("  " + sample)
	fmt.Printf("\nlab time %.0f s; load average at the end: %s\n", time.Since(start).Seconds(), loadAverage())
	fmt.Println("These are one machine's figures at one moment: only the ratios between rows carry over.")
}

func run(s setting, seconds int) result {
	self, err := os.Executable()
	if err != nil {
		panic(err)
	}
	cmd := exec.Command(self, "child", strconv.Itoa(seconds), strconv.Itoa(s.liveMB), strconv.Itoa(s.maxMB),
		strconv.FormatBool(s.busy), strconv.Itoa(s.rateMB))
	env := []string{"GOGC=" + s.gogc, "GODEBUG=gctrace=1"}
	if s.limit != "" {
		env = append(env, "GOMEMLIMIT="+s.limit)
	}
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "GOGC=") && !strings.HasPrefix(e, "GOMEMLIMIT=") && !strings.HasPrefix(e, "GODEBUG=") {
			env = append(env, e)
		}
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		fmt.Printf(" child failed: %v\n%s", err, stderr.String())
	}
	r := result{fields: map[string]string{}}
	if cmd.ProcessState != nil {
		r.cpuSec = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	for _, line := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(line, "RESULT ") {
			for _, kv := range strings.Fields(line[7:]) {
				if i := strings.IndexByte(kv, '='); i > 0 {
					r.fields[kv[:i]] = kv[i+1:]
				}
			}
		}
	}
	gc0 := atoi(r.fields["gc0"]) // GCs while the live set was built: not part of the measured window
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		line := sc.Text()
		m := traceLine.FindStringSubmatch(line)
		if m == nil || atoi(m[1]) <= gc0 {
			continue
		}
		r.gcs++
		if !strings.HasSuffix(line, "(forced)") {
			r.lastGCLine = line
		}
		stw := atof(m[4]) + atof(m[6]) // sweep termination + mark termination: the two stop-the-world phases
		r.stwTotalMs += stw
		if stw > r.stwMaxMs {
			r.stwMaxMs = stw
		}
		if h := atoi(m[7]); h > r.maxHeapMB {
			r.maxHeapMB = h
		}
		if g := atoi(m[10]); g > r.maxGoalMB {
			r.maxGoalMB = g
		}
		r.lastLive = atoi(m[9])
	}
	return r
}

// ------------------------------------------------------------------------------------------------- the child

type node struct {
	value int64
	next  *node
}

var sink *node

func churn(live [][]byte, i int) int64 {
	var list *node
	for k := 0; k < 8; k++ {
		list = &node{int64(i + k), list}
	}
	sink = list // escapes to the heap: go build -gcflags=-m says "&node{...} escapes to heap"
	if len(live) > 0 && i&15 == 0 {
		b := make([]byte, 1024)
		b[0] = 1
		live[(i*7919)%len(live)] = b
	}
	return list.value
}

func child() {
	seconds, _ := strconv.Atoi(os.Args[2])
	liveMB, _ := strconv.Atoi(os.Args[3])
	maxMB, _ := strconv.Atoi(os.Args[4])
	busy := os.Args[5] == "true"
	rateMB, _ := strconv.Atoi(os.Args[6])
	live := make([][]byte, liveMB*1024)
	for i := range live {
		live[i] = make([]byte, 1024)
		live[i][0] = 1 // fresh memory from the OS is not zeroed by Go, so untouched pages would not count in RSS
	}
	begin := time.Now()
	var stop atomic.Bool // Go 1.19
	var allocated atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		var sum int64
		i := 0
		for !stop.Load() {
			if busy {
				for k := 0; k < 8; k++ {
					sum += int64(i) * int64(k) // the same busy core, without allocating
				}
			} else {
				sum += churn(live, i)
			}
			i++
			if i&1023 == 0 {
				n := allocated.Add(1024 * (8*16 + 1024/16)) // about: 8 nodes of 16 B, and 1 KiB every 16 ops
				if maxMB > 0 && n > int64(maxMB)<<20 {
					break
				}
				if rateMB > 0 { // hold the allocation rate near rateMB MB/s
					due := time.Duration(float64(n) / float64(rateMB<<20) * 1e9)
					if ahead := due - time.Since(begin); ahead > 0 {
						time.Sleep(ahead)
					}
				}
			}
		}
		_ = sum
	}()
	var before runtime.MemStats
	runtime.ReadMemStats(&before) // before.NumGC: the GCs of building the live set, left out of the counts
	var peakRSS int64
	overshoot := make([]time.Duration, 0, seconds*1000)
	end := begin.Add(time.Duration(seconds) * time.Second)
	for time.Now().Before(end) {
		t := time.Now()
		time.Sleep(time.Millisecond)
		d := time.Since(t) - time.Millisecond
		if d < 0 {
			d = 0
		}
		overshoot = append(overshoot, d)
		if len(overshoot)%50 == 0 {
			if rss := rssMB(); rss > peakRSS {
				peakRSS = rss
			}
		}
	}
	stop.Store(true)
	<-done
	elapsed := time.Since(begin).Seconds()
	if rss := rssMB(); rss > peakRSS {
		peakRSS = rss
	}
	sort.Slice(overshoot, func(a, b int) bool { return overshoot[a] < overshoot[b] })
	n := len(overshoot)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("RESULT p50=%d p99=%d max=%d gc0=%d gcs=%d mbPerSec=%.0f peakRss=%d heapSysMB=%d gcCpu=%.3f"+
		" live=%d\n", overshoot[n/2], overshoot[n*99/100], overshoot[n-1], before.NumGC, ms.NumGC-before.NumGC,
		float64(ms.TotalAlloc-before.TotalAlloc)/elapsed/(1<<20), peakRSS, ms.HeapSys>>20, ms.GCCPUFraction, len(live))
}

// release: does the heap shrink when the data is gone? (go run gc.go release) The Go side of ReturnMemory.java.
func release() {
	data := make([][]byte, 400)
	for i := range data {
		data[i] = make([]byte, 1<<20)
		data[i][0] = 1 // touch: Go does not zero fresh memory, so untouched pages would not count in RSS
		for j := 0; j < len(data[i]); j += 4096 {
			data[i][j] = 1
		}
	}
	fmt.Println("full: RSS", rssMB(), "MB")
	data = nil
	runtime.GC()
	fmt.Println("after runtime.GC(): RSS", rssMB(), "MB")
	for s := 2; s <= 6; s += 2 {
		time.Sleep(2 * time.Second)
		fmt.Printf("after %d s: RSS %d MB\n", s, rssMB())
	}
	debug.FreeOSMemory()
	fmt.Println("after debug.FreeOSMemory(): RSS", rssMB(), "MB")
}

func rssMB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "VmRSS:"), "kB")),
				10, 64)
			return kb >> 10
		}
	}
	return -1
}

// ------------------------------------------------------------------------------------------------- helpers

func micros(ns string) string {
	v, err := strconv.ParseFloat(ns, 64)
	if err != nil {
		return "?"
	}
	if v >= 1e6 {
		return fmt.Sprintf("%.1f ms", v/1e6)
	}
	return fmt.Sprintf("%.0f us", v/1e3)
}

func atof(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
func atoi(s string) int     { v, _ := strconv.Atoi(s); return v }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envString(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	return strings.Join(f[:3], " ")
}
