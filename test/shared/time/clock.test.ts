import test from 'ava';
import { realClock } from '../../../shared/time/clock.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

test('fake clock fires due timers in order of due time, ties in order set', (t) => {
  const clock = new FakeClock(0);
  const fired: string[] = [];
  clock.after(30, () => fired.push(`c@${clock.now()}`));
  clock.after(10, () => fired.push(`a@${clock.now()}`));
  clock.after(10, () => fired.push(`b@${clock.now()}`));
  clock.after(31, () => fired.push(`late@${clock.now()}`));
  clock.step(30);
  t.deepEqual(fired, ['a@10', 'b@10', 'c@30']);
  t.is(clock.now(), 30);
  t.is(clock.pendingTimers, 1);
});

test('fake clock fires timers set while stepping if they fall due in the same step', (t) => {
  const clock = new FakeClock(0);
  const fired: number[] = [];
  const tick = (): void => {
    fired.push(clock.now());
    clock.after(100, tick);
  };
  clock.after(100, tick);
  clock.step(350);
  t.deepEqual(fired, [100, 200, 300]);
  t.deepEqual(clock.dueTimes(), [400]);
});

test('fake clock: a cancelled timer never fires; zero delay fires on the next step', (t) => {
  const clock = new FakeClock();
  let fired = 0;
  const h = clock.after(5, () => fired++);
  h.cancel();
  h.cancel();
  clock.after(0, () => fired++);
  t.is(fired, 0);
  clock.step(0);
  t.is(fired, 1);
  clock.step(10);
  t.is(fired, 1);
  t.throws(() => clock.step(-1), { instanceOf: RangeError });
});

test('real clock: now is monotonic; after fires, cancel prevents it', async (t) => {
  const a = realClock.now();
  const b = realClock.now();
  t.true(b >= a);
  let fired = 0;
  realClock.after(0, () => fired++);
  const cancelled = realClock.after(0, () => fired++);
  cancelled.cancel();
  const huge = realClock.after(2 ** 40, () => fired++); // longer than setTimeout allows: chained
  huge.unref();
  await new Promise((resolve) => setTimeout(resolve, 0)); // a macrotask turn: timers set before ran
  t.is(fired, 1);
  huge.cancel();
});
