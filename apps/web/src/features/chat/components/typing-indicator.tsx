import { useChatStore, type Typist } from '../chat.store';

const NONE: Typist[] = [];

export function TypingIndicator({ roomId }: { roomId: string }) {
  const typists = useChatStore((s) => s.typing[roomId] ?? NONE);
  return (
    <div className="typing" aria-live="polite">
      {typists.length === 1 && `${typists[0]!.username} is typing`}
      {typists.length === 2 && `${typists[0]!.username} and ${typists[1]!.username} are typing`}
      {typists.length > 2 && 'Several people are typing'}
    </div>
  );
}
