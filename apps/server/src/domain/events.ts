/**
 * What the domain tells the world outside it. The app implements it (with several nodes, by
 * announcing through the Socket.IO adapter); the domain never knows how.
 */
export interface RoomEvents {
  /** A membership ended on this node; other nodes must stop trusting their cached copy of it. */
  membershipEnded(roomId: string, userId: string): void;
}

export const NO_ROOM_EVENTS: RoomEvents = { membershipEnded: () => undefined };
