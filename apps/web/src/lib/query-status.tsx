import type { UseQueryResult } from '@tanstack/react-query';

/**
 * What a query shows until it has data: a quiet line while it loads, an alert if it failed,
 * nothing once it succeeded. `className` places it (`center` in a page, `small` in a sidebar).
 */
export function QueryStatus({
  query,
  loading,
  failed,
  className,
}: {
  query: Pick<UseQueryResult, 'isPending' | 'isError'>;
  loading: string;
  failed: string;
  className: string;
}) {
  if (query.isPending) return <p className={`muted ${className}`}>{loading}</p>;
  if (query.isError) {
    return (
      <p role="alert" className={`error ${className}`}>
        {failed}
      </p>
    );
  }
  return null;
}
