import { createPortal } from 'react-dom';
import { useQuery } from '@tanstack/react-query';
import type { Message } from '@parley/protocol';
import { Dialog } from '../../../lib/dialog';
import { QueryStatus } from '../../../lib/query-status';
import { request } from '../../../lib/socket';
import { useSocket } from '../../../lib/socket-context';

const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Apart from the room's `messages` keys; the message's rev is part of it, so an edit asks again. */
const versionsKey = (message: Pick<Message, 'id' | 'rev'>) => ['message-versions', message.id, message.rev] as const;

/** Every text an edited message has had, oldest first, the current one last, each with its time (`message:versions`). */
export function VersionsDialog({ message, onClose }: { message: Pick<Message, 'id' | 'roomId' | 'rev'>; onClose: () => void }) {
  const socket = useSocket();
  const versions = useQuery({
    queryKey: versionsKey(message),
    queryFn: () => request(socket, 'message:versions', { roomId: message.roomId, messageId: message.id }).then((r) => r.versions),
    gcTime: 0,
  });
  return createPortal(
    <Dialog title="Versions" onClose={onClose}>
      <QueryStatus query={versions} loading="Loading versions…" failed="Could not load the versions." className="small" />
      {versions.isSuccess &&
        (versions.data.length === 0 ? (
          <p className="muted">No versions to show.</p>
        ) : (
          <ol className="versions">
            {versions.data.map((version, i) => (
              <li key={`${version.editedAt}-${i}`} className="versions__item">
                <div className="versions__meta muted small">
                  <time dateTime={version.editedAt}>{fullFormat.format(new Date(version.editedAt))}</time>
                  {i === versions.data.length - 1 ? ' · current' : i === 0 ? ' · original' : ''}
                </div>
                <p className="versions__text">{version.text}</p>
              </li>
            ))}
          </ol>
        ))}
    </Dialog>,
    document.body,
  );
}
