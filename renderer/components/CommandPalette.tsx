import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { listUsers } from '../db/repo.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { rankCommands, type Command } from './commands.ts';
import { moveIndex } from './keyboard.ts';

/**
 * Ctrl/Cmd+K: jump to any view or user, switch theme or time zone, import. A modal <dialog>, so the
 * browser makes the page behind it inert (focus stays inside) and hands focus back when it closes;
 * the list follows the ARIA combobox pattern, so a screen reader hears the highlighted command.
 */
export function CommandPalette({
  open,
  onClose,
  commands,
  openUser,
}: {
  open: boolean;
  onClose: () => void;
  commands: Command[];
  openUser: (id: string) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const users = useStoreQuery(() => (open ? listUsers() : Promise.resolve([])), [open]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    else if (!open && element.open) element.close();
  }, [open]);

  // Cleared as it closes, not as it opens: keys typed right after Ctrl+K would otherwise land on the
  // previous query still in the input before React re-renders it empty. Every way of closing (Escape,
  // a command, the backdrop, Ctrl+K again) ends in the dialog's close event, which calls this.
  const close = () => {
    setQuery('');
    setActive(0);
    onClose();
  };

  const userCommands: Command[] =
    users.status === 'ready'
      ? users.data.map((user) => ({
          id: `user:${user.id}`,
          label: user.displayName || user.upn || user.id,
          group: 'User',
          keywords: [user.upn, user.objectId].filter(Boolean).join(' '),
          run: () => openUser(user.id),
        }))
      : [];
  // Users only appear once the analyst types: an empty query lists what the app can do.
  const matches = rankCommands(query.trim() ? [...commands, ...userCommands] : commands, query);
  const current = Math.min(active, matches.length - 1);

  const run = (command: Command | undefined) => {
    if (!command) return;
    close();
    // Synchronously, inside the key or click event: a file picker only opens on a user gesture.
    command.run();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(moveIndex(current, event.key === 'ArrowDown' ? 1 : -1, matches.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      run(matches[current]);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="palette"
      aria-label="Command palette"
      onClose={close}
      onClick={(event) => event.target === dialog.current && close()}
      data-testid="command-palette"
    >
      <input
        className="palette-input"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-options"
        aria-autocomplete="list"
        aria-activedescendant={matches[current] ? `palette-${matches[current].id}` : undefined}
        aria-label="Search commands and users"
        placeholder="Go to a view or a user, switch theme or time zone, import…"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        autoComplete="off"
        spellCheck={false}
      />
      <ul id="palette-options" role="listbox" aria-label="Commands" className="palette-list">
        {matches.map((command, index) => (
          <li
            key={command.id}
            id={`palette-${command.id}`}
            role="option"
            aria-selected={index === current}
            className={index === current ? 'palette-option active' : 'palette-option'}
            onClick={() => run(command)}
            onMouseMove={() => index !== current && setActive(index)}
          >
            <span className="palette-label">{command.label}</span>
            <span className="palette-meta">
              {command.shortcut && <kbd>{command.shortcut}</kbd>}
              <span className="palette-group">{command.group}</span>
            </span>
          </li>
        ))}
        {matches.length === 0 && (
          <li className="palette-empty" role="option" aria-selected="false" aria-disabled="true">
            Nothing matches “{query}”.
          </li>
        )}
      </ul>
      <p className="palette-help">
        <kbd>↑</kbd> <kbd>↓</kbd> to choose · <kbd>Enter</kbd> to run · <kbd>Esc</kbd> to close
      </p>
    </dialog>
  );
}
