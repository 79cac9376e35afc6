import { fanout } from './scenarios.js';
const [name, conns, size] = process.argv.slice(2);
const r = await fanout(name as any, Number(conns), Number(size), { startDeliveries: 20000, factor: 1.6, stepMs: 1500, maxDeliveries: 1e6 });
console.log(JSON.stringify({ ...r, curve: r.curve.map((c) => ({ o: Math.round(c.offered), a: Math.round(c.achieved), reach: c.reach.toFixed(3), p99: c.p99.toFixed(1), cpu: c.cpuPerDelivery.toFixed(2), gen: c.generatorLoad.toFixed(2) })) }, null, 1));
process.exit(0);
