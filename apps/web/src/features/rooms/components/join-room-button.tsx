import { useJoinRoom } from '../api/rooms.api';

export function JoinRoomButton({ roomId, className }: { roomId: string; className?: string }) {
  const join = useJoinRoom();
  return (
    <>
      <button type="button" className={className} disabled={join.isPending} onClick={() => join.mutate(roomId)}>
        Join
      </button>
      {join.error && (
        <span role="alert" className="error small">
          {join.error.message}
        </span>
      )}
    </>
  );
}
