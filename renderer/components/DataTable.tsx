import type { ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  className?: string;
}

/** A plain, keyboard-reachable table: rows open with a click or Enter. */
export function DataTable<T extends { id: string }>({
  columns,
  rows,
  selectedId,
  onOpen,
  testId,
  label,
}: {
  columns: Column<T>[];
  rows: T[];
  selectedId?: string;
  onOpen?: (row: T) => void;
  testId?: string;
  label: string;
}) {
  return (
    <table className="table" data-testid={testId} aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.id}
            className={selectedId === row.id ? 'selected' : undefined}
            onClick={onOpen && (() => onOpen(row))}
            onKeyDown={onOpen && ((event) => event.key === 'Enter' && onOpen(row))}
            tabIndex={onOpen ? 0 : undefined}
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
