// Tests are TypeScript run by Node's own type stripping (Node 26 via the pinned `node` package).
export default {
  files: ['test/**/*.test.ts', '!test/faults/**'],
  extensions: { ts: 'module' },
  timeout: '5m',
  concurrency: 2,
  workerThreads: false,
};
