import test from 'ava';
import { errorForNetwork } from '../../../shared/kube/api-errors.ts';
import { redactUrl } from '../../../shared/kube/redact-url.ts';

test('a password in a URL is shown as *** as kubectl does; the user and host stay', (t) => {
  t.is(redactUrl('https://bob:URLPASS@127.0.0.1:6443/api'), 'https://bob:***@127.0.0.1:6443/api');
  t.is(redactUrl('Get "https://bob:p%40ss@h:1/x": refused, then http://a:b@c'), 'Get "https://bob:***@h:1/x": refused, then http://a:***@c');
  t.is(redactUrl('https://token@host:1'), 'https://token@host:1');
  t.is(redactUrl('https://host:6443/api?x=a:b@c'), 'https://host:6443/api?x=a:b@c');
  t.is(redactUrl('https://bob:@host'), 'https://bob:***@host');
});

test('"unable to connect" names the server without its password', (t) => {
  const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const e = errorForNetwork('https://bob:URLPASS@127.0.0.1:1', error);
  t.is(e.message, 'unable to connect to the server https://bob:***@127.0.0.1:1: connection refused');
  t.false(e.message.includes('URLPASS'));
});
