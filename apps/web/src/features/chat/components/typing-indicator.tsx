import { usePeopleLookup } from '../../../lib/people.store';
import { shownName } from '../../../lib/person';
import { useChatStore, type Typist } from '../chat.store';

const NONE: Typist[] = [];

export function TypingIndicator({ roomId }: { roomId: string }) {
  const typists = useChatStore((s) => s.typing[roomId] ?? NONE);
  const person = usePeopleLookup();
  const name = (i: number) => {
    const typist = typists[i]!;
    return shownName(person({ id: typist.userId, username: typist.username, displayName: typist.displayName }));
  };
  return (
    <div className="typing" aria-live="polite">
      {typists.length === 1 && `${name(0)} is typing`}
      {typists.length === 2 && `${name(0)} and ${name(1)} are typing`}
      {typists.length > 2 && 'Several people are typing'}
    </div>
  );
}
