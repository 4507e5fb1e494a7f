import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { isPlainKey, isTypingTarget, modalIsOpen, moveIndex, useDocumentKeys } from './keyboard.ts';

export interface VirtualColumn<T> {
  key: string;
  header: ReactNode;
  /** The column's name in the column chooser (the header may be markup). */
  label: string;
  render: (row: T) => ReactNode;
  className?: string;
  /** The sort values this column's header switches between: ascending, descending. */
  sort?: { ascending: string; descending: string };
}

export interface TableSelection {
  selected: ReadonlySet<string>;
  /** A row's checkbox; `range` when Shift was held (select from the last toggled row to this one). */
  onToggle: (index: number, range: boolean) => void;
  onToggleAll: (select: boolean) => void;
}

/** Rows drawn beyond the viewport on each side, so a fast scroll does not show blank space. */
const OVERSCAN = 12;
/** Rows before the end of what is loaded at which the next page is asked for. */
const PREFETCH_ROWS = 40;
/** Until a row is measured: what tokens.css's --table-row-height gives at the default text size. */
const DEFAULT_ROW_HEIGHT = 36;

/**
 * A table over many rows that renders only those near the viewport. The document scrolls (as every view
 * does), so the window is the viewport: spacer rows above and below stand for the rows not drawn, and
 * `aria-rowcount`/`aria-rowindex` tell assistive technology where the drawn rows sit. Rows have one fixed
 * height (cells do not wrap), which is what makes the arithmetic exact. j/k, arrows, Home/End and Enter
 * behave as in DataTable, scrolling the active row into view; x toggles its checkbox.
 */
