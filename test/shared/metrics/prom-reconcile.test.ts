/** controller-runtime's reconcile metrics: each result counted where controller-runtime counts it. */
import test from 'ava';
import { Registry } from 'prom-client';
import { promReconcileMetrics } from '../../../shared/metrics/prom-reconcile.ts';

test('success, requeue_after, error and a terminal error; the active workers gauge follows the runs', async (t) => {
  const registry = new Registry();
  const m = promReconcileMetrics(registry, 'configmap', 4);
  m.started();
  t.regex(await registry.metrics(), /^controller_runtime_active_workers\{controller="configmap"\} 1$/m);
  m.finished('success', 0.003);
  for (const [result, terminal] of [['requeue_after', false], ['error', false], ['error', true]] as const) {
    m.started();
    m.finished(result, 2, terminal);
  }
  const text = await registry.metrics();
  for (const line of [
    'controller_runtime_reconcile_total{controller="configmap",result="success"} 1',
    'controller_runtime_reconcile_total{controller="configmap",result="requeue_after"} 1',
    'controller_runtime_reconcile_total{controller="configmap",result="error"} 2',
    'controller_runtime_reconcile_total{controller="configmap",result="requeue"} 0',
    'controller_runtime_reconcile_errors_total{controller="configmap"} 2',
    'controller_runtime_terminal_reconcile_errors_total{controller="configmap"} 1',
    'controller_runtime_reconcile_time_seconds_bucket{le="0.005",controller="configmap"} 1',
    'controller_runtime_reconcile_time_seconds_bucket{le="2",controller="configmap"} 4',
    'controller_runtime_max_concurrent_reconciles{controller="configmap"} 4',
    'controller_runtime_active_workers{controller="configmap"} 0',
  ]) {
    t.true(text.split('\n').includes(line), line);
  }
});
