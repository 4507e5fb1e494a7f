/**
 * The command palette's vocabulary and its matching: pure, so ranking is tested without a browser.
 */
export interface Command {
  id: string;
  label: string;
  group: string;
  /** Extra words that should find it ("dark", "theme", "UTC"). */
  keywords?: string;
  /** The direct shortcut, shown beside it so the palette teaches the keyboard. */
  shortcut?: string;
  run: () => void;
}

/**
 * How well a command answers a query: every word of the query must occur in its label, group or
 * keywords. Lower is better; undefined means no match. 0: the label starts with the query; 1: each
 * query word starts a word of the label; 2: each occurs somewhere in the label; 3: some only in the
 * group or keywords.
 */
export function matchScore(command: Pick<Command, 'label' | 'keywords' | 'group'>, query: string): number | undefined {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 0;
  const label = command.label.toLowerCase();
  const haystack = `${label} ${command.group.toLowerCase()} ${command.keywords?.toLowerCase() ?? ''}`;
  if (!words.every((word) => haystack.includes(word))) return undefined;
  const phrase = words.join(' ');
  if (label.startsWith(phrase)) return 0;
  const labelWords = label.split(/[\s:·,()@.]+/);
  if (words.every((word) => labelWords.some((part) => part.startsWith(word)))) return 1;
  if (words.every((word) => label.includes(word))) return 2;
  return 3;
}

/** The commands that match, best first, ties kept in the order given (views before users). */
export function rankCommands<C extends Pick<Command, 'label' | 'keywords' | 'group'>>(commands: readonly C[], query: string, limit = 50): C[] {
  return commands
    .map((command, index) => ({ command, index, score: matchScore(command, query) }))
    .filter((entry): entry is { command: C; index: number; score: number } => entry.score !== undefined)
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.command);
}
