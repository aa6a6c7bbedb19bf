/**
 * The exec credential cache on a fake clock: reuse until expiry less the margin, one run for
 * concurrent callers, one renewal per 401 however many requests saw it, no expiry means reuse.
 */
import test from 'ava';
import { createExecAuthenticator } from '../../../shared/kube/exec-authenticator.ts';
import type { ExecCredential } from '../../../shared/kube/exec-credential.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const wallStart = Date.UTC(2026, 11, 1, 12, 0, 0);

/** A plugin that issues token-1, token-2, … each valid for `lifetimeMs` of wall time (undefined: forever). */
function plugin(clock: FakeClock, lifetimeMs: number | undefined) {
  let n = 0;
  const wallNow = () => wallStart + (clock.now() - 1_000_000);
  let release: (() => void) | undefined;
  const state = {
    runs: 0,
    /** When set, runs wait until `finish()`. */
    hold: false,
    finish: () => release?.(),
    wallNow,
    run: async (): Promise<ExecCredential> => {
      state.runs++;
      if (state.hold) await new Promise<void>((resolve) => (release = resolve));
      n++;
      return { token: `token-${n}`, ...(lifetimeMs === undefined ? {} : { expiresAt: wallNow() + lifetimeMs }) };
    },
  };
  return state;
}

test('a credential is reused until its expiry less 10% (at most 10 s), then the plugin runs again', async (t) => {
  const clock = new FakeClock();
  const p = plugin(clock, 60_000);
  const auth = createExecAuthenticator(p.run, { clock, wallNow: p.wallNow });
  t.is((await auth.get()).token, 'token-1');
  clock.step(53_999);
  t.is((await auth.get()).token, 'token-1', 'still fresh 54 s before a 60 s expiry (margin 6 s)');
  clock.step(1);
  t.is((await auth.get()).token, 'token-2', 'renewed at expiry − 6 s');
  t.is(p.runs, 2);
});

test('a long-lived credential gets a margin of 10 s, no more', async (t) => {
  const clock = new FakeClock();
  const p = plugin(clock, 15 * 60_000);
  const auth = createExecAuthenticator(p.run, { clock, wallNow: p.wallNow });
  await auth.get();
  clock.step(15 * 60_000 - 10_001);
  t.is((await auth.get()).token, 'token-1');
  clock.step(1);
  t.is((await auth.get()).token, 'token-2');
});

test('no expirationTimestamp: reused however long, until a 401', async (t) => {
  const clock = new FakeClock();
  const p = plugin(clock, undefined);
  const auth = createExecAuthenticator(p.run, { clock, wallNow: p.wallNow });
  const first = await auth.get();
  clock.step(365 * 24 * 3600_000);
  t.is(await auth.get(), first);
  t.true(await auth.renew(first));
  t.is((await auth.get()).token, 'token-2');
  t.is(p.runs, 2);
});

test('concurrent callers share one run of the plugin', async (t) => {
  const clock = new FakeClock();
  const p = plugin(clock, 60_000);
  p.hold = true;
  const auth = createExecAuthenticator(p.run, { clock, wallNow: p.wallNow });
  const waiting = Array.from({ length: 20 }, () => auth.get());
  await Promise.resolve();
  p.finish();
  const tokens = new Set((await Promise.all(waiting)).map((c) => c.token));
  t.deepEqual([...tokens], ['token-1']);
  t.is(p.runs, 1);
});

test('many requests answered 401 with the same credential renew it once', async (t) => {
  const clock = new FakeClock();
  const p = plugin(clock, 60_000);
  const auth = createExecAuthenticator(p.run, { clock, wallNow: p.wallNow });
  const used = await auth.get();
  const renewed = await Promise.all(Array.from({ length: 5 }, () => auth.renew(used)));
  t.deepEqual(renewed, [true, true, true, true, true], 'each may retry once');
  t.is(p.runs, 2);
  t.is((await auth.get()).token, 'token-2');
  // A late 401 for the old credential does not run the plugin again.
  t.true(await auth.renew(used));
  t.is(p.runs, 2);
});

test('a plugin that fails makes get() fail, and the next get() tries again', async (t) => {
  const clock = new FakeClock();
  let fail = true;
  let runs = 0;
  const auth = createExecAuthenticator(
    async () => {
      runs++;
      if (fail) throw new Error('boom');
      return { token: 'ok' };
    },
    { clock },
  );
  await t.throwsAsync(auth.get(), { message: 'boom' });
  fail = false;
  t.is((await auth.get()).token, 'ok');
  t.is(runs, 2);
  t.is(auth.runs, 2);
});

test('an expiration already past: used for the request at hand, renewed on the next', async (t) => {
  const clock = new FakeClock();
  const p = plugin(clock, -1000);
  const auth = createExecAuthenticator(p.run, { clock, wallNow: p.wallNow });
  t.is((await auth.get()).token, 'token-1');
  t.is((await auth.get()).token, 'token-2');
});
