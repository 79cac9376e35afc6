import type { RoomMember, RoomRole } from '@parley/protocol';
import { Avatar, shownName } from '../../../lib/person';
import type { MemberAction } from '../moderation';

const ROLE_LABELS: Record<RoomRole, string | null> = { owner: 'Owner', admin: 'Admin', member: null };

const ACTION_LABELS: Record<MemberAction, string> = {
  'make-admin': 'Make admin',
  'remove-admin': 'Remove admin',
  remove: 'Remove',
  ban: 'Ban',
};

/**
 * One member in the Members panel: avatar, name (and username when a display name is set), role
 * badge, presence, and the actions I may take on them.
 */
export function MemberItem({
  member,
  isMe,
  actions,
  busy,
  onAction,
}: {
  member: RoomMember;
  isMe: boolean;
  actions: readonly MemberAction[];
  busy: boolean;
  onAction: (action: MemberAction, member: RoomMember) => void;
}) {
  const { user, role, online } = member;
  const name = shownName(user);
  const roleLabel = ROLE_LABELS[role];
  return (
    <li className="member">
      <Avatar user={user} size="small" />
      <span className={`presence ${online ? 'presence--online' : ''}`} role="img" aria-label={online ? 'online' : 'offline'} />
      <span className="member__who">
        <span className="member__name">{name}</span>
        {user.displayName && <span className="muted small member__username">{user.username}</span>}
        {isMe && <span className="muted small">(you)</span>}
      </span>
      {roleLabel && <span className={`role-badge role-badge--${role}`}>{roleLabel}</span>}
      {actions.length > 0 && (
        <div className="member__actions" role="group" aria-label={`Manage ${name}`}>
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'ban' ? 'danger small' : 'small'}
              disabled={busy}
              onClick={() => onAction(action, member)}
            >
              {ACTION_LABELS[action]}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
