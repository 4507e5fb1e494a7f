import { usePreferences } from '../state/preferences.ts';
import { formatTime, formatTimeBare, zoneLabel, type TimeZonePreference } from './format.ts';

export function useTimeZone(): TimeZonePreference {
  return usePreferences((state) => state.timeZone);
}

/**
 * An instant in the chosen zone, with the other zone on hover, so switching is never needed just to
 * compare with a portal. `bare` leaves the zone to the column header.
 */
export function Time({ value, bare = false }: { value: number | undefined; bare?: boolean }) {
  const zone = useTimeZone();
  if (value === undefined || !Number.isFinite(value)) return <span className="muted">—</span>;
  const other = zone === 'utc' ? 'local' : 'utc';
  return (
    <time dateTime={new Date(value).toISOString()} title={formatTime(value, other)} className="time">
      {bare ? formatTimeBare(value, zone) : formatTime(value, zone)}
    </time>
  );
}

/** A column header naming the zone its bare times are in: "Time (UTC)". */
export function TimeHeader({ label }: { label: string }) {
  const zone = useTimeZone();
  return (
    <>
      {label} ({zoneLabel(zone)})
    </>
  );
}
