// The Go twin of the aggregation API (module 06, scenario 1), for the load benchmark: GET /products/{id} calls the
// four downstreams at once, each within its budget inside the request's 200 ms, and answers one JSON page, degraded
// when an optional part failed or was late; a required part that fails ends the request and cancels the calls still
// running. The same wire contract as the Java service (ProductEndpoint's Javadoc), the same flags as its Main:
//
//	go run . --port 0 --inventory http://127.0.0.1:40001 --pricing ... --reviews ... --recommendations ...
//
// It prints the URL it listens on, one JSON log line per request, and serves GET /debug/goroutines (the number of
// goroutines, then the number once idle connections to the downstreams are closed: the lab's "threads afterwards"). Standard library only, Go 1.19 or newer: the fan-out would be
// golang.org/x/sync/errgroup (errgroup.WithContext), which cannot be fetched on the workshop's machine (no module
// proxy), so group.go writes the few lines of it that this needs. Not in the twin: /metrics and circuit breakers
// (the Java service has both; see the README's lab section for what that means for the comparison).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// The scenario's budgets (domain.Budgets.standard() in Java).
const (
	requestBudget  = 200 * time.Millisecond
	requiredBudget = 150 * time.Millisecond
	optionalBudget = 120 * time.Millisecond
)

var validID = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)

func main() {
	port := flag.Int("port", 8080, "port to listen on (0: any free port)")
	var base [4]*string
	for i, p := range parts {
		base[i] = flag.String(p.label, "", "base URI of the "+p.label+" downstream")
	}
	flag.Parse()
	svc := &service{log: log.New(os.Stdout, "", 0)}
	for i, p := range parts {
		if *base[i] == "" {
			fmt.Fprintln(os.Stderr, "missing --"+p.label)
			os.Exit(2)
		}
		svc.downstreams[i] = newDownstream(p, strings.TrimSuffix(*base[i], "/"))
	}
	prefix := make([]byte, 4)
	if _, err := rand.Read(prefix); err != nil {
		panic(err)
	}
	svc.idPrefix = hex.EncodeToString(prefix)

	mux := http.NewServeMux()
	mux.HandleFunc("/products/", svc.products)
	// For the lab's "threads afterwards": the goroutines now, then once the pooled idle connections to the
	// downstreams are closed (two goroutines each, their read and write loops): what is left is what requests left.
	mux.HandleFunc("/debug/goroutines", func(w http.ResponseWriter, r *http.Request) {
		now := runtime.NumGoroutine()
		for _, d := range svc.downstreams {
			d.client.CloseIdleConnections()
		}
		time.Sleep(100 * time.Millisecond) // the closed connections' loops end
		fmt.Fprintln(w, now, runtime.NumGoroutine())
	})
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Printf("aggregation (Go %s) listening on http://%s\n", runtime.Version(), listener.Addr())
	fmt.Printf("try: curl -i http://%s/products/p-1\n", listener.Addr())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		server.Shutdown(ctx) // stop accepting, let requests in flight finish, then close
	}()
	if err := server.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type service struct {
	downstreams [4]*downstream
	log         *log.Logger
	idPrefix    string
	requests    atomic.Int64
}

// products is GET /products/{id}.
func (s *service) products(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	requestID := r.Header.Get("X-Request-Id")
	if !validID.MatchString(requestID) {
		requestID = fmt.Sprintf("%s-%d", s.idPrefix, s.requests.Add(1))
	}
	w.Header().Set("X-Request-Id", requestID)
	w.Header().Set("Content-Type", "application/json")
	status, outcome, omitted := s.serve(w, r, requestID)
	s.log.Printf(`{"requestId":%q,"method":%q,"path":%q,"status":%d,"durationMs":%.3f,"outcome":%q,"omitted":%s}`,
		requestID, r.Method, r.URL.Path, status, float64(time.Since(start).Microseconds())/1000, outcome,
		jsonList(omitted))
}

