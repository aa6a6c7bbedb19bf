// Command informer-sync is client-go's side of watchq's initial-sync bench
// (scripts/bench/watchq-sync.ts): a shared informer on ConfigMaps in every namespace feeding a
// rate-limiting work queue, one worker that reads each key from the informer's store and prints
// one JSON line per key, as `kubectl watchq configmaps -A -o json` does. The bench stops it once
// every ConfigMap has been handled.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
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
	DurationMs float64 `json:"durationMs"`
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	wire := flag.String("wire", "default", "wire format: default (client-go's own: protobuf for built-in types) or json (what watchq and kubectl speak)")
	flag.Parse()
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
	factory := informers.NewSharedInformerFactory(client, 0)
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
