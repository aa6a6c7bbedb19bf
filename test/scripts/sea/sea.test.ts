import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSea, builderNode, v8Flags } from '../../../scripts/sea/sea.ts';
import { pinnedNodeVersion } from '../../../scripts/sea/targets.ts';

const run = promisify(execFile);

test('a single executable runs with the build-time V8 flags, whatever NODE_OPTIONS says', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sea-flags-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const main = join(dir, 'main.cjs');
  await writeFile(main, 'process.stdout.write(JSON.stringify(process.execArgv));\n');
  const output = join(dir, 'flags');
  await buildSea({ main, executable: builderNode(), output, useCodeCache: false, workDir: join(dir, 'work'), macho: false }, pinnedNodeVersion());
  const { stdout } = await run(output, [], { env: { ...process.env, NODE_OPTIONS: '--max-semi-space-size=64' } });
  t.deepEqual(JSON.parse(stdout), v8Flags);
  t.true(v8Flags.includes('--max-semi-space-size=2'));
});