func (s *service) serve(w http.ResponseWriter, r *http.Request, requestID string) (int, string, []string) {
	rest := strings.TrimPrefix(r.URL.Path, "/products/")
	if strings.Contains(rest, "/") || rest == "" {
		return writeError(w, http.StatusNotFound, "not_found", "", requestID), "not_found", nil
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		return writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "", requestID), "bad_request", nil
	}
	if !validID.MatchString(rest) {
		return writeError(w, http.StatusBadRequest, "invalid_product_id", "", requestID), "bad_request", nil
	}

	// The request's context: cancelled when the client goes away, or after the request's budget.
	ctx, cancel := context.WithTimeout(r.Context(), requestBudget)
	defer cancel()
	results := s.fanOut(ctx, rest)

	if r.Context().Err() != nil { // the client is gone: no one reads an answer
		return 499, "client_gone", nil
	}
	// a required part missing fails the page; a part cancelled because the other one failed is not the cause
	for _, o := range []outcome{notFound, failed, late, cancelled} {
		for _, p := range []partID{inventory, pricing} {
			if results[p].outcome != o {
				continue
			}
			switch o {
			case notFound:
				return writeError(w, http.StatusNotFound, "not_found", parts[p].label, requestID), "not_found", nil
			case failed, cancelled:
				return writeError(w, http.StatusServiceUnavailable, "unavailable", parts[p].label, requestID),
					"unavailable", nil
			case late:
				return writeError(w, http.StatusGatewayTimeout, "timed_out", parts[p].label, requestID),
					"timed_out", nil
			}
		}
	}
	page := productPage{ID: rest, Stock: results[inventory].stock, Price: results[pricing].price, Omitted: []string{}}
	for _, p := range []partID{reviews, recommendations} { // an optional part missing is left out: degraded
		switch results[p].outcome {
		case ok:
			if p == reviews {
				page.Reviews = results[p].reviews
			} else {
				page.Recommendations = results[p].recommendations
			}
		case failed, late, cancelled:
			page.Omitted = append(page.Omitted, parts[p].label)
		}
	}
	page.Degraded = len(page.Omitted) > 0
	body, _ := json.Marshal(page)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	if page.Degraded {
		return http.StatusOK, "degraded", page.Omitted
	}
	return http.StatusOK, "ok", page.Omitted
}

// fanOut calls the four downstreams at once and returns when every call has ended. A required part that does not
// come cancels the others (errgroup.WithContext's first error); every call has its own budget inside ctx's.
func (s *service) fanOut(ctx context.Context, id string) [4]result {
	var results [4]result
	g, ctx := withContext(ctx)
	for i := range s.downstreams {
		i := i
		g.Go(func() error {
			budget := optionalBudget
			if parts[i].required {
				budget = requiredBudget
			}
			callCtx, cancel := context.WithTimeout(ctx, budget)
			defer cancel()
			results[i] = s.downstreams[i].call(callCtx, id)
			if parts[i].required && results[i].outcome != ok {
				return errors.New(parts[i].label + ": " + results[i].outcome.String())
			}
			return nil
		})
	}
	g.Wait() // every goroutine has ended: nothing outlives the request
	return results
}

type productPage struct {
	ID              string          `json:"id"`
	Stock           stock           `json:"stock"`
	Price           price           `json:"price"`
	Reviews         *reviewsSummary `json:"reviews,omitempty"`
	Recommendations []string        `json:"recommendations,omitempty"`
	Degraded        bool            `json:"degraded"`
	Omitted         []string        `json:"omitted"`
}

func writeError(w http.ResponseWriter, status int, kind, part, requestID string) int {
	body := map[string]string{"error": kind, "requestId": requestID}
	if part != "" {
		body["part"] = part
	}
	b, _ := json.Marshal(body)
	w.WriteHeader(status)
	w.Write(b)
	return status
}

func jsonList(xs []string) string {
	b, _ := json.Marshal(xs)
	if xs == nil {
		return "[]"
	}
	return string(b)
}
