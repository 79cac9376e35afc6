import { useEffect, useRef, useState } from 'react';
import type { RoomMember, RoomSummary, User } from '@parley/protocol';
import { shownName } from '../../../lib/person';
import { plural } from '../../../lib/plural';
import { QueryStatus } from '../../../lib/query-status';
import { useRemoveMember, useSetRole, useUnban } from '../api/moderation.api';
import { membersOf } from '../api/room-members.api';
import { useRoomMembers } from '../hooks/use-room-members';
import { memberActions, type MemberAction } from '../moderation';
import { BanDialog } from './ban-dialog';
import { MemberItem } from './member-item';
import './members-panel.css';

/** What the panel says after an action: "Banned carol." offers Unban, as there is no ban list to find them in. */
interface Notice {
  text: string;
  banned?: User;
}

/**
 * The room's members beside the room (in its place on a narrow screen): a `complementary` landmark
 * named `Members`, paged by username, live. Owners and admins get each member's actions
 * (`memberActions`); a ban is confirmed first, and can be undone from the line that reports it.
 */
export function MembersPanel({ room, meId, onClose }: { room: RoomSummary; meId: string; onClose: () => void }) {
  const members = useRoomMembers(room.id);
  const setRole = useSetRole();
  const remove = useRemoveMember();
  const unban = useUnban();
  const [banning, setBanning] = useState<RoomMember | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const unbanButton = useRef<HTMLButtonElement>(null);
  const busy = setRole.isPending || remove.isPending || unban.isPending;

  // The row acted on may be gone: the focus goes to what reports the change.
  useEffect(() => {
    if (!notice) return;
    (notice.banned ? unbanButton.current : heading.current)?.focus();
  }, [notice]);

  const report = (text: string, banned?: User) => {
    setError(null);
    setNotice({ text, ...(banned && { banned }) });
  };
  const fail = (e: Error) => {
    setNotice(null);
    setError(e.message);
  };

  const act = (action: MemberAction, member: RoomMember) => {
    const { user } = member;
    const name = shownName(user);
    const target = { roomId: room.id, userId: user.id };
    if (action === 'ban') {
      remove.reset();
      setBanning(member);
    } else if (action === 'remove') {
      remove.mutate({ ...target, ban: false }, { onSuccess: () => report(`Removed ${name}.`), onError: fail });
    } else {
      const role = action === 'make-admin' ? 'admin' : 'member';
      setRole.mutate(
        { ...target, role },
        { onSuccess: () => report(role === 'admin' ? `${name} is now an admin.` : `${name} is no longer an admin.`), onError: fail },
      );
    }
  };

  const confirmBan = (member: RoomMember) =>
    remove.mutate(
      { roomId: room.id, userId: member.user.id, ban: true },
      {
        onSuccess: () => {
          setBanning(null);
          report(`Banned ${shownName(member.user)}.`, member.user);
        },
      },
    );

  const lift = (user: User) =>
    unban.mutate(
      { roomId: room.id, userId: user.id },
      { onSuccess: () => report(`Unbanned ${shownName(user)}: they can join again.`), onError: fail },
    );

  const list = membersOf(members.data);
  return (
    <aside className="members" aria-label="Members">
      <header className="members__header">
        <h2 ref={heading} tabIndex={-1}>
          Members
        </h2>
        <span className="muted small">{plural(room.memberCount, 'member')}</span>
        <button type="button" className="icon members__close" aria-label="Close members" title="Close members" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="members__body">
        {notice && (
          <p role="status" className="members__notice small">
            {notice.text}{' '}
            {notice.banned && (
              <button ref={unbanButton} type="button" className="small" disabled={busy} onClick={() => lift(notice.banned!)}>
                Unban
              </button>
            )}
          </p>
        )}
        {error && (
          <p role="alert" className="error small">
            {error}
          </p>
        )}
        <QueryStatus query={members} loading="Loading members…" failed="Could not load the members." className="small" />
        <ul className="members__list">
          {list.map((member) => (
            <MemberItem
              key={member.user.id}
              member={member}
              isMe={member.user.id === meId}
              actions={room.joined ? memberActions(room, member, meId) : []}
              busy={busy}
              onAction={act}
            />
          ))}
        </ul>
        {members.hasNextPage && (
          <button
            type="button"
            className="members__more"
            disabled={members.isFetchingNextPage}
            onClick={() => void members.fetchNextPage()}
          >
            Load more
          </button>
        )}
      </div>
      {banning && (
        <BanDialog
          name={shownName(banning.user)}
          roomName={room.name}
          pending={remove.isPending}
          error={remove.error?.message}
          onConfirm={() => confirmBan(banning)}
          onClose={() => setBanning(null)}
        />
      )}
    </aside>
  );
}
