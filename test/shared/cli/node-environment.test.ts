import test from 'ava';
import { ConfigError } from '../../../shared/errors.ts';
import { checkNodeEnvironment, sensitiveDebug } from '../../../shared/cli/node-environment.ts';

test('NODE_DEBUG sections as Node matches them: comma lists, * wildcards, any case', (t) => {
  t.deepEqual(sensitiveDebug('https'), ['https']);
  t.deepEqual(sensitiveDebug('fs, HTTP ,tls'), ['http', 'tls']);
  t.deepEqual(sensitiveDebug('*'), ['http', 'http2', 'https', 'net', 'tls', 'undici', 'fetch']);
  t.deepEqual(sensitiveDebug('ht*'), ['http', 'http2', 'https']);
  t.deepEqual(sensitiveDebug('fs,module,esm'), []);
  t.deepEqual(sensitiveDebug(''), []);
  t.deepEqual(sensitiveDebug(undefined), []);
});

test('a sensitive NODE_DEBUG is a config error (exit 5); others pass', (t) => {
  t.throws(() => checkNodeEnvironment({ NODE_DEBUG: 'net' }), { instanceOf: ConfigError, message: /^NODE_DEBUG=net would make Node print credentials/ });
  t.notThrows(() => checkNodeEnvironment({ NODE_DEBUG: 'fs' }));
  t.notThrows(() => checkNodeEnvironment({}));
});
