import net from 'node:net';
import test from 'ava';
import { Registry } from 'prom-client';
import { UsageError } from '../../../../shared/errors.ts';
import { promWorkqueueMetricsProvider } from '../../../../shared/metrics/prom-workqueue.ts';
import { registerInformerMetrics } from '../../../../shared/metrics/prom-informer.ts';
import { createRateLimitingQueue } from '../../../../shared/workqueue/rate-limiting-queue.ts';
import type { InformerStats } from '../../../../shared/informer/informer.ts';
import { createWatchqRegistry, startMetricsServer } from '../../../../plugins/watchq/metrics-server.ts';

const stats: InformerStats = { lists: 2, watchLists: 0, relists: 1, watches: 5, reconnects: 3, watchdogRestarts: 1, events: 42, bookmarks: 7, resourceVersion: '9', synced: true, objects: 4, resyncs: 0 };

test('serves workqueue, informer and watchq metrics as Prometheus text', async (t) => {
  const registry = createWatchqRegistry(() => ({ synced: 3, deleted: 1, retried: 5, dropped: 1 }));
  const queue = createRateLimitingQueue<string>({ name: 'deployments.apps', metricsProvider: promWorkqueueMetricsProvider(registry) });
  registerInformerMetrics(registry, () => [{ resource: 'deployments.apps', stats: () => stats }]);
  queue.add('a');
  queue.add('b');
  queue.addAfter('c', 60_000);
  const server = await startMetricsServer({ host: '127.0.0.1', port: 0 }, registry);
  try {
    t.regex(server.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(server.url);
    t.is(res.status, 200);
    t.regex(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    t.regex(text, /^workqueue_depth\{name="deployments.apps"\} 2$/m);
    t.regex(text, /^workqueue_adds_total\{name="deployments.apps"\} 2$/m);
    t.regex(text, /^workqueue_retries_total\{name="deployments.apps"\} 1$/m);
    t.regex(text, /^# TYPE workqueue_queue_duration_seconds histogram$/m);
    t.regex(text, /^informer_relists_total\{resource="deployments.apps"\} 1$/m);
    t.regex(text, /^informer_reconnects_total\{resource="deployments.apps"\} 3$/m);
    t.regex(text, /^informer_synced\{resource="deployments.apps"\} 1$/m);
    t.regex(text, /^watchq_handler_results_total\{result="dropped"\} 1$/m);
    t.regex(text, /^process_cpu_user_seconds_total /m);
    t.is((await fetch(server.url.replace('/metrics', '/'))).status, 404);
  } finally {
    queue.shutDown();
    await server.close();
  }
});

test('a port in use is a usage error (exit 2) naming the address', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const error = await t.throwsAsync(startMetricsServer({ host: '127.0.0.1', port }, new Registry()), { instanceOf: UsageError });
    t.is(error!.message, `--metrics-addr 127.0.0.1:${port}: cannot listen: address already in use`);
    t.is(error!.exitCode, 2);
  } finally {
    blocker.close();
  }
});
