import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RoomSummary } from '@parley/protocol';
import { Dialog } from '../../../lib/dialog';
import { useUpdateRoom } from '../api/moderation.api';

/**
 * Owners and admins rename the room and set its topic. Only what changed is sent; the server's
 * rules (a name of 1 to 64 characters, a topic of at most 250) answer with its own message.
 */
export function RoomSettingsDialog({ room, onClose }: { room: Pick<RoomSummary, 'id' | 'name' | 'topic'>; onClose: () => void }) {
  const [name, setName] = useState(room.name);
  const [topic, setTopic] = useState(room.topic);
  const update = useUpdateRoom();
  const nameInput = useRef<HTMLInputElement>(null);
  // Not autoFocus: that moves the focus before Dialog notes where it was, and it could not give it back.
  useEffect(() => nameInput.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes = {
      ...(name !== room.name && { name }),
      ...(topic !== room.topic && { topic }),
    };
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate({ roomId: room.id, ...changes }, { onSuccess: onClose });
  };

  return (
    <Dialog title="Room settings" onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <label>
          Name
          <input ref={nameInput} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Topic
          <input value={topic} placeholder="What this room is for" onChange={(e) => setTopic(e.target.value)} />
        </label>
        {update.error && (
          <p role="alert" className="error">
            {update.error.message}
          </p>
        )}
        <button type="submit" className="primary" disabled={update.isPending}>
          Save
        </button>
      </form>
    </Dialog>
  );
}
