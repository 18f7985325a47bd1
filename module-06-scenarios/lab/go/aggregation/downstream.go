package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

type partID int

const (
	inventory partID = iota
	pricing
	reviews
	recommendations
)

type part struct {
	label    string
	path     string
	required bool
}

var parts = [4]part{
	{"inventory", "/inventory/", true},
	{"pricing", "/prices/", true},
	{"reviews", "/reviews/", false},
	{"recommendations", "/recommendations/", false},
}

type outcome int

const (
	ok outcome = iota
	notFound
	failed
	late      // its own budget, or the request's, ran out
	cancelled // the request ended first: a required part failed, or the client went away
)

func (o outcome) String() string {
	return [...]string{"ok", "not_found", "failed", "late", "cancelled"}[o]
}

type stock struct {
	Available int    `json:"available"`
	Warehouse string `json:"warehouse"`
}

type price struct {
	AmountCents int64  `json:"amountCents"`
	Currency    string `json:"currency"`
}

type reviewsSummary struct {
	AverageStars float64 `json:"averageStars"`
	Count        int     `json:"count"`
}

type result struct {
	outcome         outcome
	stock           stock
	price           price
	reviews         *reviewsSummary
	recommendations []string
}

// downstream is one downstream's client: one shared http.Client per downstream, its connections kept alive and
// reused (a client per request is the red flag: a new connection, and its handshake, every time).
type downstream struct {
	part   part
	base   string
	client *http.Client
}

func newDownstream(p part, base string) *downstream {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 1024
	transport.MaxIdleConnsPerHost = 1024 // the default, 2, would open and close a connection per call under load
	transport.IdleConnTimeout = 90 * time.Second
	// no Client.Timeout: each call's context carries its budget
	return &downstream{part: p, base: base, client: &http.Client{Transport: transport}}
}

// call GETs base + path + id within ctx; the context's deadline is the call's budget.
func (d *downstream) call(ctx context.Context, id string) result {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.base+d.part.path+id, nil)
	if err != nil {
		return result{outcome: failed}
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return result{outcome: ctxOutcome(ctx, failed)}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		io.Copy(io.Discard, resp.Body) // read to the end: the connection goes back to the pool
		return result{outcome: notFound}
	case resp.StatusCode != http.StatusOK:
		io.Copy(io.Discard, resp.Body)
		return result{outcome: failed}
	}
	var body struct {
		Available    int      `json:"available"`
		Warehouse    string   `json:"warehouse"`
		AmountCents  int64    `json:"amountCents"`
		Currency     string   `json:"currency"`
		AverageStars float64  `json:"averageStars"`
		Count        int      `json:"count"`
		ProductIDs   []string `json:"productIds"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return result{outcome: ctxOutcome(ctx, failed)}
	}
	io.Copy(io.Discard, resp.Body)
	r := result{outcome: ok}
	switch d.part.label {
	case "inventory":
		r.stock = stock{body.Available, body.Warehouse}
	case "pricing":
		r.price = price{body.AmountCents, body.Currency}
	case "reviews":
		r.reviews = &reviewsSummary{body.AverageStars, body.Count}
	case "recommendations":
		r.recommendations = body.ProductIDs
	}
	return r
}

// ctxOutcome says why a call that failed failed: its deadline, the request's end, or the call itself.
func ctxOutcome(ctx context.Context, otherwise outcome) outcome {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return late
	case errors.Is(ctx.Err(), context.Canceled):
		return cancelled
	}
	return otherwise
}
