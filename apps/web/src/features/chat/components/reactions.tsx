import type { Reaction } from '@parley/protocol';

/**
 * A message's reactions, each a toggle named `<emoji> <count>`, pressed when one of them is mine;
 * clicking one sets or takes back mine. Read-only where I may not react.
 */
export function Reactions({
  reactions,
  meId,
  canReact,
  onToggle,
}: {
  reactions: readonly Reaction[];
  meId: string;
  canReact: boolean;
  onToggle: (emoji: string, on: boolean) => void;
}) {
  if (reactions.length === 0) return null;
  return (
    <div className="reactions" role="group" aria-label="Reactions">
      {reactions.map((reaction) => {
        const mine = reaction.userIds.includes(meId);
        const count = reaction.userIds.length;
        return (
          <button
            key={reaction.emoji}
            type="button"
            className={`reaction ${mine ? 'reaction--mine' : ''}`}
            aria-pressed={mine}
            aria-label={`${reaction.emoji} ${count}`}
            title={mine ? 'Take back your reaction' : 'React with this too'}
            disabled={!canReact}
            onClick={() => onToggle(reaction.emoji, !mine)}
          >
            <span className="reaction__emoji" aria-hidden="true">
              {reaction.emoji}
            </span>
            <span className="reaction__count" aria-hidden="true">
              {count}
            </span>
          </button>
        );
      })}
    </div>
  );
}
