// snippets.go: the Go code quoted in module-04-gc/README.md, kept here so that it compiles. Check it with
// go vet . && go build -gcflags=-m . (go1.19.8 here). Fragments that need a newer Go (runtime.AddCleanup: 1.24,
// weak.Make: 1.24) are in the README only and say so.
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// --- tune: GOGC and GOMEMLIMIT set at run time

func tune() {
	old := debug.SetGCPercent(50)     // GOGC=50 from now on; returns the old value. -1 is GOGC=off
	debug.SetMemoryLimit(460 << 20)   // GOMEMLIMIT=460MiB (Go 1.19+): soft, on all the runtime's memory
	limit := debug.SetMemoryLimit(-1) // a negative value reads the limit without changing it
	fmt.Println("GOGC was", old, "limit", limit>>20, "MiB")
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats) // stops the world briefly: not in a hot path
	fmt.Println(stats.NumGC, "GCs,", stats.HeapAlloc>>20, "MB in heap objects")
}

// --- escape: what -gcflags=-m reports

type point struct{ x, y int }

func stays(i int) int {
	p := point{i, i + 1} // a value on the stack: no allocation
	return p.x + p.y
}

var seen [1024]*point

func escapes(i int) int {
	p := &point{i, i + 1} // -m: "&point{...} escapes to heap": stored in a global
	seen[i&1023] = p
	return p.x + p.y
}

// --- pool: sync.Pool for short-lived buffers

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func greeting(name string) string {
	b := buffers.Get().(*bytes.Buffer) // a pooled buffer, or a new one
	defer buffers.Put(b)               // back for the next caller; the GC may drop pooled items at any cycle
	b.Reset()
	b.WriteString("hello, ")
	b.WriteString(name)
	return b.String() // copies: b can be reused safely
}

// --- finalizer: the pre-1.24 way to attach cleanup to an object

type file struct{ fd int }

func open(fd int) *file {
	f := &file{fd}
	runtime.SetFinalizer(f, func(f *file) { // runs some time after f became unreachable, on one goroutine
		fmt.Println("finalizer closes", f.fd)
	})
	return f
}

// --- leak: a goroutine blocked for ever keeps its stack and everything it references

func leak() {
	results := make(chan []byte) // unbuffered, and nobody will ever receive
	go func() {
		buf := make([]byte, 8<<20)
		results <- buf // blocks for ever: the goroutine and its 8 MB stay
	}()
}

// --- release: give freed memory back to the OS now

func release() {
	debug.FreeOSMemory() // forces a GC, then returns as much memory to the OS as it can
}

func main() {
	tune()
	fmt.Println(stays(1), escapes(1), greeting("gopher"))
	f := open(3)
	f = nil
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	leak()
	release()
	fmt.Println("goroutines:", runtime.NumGoroutine(), f == nil)
	os.Exit(0)
}
