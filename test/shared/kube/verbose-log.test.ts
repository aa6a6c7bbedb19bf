import test from 'ava';
import { createVerboseLog, redactHeader } from '../../../shared/kube/verbose-log.ts';

test('Authorization is masked, other headers pass', (t) => {
  t.is(redactHeader('Authorization', 'Bearer secret-token'), 'Bearer <masked>');
  t.is(redactHeader('authorization', 'secret'), '<masked>');
  t.is(redactHeader('Accept', 'application/json'), 'application/json');
});

test('-v=6 logs status and duration; -v=7 headers without the token', (t) => {
  const lines: string[] = [];
  const log6 = createVerboseLog(6, (l) => lines.push(l));
  log6.request('GET', 'https://x/api', { Authorization: 'Bearer secret-token' });
  log6.response('GET', 'https://x/api', 200, 'OK', 12.3, {});
  t.is(lines.length, 1);
  t.regex(lines[0]!, /GET https:\/\/x\/api 200 OK in 12 milliseconds/);
  const log7 = createVerboseLog(9, (l) => lines.push(l));
  log7.request('GET', 'https://x/api', { Authorization: 'Bearer secret-token' });
  t.false(lines.join('\n').includes('secret-token'));
  t.true(lines.some((l) => l.includes('Authorization: Bearer <masked>')));
});

test('-v=0 logs nothing', (t) => {
  const lines: string[] = [];
  createVerboseLog(0, (l) => lines.push(l)).response('GET', 'u', 200, 'OK', 1, {});
  t.is(lines.length, 0);
});
