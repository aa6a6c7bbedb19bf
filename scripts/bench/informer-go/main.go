// Command informer-sync is client-go's side of watchq's initial-sync bench
// (scripts/bench/watchq-sync.ts): a shared informer on ConfigMaps in every namespace feeding a
// rate-limiting work queue, one worker that reads each key from the informer's store and prints
// one JSON line per key, as `kubectl watchq configmaps -A -o json` does. The bench stops it once
// every ConfigMap has been handled.
//
// With -exec CMD it is the same around a hook, as `kubectl watchq --exec CMD --workers N` runs
// one (scripts/bench/watchq-hooks.ts): -workers N workers, each key's object as JSON on the
// stdin of `/bin/sh -c CMD` in its own process group, with WATCHQ_KEY, WATCHQ_EVENT,
// WATCHQ_ATTEMPT, WATCHQ_KIND, WATCHQ_NAMESPACE and WATCHQ_NAME in its environment, killed
// with its group after 30 s; the line is printed once the hook has exited. A failure is retried
// rate-limited up to 5 times, then dropped, as watchq's defaults do.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/workqueue"
)

type line struct {
	Time       string  `json:"time"`
	Event      string  `json:"event"`
	Key        string  `json:"key,omitempty"`
	Kind       string  `json:"kind"`
	Attempt    int     `json:"attempt,omitempty"`
	Error      string  `json:"error,omitempty"`
	DurationMs float64 `json:"durationMs"`
}

// What a hook may take before it is killed (watchq's --exec-timeout default), and how often a
// failed key is retried before it is dropped (watchq's --max-retries default).
const (
	hookTimeout = 30 * time.Second
	maxRetries  = 5
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	wire := flag.String("wire", "default", "wire format: default (client-go's own: protobuf for built-in types) or json (what watchq and kubectl speak)")
	namespace := flag.String("namespace", "", "watch only this namespace (default: every namespace)")
	command := flag.String("exec", "", "run /bin/sh -c CMD per key with the object's JSON on stdin; the line is printed after it exits")
	workers := flag.Int("workers", 1, "keys handled at the same time (with -exec)")
	flag.Parse()
	if *workers < 1 {
		fmt.Fprintln(os.Stderr, "error: -workers must be 1 or more")
		os.Exit(2)
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(5)
	}
	switch *wire {
	case "default":
	case "json":
		// Setting the content type turns off the generated clients' protobuf default.
		config.ContentType = "application/json"
		config.AcceptContentTypes = "application/json"
	default:
		fmt.Fprintln(os.Stderr, "error: -wire must be default or json")
		os.Exit(2)
	}
	client := kubernetes.NewForConfigOrDie(config)
	factory := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithNamespace(*namespace))
	informer := factory.Core().V1().ConfigMaps().Informer()
	queue := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]())
	enqueue := func(obj any) {
		if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
			queue.Add(key)
		}
	}
	informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    enqueue,
		UpdateFunc: func(_, obj any) { enqueue(obj) },
		DeleteFunc: enqueue,
	})
	stop := make(chan struct{})
	factory.Start(stop)
	if !cache.WaitForCacheSync(stop, informer.HasSynced) {
		os.Exit(1)
	}

	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	encoder := json.NewEncoder(out)
	if *command != "" {
		runHooks(*command, *workers, informer.GetIndexer(), queue, out, encoder)
		return
	}
	for {
		key, shutdown := queue.Get()
		if shutdown {
			return
		}
		started := time.Now()
		_, exists, _ := informer.GetIndexer().GetByKey(key)
		event := "sync"
		if !exists {
			event = "deleted"
		}
		queue.Forget(key)
		queue.Done(key)
		_ = encoder.Encode(line{Time: started.UTC().Format(time.RFC3339Nano), Event: event, Key: key, Kind: "ConfigMap", Attempt: 1, DurationMs: float64(time.Since(started).Microseconds()) / 1000})
		if queue.Len() == 0 {
			_ = out.Flush()
		}
	}
}

// runHooks runs `workers` workers, each taking a key, running the hook for it and printing
// its line (flushed at once: a hook takes milliseconds, a write microseconds).
func runHooks(command string, workers int, store cache.Indexer, queue workqueue.TypedRateLimitingInterface[string], out *bufio.Writer, encoder *json.Encoder) {
	var mu sync.Mutex
	emit := func(l line) {
		mu.Lock()
		defer mu.Unlock()
		_ = encoder.Encode(l)
		_ = out.Flush()
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				key, shutdown := queue.Get()
				if shutdown {
					return
				}
				started := time.Now()
				obj, exists, _ := store.GetByKey(key)
				event := "sync"
				if !exists {
					event, obj = "delete", nil
				}
				attempt := queue.NumRequeues(key) + 1
				err := runHook(command, key, event, attempt, obj)
				l := line{Time: started.UTC().Format(time.RFC3339Nano), Event: event, Key: key, Kind: "ConfigMap", Attempt: attempt, DurationMs: float64(time.Since(started).Microseconds()) / 1000}
				switch {
				case err == nil:
					queue.Forget(key)
				case attempt <= maxRetries:
					queue.AddRateLimited(key)
					l.Event, l.Error = "retry", err.Error()
				default:
					queue.Forget(key)
					l.Event, l.Error = "drop", err.Error()
				}
				queue.Done(key)
				emit(l)
			}
		})
	}
	wg.Wait()
}

// runHook runs `/bin/sh -c command` for one key: the object's JSON on stdin, its output on our
// stderr, its own process group (killed whole at the timeout). The JSON is the typed object's,
// which has no apiVersion and kind (client-go drops them on decoding); watchq's has them.
func runHook(command, key, event string, attempt int, obj any) error {
	input, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	namespace, name, _ := cache.SplitMetaNamespaceKey(key)
	ctx, cancel := context.WithTimeout(context.Background(), hookTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.Env = append(os.Environ(),
		"WATCHQ_KEY="+key,
		"WATCHQ_EVENT="+event,
		"WATCHQ_ATTEMPT="+strconv.Itoa(attempt),
		"WATCHQ_KIND=ConfigMap",
		"WATCHQ_NAMESPACE="+namespace,
		"WATCHQ_NAME="+name,
	)
	cmd.Stdin = bytes.NewReader(append(input, '\n'))
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	return cmd.Run()
}
