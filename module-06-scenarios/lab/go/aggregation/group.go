package main

import (
	"context"
	"sync"
)

// group is the part of golang.org/x/sync/errgroup that the fan-out needs (errgroup.WithContext, Go, Wait), written
// with the standard library because the workshop's machine has no module proxy: the first goroutine that returns
// an error cancels the group's context; Wait waits for all of them and returns that first error.
type group struct {
	wg     sync.WaitGroup
	cancel context.CancelFunc
	once   sync.Once
	err    error
}

func withContext(ctx context.Context) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &group{cancel: cancel}, ctx
}

func (g *group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}
