import test from 'ava';
import { ConfigError } from '../../../shared/errors.ts';
import { checkRuntimeEnvironment, sensitiveDebug } from '../../../shared/cli/runtime-environment.ts';

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
  t.throws(() => checkRuntimeEnvironment({ NODE_DEBUG: 'net' }), { instanceOf: ConfigError, message: /^NODE_DEBUG=net would make Node print credentials/ });
  t.notThrows(() => checkRuntimeEnvironment({ NODE_DEBUG: 'fs' }));
  t.notThrows(() => checkRuntimeEnvironment({}));
});

test('any BUN_JSC_* variable is a config error (exit 5) naming it', (t) => {
  t.throws(() => checkRuntimeEnvironment({ BUN_JSC_useJIT: '0' }), { instanceOf: ConfigError, message: /^BUN_JSC_useJIT would change how the JavaScript engine runs this plugin/ });
  t.throws(() => checkRuntimeEnvironment({ BUN_JSC_a: '1', BUN_JSC_b: '1' }), { message: /^BUN_JSC_a, BUN_JSC_b would .*: unset them$/ });
  t.notThrows(() => checkRuntimeEnvironment({ BUN_JSCX: '1', JSC_useJIT: '0' }));
});
