import type { ReactNode } from 'react';

/** Every view opens the same way: a title, one line on what it shows, and its actions on the right. */
export function ViewHeader({
  title,
  subtitle,
  breadcrumbs,
  actions,
  testId,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  breadcrumbs?: ReactNode;
  actions?: ReactNode;
  testId?: string;
}) {
  return (
    <header className="view-header">
      <div className="view-heading">
        {breadcrumbs && (
          <nav className="breadcrumbs" aria-label="Breadcrumbs">
            {breadcrumbs}
          </nav>
        )}
        <h1 data-testid={testId}>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="view-actions">{actions}</div>}
    </header>
  );
}
