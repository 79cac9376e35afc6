import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../../lib/dialog';
import { useCreateRoom } from '../api/rooms.api';

export function NewRoomDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const create = useCreateRoom();
  const navigate = useNavigate();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), visibility: isPrivate ? 'private' : 'public' },
      {
        onSuccess: ({ room }) => {
          onClose();
          void navigate(`/rooms/${encodeURIComponent(room.id)}`);
        },
      },
    );
  };

  return (
    <Dialog title="New room" onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <label>
          Room name
          <input autoFocus required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.target.checked)} />
          Private
        </label>
        <p className="muted small">
          {isPrivate ? 'Only people you invite can find and join it.' : 'Anyone signed in can find and join it.'}
        </p>
        {create.error && (
          <p role="alert" className="error">
            {create.error.message}
          </p>
        )}
        <button type="submit" className="primary" disabled={create.isPending || name.trim() === ''}>
          Create
        </button>
      </form>
    </Dialog>
  );
}
