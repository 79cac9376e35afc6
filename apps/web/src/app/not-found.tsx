import { Link } from 'react-router';

export function NotFound({ what }: { what: string }) {
  return (
    <div className="empty">
      <h1>{what} not found</h1>
      <p className="muted">It does not exist, or you do not have access to it.</p>
      <Link to="/">Back to your rooms</Link>
    </div>
  );
}
