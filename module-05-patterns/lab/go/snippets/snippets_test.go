// snippets_test.go: the test fragments quoted in module-05-patterns/README.md (section 12). Run: go test .
package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

func TestParseBool(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    bool
		wantErr bool
	}{
		{"digit", "1", true, false},
		{"word", "false", false, false},
		{"not a bool", "yes", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { // a subtest per row: go test -run 'TestParseBool/word'
			got, err := strconv.ParseBool(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseBool(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("ParseBool(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestPriceClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "1299")
	}))
	defer srv.Close()
	client := NewPriceClient(srv.Client(), srv.URL) // the real client, a fake server on a free port
	got, err := client.Cents(context.Background(), "sku-1")
	mustEqual(t, got, 1299, err)
}

func mustEqual(t *testing.T, got, want int64, err error) {
	t.Helper() // a failure is reported at the caller's line, not here
	if err != nil || got != want {
		t.Fatalf("got %d, %v; want %d", got, err, want)
	}
}
