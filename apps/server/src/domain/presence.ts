/**
 * Who is online on this process: a user is online while at least one of their sockets is
 * connected. Transitions are reported so the caller can tell the people concerned.
 */
export interface PresenceTracker {
  /** True when this connection brought the user online. */
  connected(userId: string): Promise<boolean>;
  /** True when this disconnection took the user offline. */
  disconnected(userId: string): Promise<boolean>;
  online(userIds: readonly string[]): Promise<string[]>;
  /** Users found offline without a disconnection seen here (their node died), when the tracker can know. */
  watchOffline?(listener: (userId: string) => void): void;
}

export class InMemoryPresence implements PresenceTracker {
  private readonly sockets = new Map<string, number>();

  async connected(userId: string): Promise<boolean> {
    const count = (this.sockets.get(userId) ?? 0) + 1;
    this.sockets.set(userId, count);
    return count === 1;
  }

  async disconnected(userId: string): Promise<boolean> {
    const count = (this.sockets.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.sockets.set(userId, count);
      return false;
    }
    return this.sockets.delete(userId);
  }

  async online(userIds: readonly string[]): Promise<string[]> {
    return userIds.filter((id) => this.sockets.has(id));
  }
}
