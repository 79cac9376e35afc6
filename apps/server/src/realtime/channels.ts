export { userChannel } from '@parley/protocol';

/** Every socket opened with one session, so logout can reach them on any node. */
export function sessionChannel(sessionId: string): string {
  return `session:${sessionId}`;
}

/** Socket.IO rooms that are chat rooms, not personal or session channels or the socket's own id. */
export function isChatRoom(name: string, socketId: string): boolean {
  return name !== socketId && !name.startsWith('user:') && !name.startsWith('session:');
}
