/**
 * How many events of one socket run at once. A client can send requests far faster than their
 * answers are read (history pages are up to 1.6 MB each): without a bound, a burst of requests
 * would all be worked on at once, and their answers held in memory together. Beyond `running`,
 * events wait in arrival order; beyond `waiting` more, they are refused at once, without work.
 * When the socket goes, what waits is dropped.
 */
export class InFlight {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  /** Runs `task` when a slot is free; false (and `task` never runs) when too many already wait. */
  run(task: () => Promise<void>): boolean {
    if (this.closed) return true;
    if (this.active < this.running) {
      this.start(task);
      return true;
    }
    if (this.queue.length >= this.waiting) return false;
    this.queue.push(() => this.start(task));
    return true;
  }

  /** The socket is gone: nothing waiting will run. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private start(task: () => Promise<void>): void {
    this.active += 1;
    const next = () => {
      this.active -= 1;
      if (!this.closed) this.queue.shift()?.();
    };
    // The dispatcher answers every failure itself; a task that throws anyway must not stall the socket.
    task().then(next, next);
  }
}
