// Command workqueue-bench times add+get+done cycles on client-go's work queue and prints
// the figures as one JSON object on stdout (read by scripts/bench/workqueue.ts).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"time"

	"k8s.io/client-go/util/workqueue"
)

type result struct {
	Impl              string    `json:"impl"`
	GoVersion         string    `json:"goVersion"`
	Ops               int       `json:"ops"`
	Keys              int       `json:"keys"`
	Runs              int       `json:"runs"`
	CyclesPerSec      []float64 `json:"cyclesPerSec"`
	MedianPerSec      float64   `json:"medianPerSec"`
	BatchCyclesPerSec []float64 `json:"batchCyclesPerSec"`
	BatchMedianPerSec float64   `json:"batchMedianPerSec"`
}

// interleaved: each cycle adds one key, gets it and marks it done (client-go's BenchmarkQueue).
func interleaved(keys []string, ops int) time.Duration {
	q := workqueue.NewTyped[string]()
	defer q.ShutDown()
	start := time.Now()
	for i := 0; i < ops; i++ {
		q.Add(keys[i%len(keys)])
		item, _ := q.Get()
		q.Done(item)
	}
	return time.Since(start)
}

// batched: add every key, then get and done them all, so the queue holds len(keys) items.
func batched(keys []string, ops int) time.Duration {
	q := workqueue.NewTyped[string]()
	defer q.ShutDown()
	start := time.Now()
	for done := 0; done < ops; {
		for _, k := range keys {
			q.Add(k)
		}
		for range keys {
			item, _ := q.Get()
			q.Done(item)
			done++
		}
	}
	return time.Since(start)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func main() {
	ops := flag.Int("ops", 1_000_000, "add+get+done cycles per run")
	nkeys := flag.Int("keys", 1_000, "distinct keys")
	runs := flag.Int("runs", 5, "timed runs (median reported)")
	warmup := flag.Int("warmup", 2, "untimed warm-up runs")
	flag.Parse()
	if *ops <= 0 || *nkeys <= 0 || *runs <= 0 {
		fmt.Fprintln(os.Stderr, "workqueue-bench: -ops, -keys and -runs must be positive")
		os.Exit(2)
	}

	keys := make([]string, *nkeys)
	for i := range keys {
		keys[i] = fmt.Sprintf("default/key-%d", i)
	}
	r := result{Impl: "client-go v0.36.3", GoVersion: runtime.Version(), Ops: *ops, Keys: *nkeys, Runs: *runs}
	for i := 0; i < *warmup; i++ {
		interleaved(keys, *ops)
		batched(keys, *ops)
	}
	for i := 0; i < *runs; i++ {
		r.CyclesPerSec = append(r.CyclesPerSec, float64(*ops)/interleaved(keys, *ops).Seconds())
		r.BatchCyclesPerSec = append(r.BatchCyclesPerSec, float64(*ops)/batched(keys, *ops).Seconds())
	}
	r.MedianPerSec = median(r.CyclesPerSec)
	r.BatchMedianPerSec = median(r.BatchCyclesPerSec)
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fmt.Fprintln(os.Stderr, "workqueue-bench:", err)
		os.Exit(1)
	}
}
