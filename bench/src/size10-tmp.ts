import { fanout } from './scenarios.js';
for (const s of ['B1', 'Parley', 'B1', 'Parley'] as const) {
  const r = await fanout(s, 2000, 10, { startDeliveries: 2000, factor: 1.3, stepMs: 1500, maxDeliveries: 1e6 });
  console.log(s, 'knee', Math.round(r.knee), 'cpu@knee', r.cpuPerDeliveryAtKnee.toFixed(1), r.curve.slice(-3).map((c) => `${Math.round(c.offered)}:${c.p99.toFixed(0)}ms/${c.reach.toFixed(3)}`).join(' '));
}
process.exit(0);
