import test from 'ava';
import { rolloutState } from '../../../shared/rollout/deployment-status.ts';

const d = (status: object, generation = 1, replicas = 2) => ({ metadata: { name: 'web', generation }, spec: { replicas }, status });

const cases: Array<[string, object, boolean, RegExp]> = [
  ['generation not observed', d({ observedGeneration: 1 }, 2), false, /spec update to be observed/],
  ['not all updated', d({ observedGeneration: 1, updatedReplicas: 1, replicas: 1 }), false, /1 out of 2 new replicas/],
  ['old replicas left', d({ observedGeneration: 1, updatedReplicas: 2, replicas: 3, availableReplicas: 2 }), false, /1 old replicas are pending/],
  ['not yet available', d({ observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }), false, /1 of 2 updated replicas are available/],
  ['rolled out', d({ observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }), true, /successfully rolled out/],
  ['zero replicas', d({ observedGeneration: 1 }, 1, 0), true, /successfully rolled out/],
];
for (const [name, deployment, done, message] of cases) {
  test(name, (t) => {
    const state = rolloutState(deployment);
    t.is(state.done, done);
    t.regex(state.message, message);
  });
}

test('a progress deadline exceeded is a failed rollout, not one to wait for', (t) => {
  const state = rolloutState(d({ observedGeneration: 1, updatedReplicas: 1, replicas: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
  t.deepEqual(state, { done: false, failed: true, message: 'deployment "web" exceeded its progress deadline' });
});
