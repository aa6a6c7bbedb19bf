import test from 'ava';
import { createDelayingQueue } from '../../../shared/workqueue/delaying-queue.ts';
import { noopMetricsProvider, workqueueMetricDefinitions, type MetricsProvider } from '../../../shared/workqueue/metrics.ts';
import { createQueue } from '../../../shared/workqueue/queue.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

/** Records every metric call, per queue name, like a labelled prom-client registry. */
class RecordingProvider implements MetricsProvider {
  readonly values = new Map<string, number>();
  readonly observations = new Map<string, number[]>();
  readonly created: string[] = [];

  #gauge(key: string) {
    this.created.push(key);
    this.values.set(key, 0);
    return {
      inc: () => this.values.set(key, this.values.get(key)! + 1),
      dec: () => this.values.set(key, this.values.get(key)! - 1),
      set: (v: number) => this.values.set(key, v),
    };
  }

  #histogram(key: string) {
    this.created.push(key);
    this.observations.set(key, []);
    return { observe: (v: number) => this.observations.get(key)!.push(v) };
  }

  newDepthMetric = (name: string) => this.#gauge(`depth{${name}}`);
  newAddsMetric = (name: string) => this.#gauge(`adds{${name}}`);
  newLatencyMetric = (name: string) => this.#histogram(`latency{${name}}`);
  newWorkDurationMetric = (name: string) => this.#histogram(`work{${name}}`);
  newUnfinishedWorkSecondsMetric = (name: string) => this.#gauge(`unfinished{${name}}`);
  newLongestRunningProcessorSecondsMetric = (name: string) => this.#gauge(`longest{${name}}`);
  newRetriesMetric = (name: string) => this.#gauge(`retries{${name}}`);
}

test('a named queue reports depth, adds, queue and work durations in seconds', async (t) => {
  const clock = new FakeClock();
  const metrics = new RecordingProvider();
  const q = createQueue<string>({ name: 'deployments', metricsProvider: metrics, clock });

  q.add('a');
  q.add('b');
  q.add('a'); // collapsed: not an add
  t.is(metrics.values.get('adds{deployments}'), 2);
  t.is(metrics.values.get('depth{deployments}'), 2);

  clock.step(250);
  const { item } = await q.get();
  t.is(metrics.values.get('depth{deployments}'), 1);
  t.deepEqual(metrics.observations.get('latency{deployments}'), [0.25]);

  q.add('a'); // dirty while processing: counts as an add and as depth
  t.is(metrics.values.get('adds{deployments}'), 3);
  t.is(metrics.values.get('depth{deployments}'), 2);

  clock.step(1500);
  q.done(item!);
  t.deepEqual(metrics.observations.get('work{deployments}'), [1.5]);
  t.is(q.len(), 2);
});

test('unfinished work and the longest running processor update every 500 ms', (t) => {
  const clock = new FakeClock();
  const metrics = new RecordingProvider();
  const q = createQueue<string>({ name: 'q', metricsProvider: metrics, clock });
  q.add('old');
  q.tryGet();
  clock.step(1000);
  q.add('new');
  q.tryGet();
  clock.step(500);
  t.is(metrics.values.get('unfinished{q}'), 1.5 + 0.5);
  t.is(metrics.values.get('longest{q}'), 1.5);
  q.done('old');
  q.done('new');
  clock.step(500);
  t.is(metrics.values.get('unfinished{q}'), 0);
  t.is(metrics.values.get('longest{q}'), 0);
  t.is(clock.pendingTimers, 1);
  q.shutDown();
  t.is(clock.pendingTimers, 0, 'the ticker stops with the queue');
});

test('addAfter counts retries', (t) => {
  const clock = new FakeClock();
  const metrics = new RecordingProvider();
  const q = createDelayingQueue<string>({ name: 'r', metricsProvider: metrics, clock });
  q.addAfter('x', 10);
  q.addAfter('x', 0);
  t.is(metrics.values.get('retries{r}'), 2);
  t.is(metrics.values.get('adds{r}'), 1);
});

test('an unnamed queue, or one without a provider, records nothing', (t) => {
  const clock = new FakeClock();
  const metrics = new RecordingProvider();
  const unnamed = createDelayingQueue<string>({ metricsProvider: metrics, clock });
  unnamed.add('x');
  unnamed.addAfter('y', 1);
  t.deepEqual(metrics.created, []);
  const noop = createQueue<string>({ name: 'n', metricsProvider: noopMetricsProvider, clock });
  noop.add('x');
  t.is(clock.pendingTimers, 1, 'only the delaying timer, no metrics ticker');
});

test('the metric names are client-go’s', (t) => {
  t.deepEqual(
    Object.values(workqueueMetricDefinitions).map((d) => d.name),
    [
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_queue_duration_seconds',
      'workqueue_work_duration_seconds',
      'workqueue_unfinished_work_seconds',
      'workqueue_longest_running_processor_seconds',
      'workqueue_retries_total',
    ],
  );
  t.deepEqual(workqueueMetricDefinitions.latency.buckets, [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
});
