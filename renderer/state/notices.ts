/**
 * One app-wide notice line for actions started away from a form, such as an import run from the command
 * palette: its failure has to be said somewhere that stays on screen.
 */
import { create } from 'zustand';

export interface Notice {
  tone: 'danger' | 'info';
  message: string;
  /** One thing to do about it, such as undoing the change it reports; the notice closes when it is done. */
  action?: { label: string; run: () => void };
}

export const useNotice = create<{ notice?: Notice }>()(() => ({}));

export const showNotice = (notice: Notice) => useNotice.setState({ notice });
export const dismissNotice = () => useNotice.setState({ notice: undefined });

export function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