export function VirtualTable<T extends { id: string }>({
  columns,
  rows,
  selectedId,
  onOpen,
  onMove,
  selection,
  sort,
  onSort,
  hasMore,
  onNearEnd,
  testId,
  label,
  rowLabel,
}: {
  columns: VirtualColumn<T>[];
  rows: T[];
  selectedId?: string;
  onOpen: (row: T) => void;
  onMove?: (row: T) => void;
  selection?: TableSelection;
  sort?: string;
  onSort?: (sort: string) => void;
  hasMore: boolean;
  onNearEnd: () => void;
  testId: string;
  label: string;
  /** A short name of a row for its checkbox's label. */
  rowLabel: (row: T) => string;
}) {
  const body = useRef<HTMLTableSectionElement>(null);
  const head = useRef<HTMLTableSectionElement>(null);
  const topSpacer = useRef<HTMLTableCellElement>(null);
  const bottomSpacer = useRef<HTMLTableCellElement>(null);
  const rowHeight = useRef(DEFAULT_ROW_HEIGHT);
  /** Where the body starts in the document (its top plus the scroll offset), as last measured. */
  const bodyTop = useRef<number>(undefined);
  const pendingFocus = useRef<number>(undefined);
  // Nothing is drawn until the viewport is known (a guessed range could reach the prefetch zone of a first
  // page and fetch a second one no one scrolled to). `height` is in the state so a new row height redraws the spacers.
  const [range, setRange] = useState({ start: 0, end: 0, height: DEFAULT_ROW_HEIGHT });
  const [activeId, setActiveId] = useState<string>();
  const active = rows.findIndex((row) => row.id === (activeId ?? selectedId));

  /** The rows to draw when the body starts `top` pixels below the viewport's top edge. */
  const place = useCallback(
    (top: number) => {
      const height = rowHeight.current;
      const start = Math.min(rows.length, Math.max(0, Math.floor(-top / height) - OVERSCAN));
      const end = Math.min(rows.length, Math.max(start, Math.ceil((window.innerHeight - top) / height) + OVERSCAN));
      setRange((previous) => (previous.start === start && previous.end === end && previous.height === height ? previous : { start, end, height }));
    },
    [rows.length],
  );

  /**
   * Measures the body and a drawn row. Reading geometry forces the browser to lay the page out first if
   * anything changed since it last did: right after React writes new rows, that is a whole layout of the
   * view (~20–30 ms per filter change at a million events), done again anyway before the frame is painted.
   * So it runs where the layout is already clean: on scroll and resize, and in the frame after a change.
   */
  const measure = useCallback(() => {
    const tbody = body.current;
    if (!tbody) return;
    const top = tbody.getBoundingClientRect().top;
    bodyTop.current = top + window.scrollY;
    const measured = tbody.querySelector<HTMLTableRowElement>('tr[data-index]')?.getBoundingClientRect().height;
    if (measured && Math.abs(measured - rowHeight.current) > 0.5) rowHeight.current = measured;
    place(top);
  }, [place]);

  useLayoutEffect(() => {
    // With the body's place known, the rows to draw follow from the scroll offset alone (no layout forced);
    // the next frame measures again, in case the view above the table changed height meanwhile.
    if (bodyTop.current !== undefined) place(bodyTop.current - window.scrollY);
    else if (rows.length) measure();
    const frame = requestAnimationFrame(measure);
    window.addEventListener('scroll', measure, { passive: true });
    window.addEventListener('resize', measure);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', measure);
      window.removeEventListener('resize', measure);
    };
  }, [measure, place, rows.length]);

  // After each render: the spacers take the height of the rows not drawn (set through the CSSOM: the CSP
  // forbids style attributes, not style properties), and a row the keyboard moved to is focused once it exists.
  useLayoutEffect(() => {
    if (topSpacer.current) topSpacer.current.style.height = `${range.start * range.height}px`;
    if (bottomSpacer.current) bottomSpacer.current.style.height = `${(rows.length - range.end) * range.height}px`;
    if (pendingFocus.current !== undefined) {
      const row = body.current?.querySelector<HTMLTableRowElement>(`tr[data-index="${pendingFocus.current}"]`);
      if (row) {
        row.focus({ preventScroll: true });
        pendingFocus.current = undefined;
      }
    }
  });

  useEffect(() => {
    if (hasMore && range.end >= rows.length - PREFETCH_ROWS) onNearEnd();
  }, [hasMore, range.end, rows.length, onNearEnd]);

  /** Scrolls the window just enough to show a row below the sticky top bar and header. */
  const reveal = (index: number) => {
    const tbody = body.current;
    if (!tbody) return;
    const height = rowHeight.current;
    const top = tbody.getBoundingClientRect().top + index * height;
    const covered = head.current?.getBoundingClientRect().bottom ?? 0;
    if (top < covered) window.scrollBy(0, top - covered);
    else if (top + height > window.innerHeight) window.scrollBy(0, top + height - window.innerHeight + height);
    measure();
  };

  const activate = (index: number) => {
    const row = rows[index];
    if (!row) return;
    setActiveId(row.id);
    pendingFocus.current = index;
    reveal(index);
    onMove?.(row);
  };

  useDocumentKeys((event) => {
    if (!isPlainKey(event) || modalIsOpen()) return;
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
    } else if (event.key === 'x' && selection && active >= 0 && !isTypingTarget(event.target)) {
      event.preventDefault();
      selection.onToggle(active, event.shiftKey);
    } else if (event.key === 'Enter' && (event.target as Element).tagName === 'TR' && inTable && active >= 0) {
      event.preventDefault();
      onOpen(rows[active]!);
    }
  });

  const allSelected = selection && rows.length > 0 && rows.every((row) => selection.selected.has(row.id));
  const someSelected = selection && !allSelected && rows.some((row) => selection.selected.has(row.id));
  const columnCount = columns.length + (selection ? 1 : 0);
  const visible = rows.slice(range.start, range.end);

  return (
    <table className="table vtable" data-testid={testId} aria-label={label} aria-rowcount={hasMore ? -1 : rows.length + 1}>
      <thead ref={head}>
        <tr aria-rowindex={1}>
          {selection && (
            <th scope="col" className="vt-check">
              <input
                type="checkbox"
                aria-label="Select all loaded rows"
                checked={allSelected ?? false}
                ref={(input) => {
                  if (input) input.indeterminate = someSelected ?? false;
                }}
                onChange={(event) => selection.onToggleAll(event.target.checked)}
              />
            </th>
          )}
          {columns.map((column) => {
            const sorted = column.sort && (sort === column.sort.ascending ? 'ascending' : sort === column.sort.descending ? 'descending' : undefined);
            return (
              <th key={column.key} scope="col" className={[`col-${column.key}`, column.className].filter(Boolean).join(' ')} aria-sort={sorted}>
                {column.sort && onSort ? (
                  <button
                    type="button"
                    className="sort-button"
                    data-testid={`sort-${column.key}`}
                    onClick={() => onSort(sorted === 'descending' ? column.sort!.ascending : column.sort!.descending)}
                  >
                    {column.header}
                    <span aria-hidden="true" className="sort-mark">
                      {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕'}
                    </span>
                  </button>
                ) : (
                  column.header
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody ref={body}>
        <tr aria-hidden="true" className="vt-spacer">
          <td ref={topSpacer} colSpan={columnCount} />
        </tr>
        {visible.map((row, offset) => {
          const index = range.start + offset;
          return (
            <VirtualRow
              key={row.id}
              row={row}
              index={index}
              columns={columns}
              isSelected={selectedId === row.id}
              isActive={index === active}
              isChecked={selection?.selected.has(row.id) ?? false}
              focusable={index === Math.max(active, 0)}
              onOpen={onOpen}
              onFocusRow={setActiveId}
              selection={selection}
              rowLabel={rowLabel}
            />
          );
        })}
        <tr aria-hidden="true" className="vt-spacer">
          <td ref={bottomSpacer} colSpan={columnCount} />
        </tr>
      </tbody>
    </table>
  );
}

const stop = (event: MouseEvent) => event.stopPropagation();

interface VirtualRowProps<T> {
  row: T;
  index: number;
  columns: VirtualColumn<T>[];
  isSelected: boolean;
  isActive: boolean;
  isChecked: boolean;
  focusable: boolean;
  onOpen: (row: T) => void;
  onFocusRow: (id: string) => void;
  selection?: TableSelection;
  rowLabel: (row: T) => string;
}

/**
 * One drawn row. Memoized: a scroll step changes which rows are drawn, not the rows already drawn, so only
 * the rows that come into view render (every cell of every drawn row did before, which is what a table
 * scrolled while an import keeps the other core busy could not fit into a frame).
 */
const VirtualRow = memo(function VirtualRow<T extends { id: string }>({
  row,
  index,
  columns,
  isSelected,
  isActive,
  isChecked,
  focusable,
  onOpen,
  onFocusRow,
  selection,
  rowLabel,
}: VirtualRowProps<T>) {
  return (
    <tr
      data-index={index}
      aria-rowindex={index + 2}
      className={[isSelected && 'selected', isActive && 'active', isChecked && 'checked'].filter(Boolean).join(' ') || undefined}
      aria-current={isSelected ? 'true' : undefined}
      onClick={() => onOpen(row)}
      onFocus={(event) => event.target === event.currentTarget && onFocusRow(row.id)}
      tabIndex={focusable ? 0 : -1}
    >
      {selection && (
        <td className="vt-check" onClick={stop}>
          <input
            type="checkbox"
            aria-label={`Select ${rowLabel(row)}`}
            checked={isChecked}
            tabIndex={-1}
            onClick={(event) => {
              event.stopPropagation();
              selection.onToggle(index, event.shiftKey);
            }}
            onChange={() => undefined}
          />
        </td>
      )}
      {columns.map((column) => {
        const content = column.render(row);
        // Cells are cut to one line: plain text keeps its whole value as a tooltip (components give their own).
        return (
          <td key={column.key} data-col={column.key} className={column.className} title={typeof content === 'string' && content !== '—' ? content : undefined}>
            {content}
          </td>
        );
      })}
    </tr>
  );
}) as <T extends { id: string }>(props: VirtualRowProps<T>) => ReactNode;
