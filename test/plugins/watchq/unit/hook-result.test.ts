import test from 'ava';
import { parseHookResult } from '../../../../plugins/watchq/hook-result.ts';
import { UsageError } from '../../../../shared/errors.ts';

test('a hook\'s result line: requeue-after a Go duration, permanent with or without a message, nothing', (t) => {
  t.deepEqual(parseHookResult('requeue-after 30s\n', 'h'), { kind: 'requeue-after', ms: 30_000 });
  t.deepEqual(parseHookResult('\n  requeue-after 1m30s  \nignored\n', 'h'), { kind: 'requeue-after', ms: 90_000 });
  t.deepEqual(parseHookResult('permanent the Secret name is taken', 'h'), { kind: 'permanent', message: 'the Secret name is taken' });
  t.deepEqual(parseHookResult('permanent', 'h'), { kind: 'permanent', message: '' });
  t.deepEqual(parseHookResult('', 'h'), { kind: 'none' });
  t.deepEqual(parseHookResult('\n \n', 'h'), { kind: 'none' });
});

test('anything else is the hook breaking the contract: a usage error (exit 2) quoting what it wrote', (t) => {
  for (const [text, why] of [
    ['soon', /wrote "soon" to WATCHQ_RESULT: not a result watchq knows/],
    ['requeue-after 5', /wrote "requeue-after 5" to WATCHQ_RESULT: time: missing unit in duration "5"/],
    ['requeue-after 0s', /the duration must be above 0/],
    ['requeue-after 1s 2s', /not a result watchq knows/],
  ] as const) {
    const error = t.throws(() => parseHookResult(text, './h.sh'), { instanceOf: UsageError });
    t.regex(error!.message, why);
    t.regex(error!.message, /^--exec "\.\/h\.sh" wrote/);
  }
});
