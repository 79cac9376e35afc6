// Preloaded into every benchmarked server (with --expose-gc): SIGUSR2 runs a full GC, so the
// harness can read RSS after garbage collection without touching the servers' own code.
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
});
