import { useCallback, useEffect, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * The URL is the filter: every change navigates (so the back button walks filters), and a URL the view
 * would write differently is replaced by its canonical form once.
 */
export function useUrlQuery<Q>(path: string, parse: (search: string) => Q, write: (query: Q) => string) {
  const location = useLocation();
  const navigate = useNavigate();
  const raw = location.search.replace(/^\?/, '');
  const query = useMemo(() => parse(raw), [raw, parse]);
  const canonical = write(query);
  useEffect(() => {
    if (canonical !== raw) void navigate({ pathname: path, search: canonical ? `?${canonical}` : '' }, { replace: true });
  }, [canonical, raw, navigate, path]);
  const open = useCallback((search: string) => void navigate({ pathname: path, search: search ? `?${search}` : '' }), [navigate, path]);
  const update = useCallback((patch: Partial<Q>) => open(write({ ...query, ...patch })), [open, write, query]);
  return { raw, query, canonical, update, open };
}
