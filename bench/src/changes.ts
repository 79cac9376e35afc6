import type { Conn } from './drivers.js';

/** Shares of the operations that are edits and reaction toggles; the rest are sends. */
export interface ChangeMix {
  edit: number;
  react: number;
}

export const CHANGE_MIX: ChangeMix = { edit: 0.1, react: 0.1 };

export const MARK = 'bench|';
const PIPE = 0x7c;
const UPDATED = 0x75; // 'u' of 42["message:updated"
const EVENT_NAME_AT = '42["message:'.length;
/** The sender's recent messages each role keeps as targets. */
const TARGETS = 50;

interface Pending {
  step: number;
  scheduled: number;
  /** Deliveries still to come (one per member). */
  remaining: number;
}

interface RoomTargets {
  sent: number;
  editable: string[];
  reactable: Array<{ id: string; key: string; on: boolean }>;
}

/**
 * The change-stream workload: a share of each room's operations are edits of the sender's
 * recent messages and toggles of its reaction on others. Latency stays measurable without
 * decoding frames: a send's and an edit's text carry the marker `bench|step|time|room|`, so
 * their deliveries are timed like plain sends. A reaction's `message:updated` carries its
 * message's unchanged text, so the sender's messages are split in two roles: half are only
 * ever edited, half only ever reacted to, one reaction pending per message at a time, and a
 * `message:updated` whose marker is that of a message with a pending reaction is that reaction.
 */
export class ChangeMixer {
  readonly counts = { sends: 0, edits: 0, reactions: 0 };
  private readonly rooms = new Map<number, RoomTargets>();
  private readonly pending = new Map<string, Pending>();
  private state = 0x2545f491;

  constructor(
    private readonly mix: ChangeMix,
    private readonly roomSize: number,
  ) {}

  /** Sends one operation of room `r`: an edit, a reaction toggle or (by default, or with no target yet) a message. */
  operate(room: { id: string; sender: Conn }, r: number, step: number, scheduled: number, onAck: () => void): void {
    let targets = this.rooms.get(r);
    if (!targets) this.rooms.set(r, (targets = { sent: 0, editable: [], reactable: [] }));
    const key = `${step}|${scheduled.toFixed(3)}|r${r}`;
    const text = `${MARK}${key}|${'x'.repeat(60)}`;
    const x = this.random();
    const editable = x < this.mix.edit ? this.pick(targets.editable) : undefined;
    if (editable && room.sender.edit) {
      this.counts.edits++;
      room.sender.edit(room.id, editable, text, onAck);
      return;
    }
    if (x >= this.mix.edit && x < this.mix.edit + this.mix.react && room.sender.react) {
      const target = this.pick(targets.reactable);
      if (target && !this.pending.has(target.key)) {
        this.counts.reactions++;
        this.pending.set(target.key, { step, scheduled, remaining: this.roomSize });
        target.on = !target.on;
        room.sender.react(room.id, target.id, '👍', target.on, onAck);
        return;
      }
    }
    this.counts.sends++;
    room.sender.send(room.id, text, (messageId) => {
      onAck();
      if (!messageId) return;
      const role = targets.sent++ % 2 === 0 ? targets.editable : targets.reactable;
      if (role === targets.editable) targets.editable.push(messageId);
      else targets.reactable.push({ id: messageId, key, on: false });
      if (role.length > TARGETS) role.shift();
    });
  }

  /** The pending reaction a delivered frame is, if it is one (marker found at `at`). */
  reactionOf(raw: Buffer, at: number): Pending | undefined {
    if (raw[EVENT_NAME_AT] !== UPDATED) return undefined;
    const from = at + MARK.length;
    let end = from;
    for (let pipes = 0; pipes < 3; pipes++) end = raw.indexOf(PIPE, end) + 1;
    const key = raw.toString('latin1', from, end - 1);
    const pending = this.pending.get(key);
    if (pending && --pending.remaining === 0) this.pending.delete(key);
    return pending;
  }

  /** Forgets the reactions of a step whose deliveries did not all arrive (reach shows it). */
  endStep(step: number): void {
    for (const [key, pending] of this.pending) if (pending.step === step) this.pending.delete(key);
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.random() * items.length)];
  }

  /** xorshift32: the same choices on every run. */
  private random(): number {
    this.state ^= this.state << 13;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    return (this.state >>> 0) / 4294967296;
  }
}
