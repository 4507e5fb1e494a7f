import { useRef, useState, type ReactNode } from 'react';
import { isPlainKey, isTypingTarget, modalIsOpen, moveIndex, useDocumentKeys } from './keyboard.ts';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  className?: string;
}

/**
 * A table whose rows open with a click or Enter. j/k (and the arrow keys inside the table) move the
 * selection from anywhere in the view, as in a mail client; only the active row is a tab stop, so Tab
 * passes the table in one step instead of walking every row.
 */
export function DataTable<T extends { id: string }>({
  columns,
  rows,
  selectedId,
  onOpen,
  onMove,
  testId,
  label,
  compact = false,
}: {
  columns: Column<T>[];
  rows: T[];
  selectedId?: string;
  onOpen?: (row: T) => void;
  /** Called when j/k lands on a row: a list with an open drawer makes the drawer follow. */
  onMove?: (row: T) => void;
  testId?: string;
  label: string;
  compact?: boolean;
}) {
  const body = useRef<HTMLTableSectionElement>(null);
  const [activeId, setActiveId] = useState<string>();
  const active = rows.findIndex((row) => row.id === (activeId ?? selectedId));

  const activate = (index: number) => {
    const row = rows[index];
    if (!row) return;
    setActiveId(row.id);
    body.current?.rows[index]?.focus();
    onMove?.(row);
  };

  useDocumentKeys((event) => {
    if (!onOpen || !isPlainKey(event) || modalIsOpen()) return;
    const inTable = body.current?.contains(event.target as Node) ?? false;
    if (!inTable && isTypingTarget(event.target)) return;
    const delta = event.key === 'j' || (inTable && event.key === 'ArrowDown') ? 1 : event.key === 'k' || (inTable && event.key === 'ArrowUp') ? -1 : 0;
    if (delta !== 0) {
      event.preventDefault();
      activate(moveIndex(active, delta, rows.length));
    } else if (inTable && event.key === 'Home') {
      event.preventDefault();
      activate(0);
    } else if (inTable && event.key === 'End') {
      event.preventDefault();
      activate(rows.length - 1);
    } else if (event.key === 'Enter' && (event.target as Element).tagName === 'TR' && inTable && active >= 0) {
      // Enter on a link inside the row follows the link; Enter on the row itself opens the row.
      event.preventDefault();
      onOpen(rows[active]!);
    }
  });

  return (
    <table className={compact ? 'table compact' : 'table'} data-testid={testId} aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col" className={column.className}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody ref={body}>
        {rows.map((row, index) => (
          <tr
            key={row.id}
            className={[selectedId === row.id && 'selected', index === active && 'active'].filter(Boolean).join(' ') || undefined}
            aria-current={selectedId === row.id ? 'true' : undefined}
            onClick={onOpen && (() => onOpen(row))}
            onFocus={onOpen && (() => setActiveId(row.id))}
            tabIndex={onOpen ? (index === Math.max(active, 0) ? 0 : -1) : undefined}
          >
            {columns.map((column) => (
              <td key={column.key} className={column.className}>
                {column.render(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
