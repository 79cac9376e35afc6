import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics, one registry per app (tests run several apps in one process): Node's
 * defaults (event-loop lag, heap, GC, CPU) plus Parley's own. Served at /metrics on the metrics
 * port or, to METRICS_TOKEN only, on the app port (http/metrics.router.ts): never to the public.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly messagesStored = new Counter({
    name: 'parley_messages_stored_total',
    help: 'Messages stored (first sends; retries of a stored message are not counted)',
    registers: [this.registry],
  });
  readonly messagesBroadcast = new Counter({
    name: 'parley_messages_broadcast_total',
    help: 'message:created broadcasts emitted by this node',
    registers: [this.registry],
  });
  readonly ackLatency = new Histogram({
    name: 'parley_ack_latency_seconds',
    help: 'Time from receiving a client event to answering its ack',
    labelNames: ['event', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  /** ackLatency's series by event and outcome, looked up once: labelling on every ack hashes the labels each time. */
  private readonly ackSeries = new Map<string, Map<string, { observe(seconds: number): void }>>();

  /** Observes one ack's latency in its series. */
  observeAck(event: string, outcome: string, seconds: number): void {
    let byOutcome = this.ackSeries.get(event);
    if (!byOutcome) this.ackSeries.set(event, (byOutcome = new Map()));
    let series = byOutcome.get(outcome);
    if (!series) byOutcome.set(outcome, (series = this.ackLatency.labels({ event, outcome })));
    series.observe(seconds);
  }

  readonly adapterErrors = new Counter({
    name: 'parley_adapter_errors_total',
    help: 'Errors of the Redis connections behind the adapter, presence and rate limits',
    registers: [this.registry],
  });

  constructor(connectedSockets: () => number) {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    new Gauge({
      name: 'parley_connected_sockets',
      help: 'Sockets connected to this node',
      registers: [this.registry],
      collect() {
        this.set(connectedSockets());
      },
    });
  }
}
