import { Link } from 'react-router';

/** A link to the user a record belongs to, or a muted "Unattributed". */
export function UserLink({ userId, label, title }: { userId: string; label?: string; title?: string }) {
  if (!userId) return <span className="muted">Unattributed</span>;
  return (
    <Link to={`/users/${encodeURIComponent(userId)}`} title={title} onClick={(event) => event.stopPropagation()}>
      {label ?? userId}
    </Link>
  );
}
