import { useEffect, useState } from 'react';

/**
 * The view's search field: `/` focuses it from anywhere (App.tsx looks for data-view-search), Escape
 * clears it, and the view hears the text once typing pauses, not on every key.
 */
export function SearchBox({
  label,
  placeholder,
  onSearch,
  delayMs = 200,
}: {
  label: string;
  placeholder: string;
  onSearch: (text: string) => void;
  delayMs?: number;
}) {
  const [text, setText] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => onSearch(text.trim()), delayMs);
    return () => clearTimeout(timer);
  }, [text, delayMs, onSearch]);
  return (
    <div className="search-box">
      <input
        type="search"
        data-view-search
        aria-label={label}
        aria-keyshortcuts="/"
        placeholder={placeholder}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            if (text) setText('');
            else event.currentTarget.blur();
          }
        }}
      />
      <kbd aria-hidden="true">/</kbd>
    </div>
  );
}
