/**
 * Keyboard helpers shared by the views: single-letter shortcuts (j, k, /) must never fire while the
 * analyst is typing, and a list's selection moves within its bounds.
 */
import { useEffect, useRef } from 'react';

/** True when a key press belongs to a text field or an editable element, not to the app. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  if (element.tagName === 'TEXTAREA' || element.tagName === 'SELECT') return true;
  if (element.tagName !== 'INPUT') return false;
  // Buttons, checkboxes and radios are inputs too, but take no text.
  const type = (element as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

/** A plain key: no Ctrl, Cmd or Alt, so browser and OS shortcuts pass through untouched. */
export function isPlainKey(event: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
  return !event.ctrlKey && !event.metaKey && !event.altKey;
}

/** The row after moving by `delta` (j: +1, k: −1), clamped to the list; from no selection, the first row. */
export function moveIndex(current: number, delta: number, length: number): number {
  if (length === 0) return -1;
  if (current < 0) return delta < 0 ? length - 1 : 0;
  return Math.min(length - 1, Math.max(0, current + delta));
}

/** True when a modal (the command palette, a confirmation) owns the keyboard. */
export function modalIsOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/**
 * Listens to key presses on the whole document while the component is mounted. The handler is read
 * through a ref so callers can pass a fresh closure every render without re-subscribing.
 */
export function useDocumentKeys(handler: (event: KeyboardEvent) => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => latest.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}
