const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZone: 'UTC',
});

/** Times are shown in UTC, labelled, so analysts comparing with portal exports see the same instant. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return `${dateTime.format(ms)} UTC`;
}

export function formatNumber(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "unfamiliarFeatures" → "Unfamiliar features": Entra's camelCase vocabulary, readable. */
export function humanize(word: string | undefined): string {
  if (!word) return '—';
  const spaced = word.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return (
    spaced.charAt(0).toUpperCase() +
    spaced
      .slice(1)
      .toLowerCase()
      .replace(/\bip\b/g, 'IP')
      .replace(/\bmfa\b/g, 'MFA')
  );
}
