// Preloaded into every benchmarked server (with --expose-gc): SIGUSR2 runs a full GC, so the
// harness can read RSS after garbage collection without touching the servers' own code.
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
});
// Profiled (BENCH_NODE_ARGS=--cpu-prof): exit on SIGTERM, so Node writes the profile (the baselines
// have no SIGTERM handler of their own, and a signal's default exit writes none).
if (process.execArgv.some((arg) => arg.startsWith('--cpu-prof'))) process.once('SIGTERM', () => process.exit(0));
