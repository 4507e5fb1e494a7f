import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { findUsers, getUser } from '../db/repo.ts';
import type { UserRow } from '../db/schema.ts';
import { instantToTimeText, parseTimeText } from '../views/queue-url.ts';
import { deleteFilter, saveFilter, toggleColumn, useWorkbench, type WorkbenchList } from '../state/workbench.ts';
import { formatNumber } from './format.ts';

/** One option of a filter: its value, how it reads, and (where cheap to know) how many records carry it. */
export interface FilterOption {
  value: string;
  label: string;
  count?: number;
}

const optionText = (option: FilterOption) => (option.count === undefined ? option.label : `${option.label} (${formatNumber(option.count)})`);

/**
 * A single-choice filter as a native select ("Any" clears it). A URL may hold several values of one field;
 * the select then shows them as one choice, and picking another replaces them.
 */
export function FilterSelect({
  label,
  values,
  options,
  onChange,
  testId,
}: {
  label: string;
  values: string[];
  options: FilterOption[];
  onChange: (values: string[]) => void;
  testId: string;
}) {
  const id = useId();
  const current = values.length > 1 ? '\u0000many' : (values[0] ?? '');
  const known = new Set(options.map((option) => option.value));
  const extra = values.length === 1 && !known.has(values[0]!) ? [{ value: values[0]!, label: values[0]! }] : [];
  return (
    <div className="filter-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} data-testid={testId} value={current} onChange={(event) => onChange(event.target.value ? [event.target.value] : [])}>
        <option value="">Any</option>
        {values.length > 1 && <option value={'\u0000many'}>{values.length} selected</option>}
        {[...extra, ...options].map((option) => (
          <option key={option.value} value={option.value}>
            {optionText(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A few fixed values (severities, results) as toggle chips: several may be on at once. */
export function FilterChips({
  label,
  values,
  options,
  onChange,
  testId,
}: {
  label: string;
  values: string[];
  options: FilterOption[];
  onChange: (values: string[]) => void;
  testId: string;
}) {
  return (
    <div className="filter-field" role="group" aria-label={label} data-testid={testId}>
      <span className="filter-label" aria-hidden="true">
        {label}
      </span>
      <div className="chips">
        {options.map((option) => {
          const on = values.includes(option.value);
          return (
            <button
              key={option.value}
              type="button"
              className="chip"
              aria-pressed={on}
              onClick={() => onChange(on ? values.filter((value) => value !== option.value) : [...values, option.value])}
            >
              {option.label}
              {option.count !== undefined && <span className="chip-count">{formatNumber(option.count)}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}

/**
 * Free text that follows the URL: typing is sent once it pauses (one history entry per search, not per key),
 * and a change of URL from elsewhere (back button, a saved filter) shows in the field.
 */
export function FilterText({ label, value, onChange, testId }: { label: string; value: string; onChange: (text: string) => void; testId: string }) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value);
  }
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => onChange(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <div className="filter-field filter-search">
      <label htmlFor={`${testId}-input`}>{label}</label>
      <div className="search-box">
        <input
          id={`${testId}-input`}
          type="search"
          data-view-search
          data-testid={testId}
          aria-keyshortcuts="/"
          placeholder="Words in any field"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') onChange(text.trim());
            if (event.key === 'Escape') {
              event.stopPropagation();
              if (text) setText('');
              else event.currentTarget.blur();
            }
          }}
        />
        <kbd aria-hidden="true">/</kbd>
      </div>
    </div>
  );
}

/** A value typed or picked from suggestions (apps, countries, ISPs), applied on Enter or when the field is left. */
export function FilterInput({
  label,
  value,
  suggestions = [],
  onChange,
  testId,
  placeholder,
}: {
  label: string;
  value: string;
  suggestions?: string[];
  onChange: (value: string) => void;
  testId: string;
  placeholder?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value);
  }
  const apply = () => text.trim() !== value && onChange(text.trim());
  return (
    <div className="filter-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="filter-input"
        data-testid={testId}
        list={suggestions.length ? `${id}-list` : undefined}
        value={text}
        placeholder={placeholder ?? 'Any'}
        onChange={(event) => {
          setText(event.target.value);
          // Picking a suggestion is a choice, not typing: apply it at once.
          if (suggestions.includes(event.target.value) && (event.nativeEvent as InputEvent).inputType !== 'insertText') onChange(event.target.value);
        }}
        onBlur={apply}
        onKeyDown={(event) => event.key === 'Enter' && apply()}
      />
      {suggestions.length > 0 && (
        <datalist id={`${id}-list`}>
          {suggestions.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      )}
    </div>
  );
}

/** The user filter: suggestions by sign-in name from the users index; the URL holds the stored user id. */
export function UserFilter({ value, onChange, testId }: { value?: string; onChange: (userId: string | undefined) => void; testId: string }) {
  const id = useId();
  const [text, setText] = useState('');
  const [matches, setMatches] = useState<UserRow[]>([]);
  const [named, setNamed] = useState<{ id: string; label: string }>();
  useEffect(() => {
    let live = true;
    if (value) void getUser(value).then((user) => live && setNamed({ id: value, label: user?.upn ?? user?.displayName ?? value }));
    return () => {
      live = false;
    };
  }, [value]);
  const label = named && named.id === value ? named.label : undefined;
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => void findUsers(text).then((users) => live && setMatches(users)), 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text]);
  /** A suggestion the text names exactly (picked from the list, or typed whole). */
  const choose = (typed: string) => {
    const user = matches.find((candidate) => candidate.upn === typed || candidate.id === typed);
    if (user) {
      onChange(user.id);
      setText('');
    }
  };
  /** Enter: the user the text names, else the first who matches it (a display name), asked afresh: the list may be a keystroke behind. */
  const chooseFirst = async (typed: string) => {
    if (!typed.trim()) return;
    const found = await findUsers(typed);
    const user = found.find((candidate) => candidate.upn === typed || candidate.id === typed) ?? found[0];
    if (user) {
      onChange(user.id);
      setText('');
    }
  };
  if (value)
    return (
      <div className="filter-field">
        <span className="filter-label">User</span>
        <span className="chip" data-testid={testId}>
          {label ?? value}
          <button type="button" className="chip-remove" aria-label="Clear the user filter" onClick={() => onChange(undefined)}>
            ✕
          </button>
        </span>
      </div>
    );
  return (
    <div className="filter-field">
      <label htmlFor={id}>User</label>
      <input
        id={id}
        className="filter-input"
        data-testid={testId}
        list={`${id}-list`}
        value={text}
        placeholder="Any user"
        onChange={(event) => {
          setText(event.target.value);
          choose(event.target.value);
        }}
        onKeyDown={(event) => event.key === 'Enter' && void chooseFirst(text)}
      />
      <datalist id={`${id}-list`}>
        {matches.map((user) => (
          <option key={user.id} value={user.upn ?? user.id}>
            {user.displayName}
          </option>
        ))}
      </datalist>
    </div>
  );
}

/** From (inclusive) and to (exclusive), entered and shown in UTC, as the URL's instants are. */
export function TimeRange({ from, to, onChange }: { from?: string; to?: string; onChange: (range: { from?: string; to?: string }) => void }) {
  return (
    <div className="filter-field">
      <span className="filter-label" id="time-range-label">
        Time (UTC)
      </span>
      <div className="time-range" role="group" aria-labelledby="time-range-label">
        <TimeText label="From (UTC, inclusive)" testId="filter-from" value={from} onChange={(instant) => onChange({ from: instant, to })} />
        <span aria-hidden="true">–</span>
        <TimeText label="To (UTC, exclusive)" testId="filter-to" value={to} onChange={(instant) => onChange({ from, to: instant })} />
      </div>
    </div>
  );
}

/**
 * One end of the time filter, typed as `2026-10-29 14:30` and applied on Enter or when the field loses focus;
 * Escape puts back what is applied. What cannot be read stays in the field, marked, with the reason.
 */
function TimeText({ label, testId, value, onChange }: { label: string; testId: string; value?: string; onChange: (instant?: string) => void }) {
  const shown = instantToTimeText(value);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string>();
  const [lastShown, setLastShown] = useState(shown);
  const errorId = useId();
  // The applied value also changes from elsewhere ("±48 h around this", Clear all, the address bar).
  if (shown !== lastShown) {
    setLastShown(shown);
    setDraft(shown);
    setError(undefined);
  }
  const apply = () => {
    if (draft === shown) return setError(undefined);
    const parsed = parseTimeText(draft);
    setError(parsed.error);
    if (!parsed.error && parsed.instant !== value) onChange(parsed.instant);
  };
  return (
    <span className="time-text">
      <input
        type="text"
        inputMode="numeric"
        spellCheck={false}
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        data-testid={testId}
        placeholder="YYYY-MM-DD HH:MM"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply();
          if (event.key === 'Escape' && (draft !== shown || error)) {
            // Only a field with something to undo keeps Escape from closing a drawer or leaving the view.
            event.stopPropagation();
            setDraft(shown);
            setError(undefined);
          }
        }}
      />
      {error && (
        <span className="time-text-error" id={errorId} role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

/** What is filtered, as removable chips, and "Clear all". */
export function ActiveFilters({ chips, onClear }: { chips: { key: string; label: ReactNode; remove: () => void }[]; onClear: () => void }) {
  if (!chips.length) return null;
  return (
    <div className="active-filters" data-testid="active-filters">
      <span className="filter-label">Filtered by</span>
      {chips.map((chip) => (
        <span key={chip.key} className="chip chip-active">
          {chip.label}
          <button type="button" className="chip-remove" aria-label={`Remove filter ${chip.key}`} onClick={chip.remove}>
            ✕
          </button>
        </span>
      ))}
      <button type="button" className="button link" onClick={onClear} data-testid="clear-filters">
        Clear all
      </button>
    </div>
  );
}

/** Named filters kept in the workbench preferences: listed in the bar, one click to open, saved from the current URL. */
export function SavedFilters({ list, query, onOpen }: { list: WorkbenchList; query: string; onOpen: (query: string) => void }) {
  const saved = useWorkbench((state) => state.saved[list]);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const save = () => {
    if (!name.trim()) return;
    saveFilter(list, name.trim(), query);
    setName('');
    setNaming(false);
  };
  return (
    <div className="saved-filters" data-testid="saved-filters">
      <span className="filter-label">Saved</span>
      {saved.length === 0 && !naming && <span className="muted">none yet</span>}
      {saved.map((item) => (
        <span key={item.name} className={item.query === query ? 'chip chip-active' : 'chip'}>
          <button type="button" className="chip-open" onClick={() => onOpen(item.query)} aria-current={item.query === query ? 'true' : undefined}>
            {item.name}
          </button>
          <button type="button" className="chip-remove" aria-label={`Delete saved filter ${item.name}`} onClick={() => deleteFilter(list, item.name)}>
            ✕
          </button>
        </span>
      ))}
      {naming ? (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <input
            className="filter-input"
            aria-label="Name of the saved filter"
            data-testid="saved-filter-name"
            value={name}
            autoFocus
            onChange={(event) => setName(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.stopPropagation();
                setNaming(false);
              }
            }}
          />
          <button type="submit" className="button" disabled={!name.trim()}>
            Save
          </button>
        </form>
      ) : (
        <button type="button" className="button link" onClick={() => setNaming(true)} disabled={!query} data-testid="save-filter">
          Save this filter…
        </button>
      )}
    </div>
  );
}

/** Which columns the list shows, remembered per list. */
export function ColumnChooser({ list, columns }: { list: WorkbenchList; columns: { key: string; label: string }[] }) {
  const hidden = useWorkbench((state) => state.hidden[list]);
  const menu = useRef<HTMLDetailsElement>(null);
  useDismiss(menu);
  return (
    <details className="menu" data-testid="column-chooser" ref={menu}>
      <summary className="button">Columns</summary>
      <div className="menu-panel" role="group" aria-label="Columns shown">
        {columns.map((column) => (
          <label key={column.key} className="menu-check">
            <input type="checkbox" checked={!hidden.includes(column.key)} onChange={() => toggleColumn(list, column.key)} />
            {column.label}
          </label>
        ))}
      </div>
    </details>
  );
}

/**
 * A `<details>` menu closes as menus do: on Escape (before the view's own Escape closes a drawer behind it)
 * and on a press anywhere outside it.
 */
function useDismiss(menu: RefObject<HTMLDetailsElement | null>): void {
  useEffect(() => {
    const close = () => {
      const details = menu.current;
      if (!details?.open) return false;
      details.open = false;
      details.querySelector('summary')?.focus();
      return true;
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && close()) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    const onPress = (event: PointerEvent) => {
      if (menu.current?.open && !menu.current.contains(event.target as Node)) menu.current.open = false;
    };
    document.addEventListener('keydown', onKey, { capture: true });
    document.addEventListener('pointerdown', onPress);
    return () => {
      document.removeEventListener('keydown', onKey, { capture: true });
      document.removeEventListener('pointerdown', onPress);
    };
  }, [menu]);
}
