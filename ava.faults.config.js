// The fault tests stop and restart kube-apiserver: they run alone, after every other test.
export default {
  files: ['test/faults/**/*.test.ts'],
  extensions: { ts: 'module' },
  timeout: '5m',
  concurrency: 1,
  serial: true,
  workerThreads: false,
};
