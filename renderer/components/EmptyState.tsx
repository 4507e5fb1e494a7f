import type { ReactNode } from 'react';
import { ImportActions } from './ImportActions.tsx';

export function EmptyState({ title, children, actions = true }: { title: string; children?: ReactNode; actions?: boolean }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <h2>{title}</h2>
      {children ?? (
        <p>
          Import exports from Entra ID Protection, Defender for Identity, Defender for Cloud Apps or Defender XDR, or load the demo workspace to look around.
        </p>
      )}
      {actions && <ImportActions />}
    </div>
  );
}
