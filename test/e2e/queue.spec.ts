/**
 * The alerts queue and the activity log as an analyst works them, on the demo workspace: filters narrow to
 * counts computed here from the demo's own files (parsed under Node, deduplicated by record id, judged by
 * the filter predicates that define the store's answers), the URL carries every filter through reload and
 * the back button, bulk triage persists, pivots land on the right filter, and axe finds nothing serious.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { parseAll } from '../../shared/formats/parse.ts';
import type { NormalizedRecord } from '../../shared/model/records.ts';
import { matchesActivityFilter, matchesAlertFilter, type ActivityFilter, type AlertFilter } from '../../renderer/db/filters.ts';
import { DEFAULT_POLICIES, policyVerdict } from '../../shared/score/policies.ts';
import { expect, loadAllCount, loadedFilter, seriousViolations, test } from './fixtures.ts';

const screens = 'test-results/screens';
const demoRoot = fileURLToPath(new URL('../../resources/demo', import.meta.url));

async function demoRecords(): Promise<NormalizedRecord[]> {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  const byId = new Map<string, NormalizedRecord>();
  for (const file of walk(demoRoot)) {
    if (file.endsWith('.md') || file.endsWith('ground-truth.json')) continue;
    const { records } = await parseAll(relative(demoRoot, file), readFileSync(file));
    for (const record of records) byId.set(record.id, record);
  }
  return [...byId.values()];
}

/** How many demo records a filter accepts (filters here never name a user, so attribution does not matter). */
function expectedAlerts(records: NormalizedRecord[], filter: AlertFilter): number {
  // The queue leaves out what the default policies hide (Settings → Policies; policies.spec checks those counts on its own).
  return records.filter(
    (r) =>
      (r.kind === 'alert' || r.kind === 'riskDetection') &&
      !policyVerdict({ userId: '', record: r }, DEFAULT_POLICIES).hidden &&
      matchesAlertFilter({ ...r, userId: '' }, filter),
  ).length;
}
function expectedActivities(records: NormalizedRecord[], filter: ActivityFilter): number {
  return records.filter((r) => (r.kind === 'signIn' || r.kind === 'activity') && matchesActivityFilter({ ...r, userId: '' }, filter)).length;
}

async function loadDemo(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.goto('/#/imports');
  await expect(page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
}

const loaded = loadedFilter;

/** axe and a full-page screenshot in both themes. */
async function checkThemes(page: Page, name: string): Promise<void> {
  mkdirSync(screens, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    expect(await seriousViolations(page), `axe on ${name} (${theme})`).toEqual([]);
    await page.screenshot({ path: `${screens}/${name}-${theme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the alerts queue filters, sorts, keeps its filter in the URL and triages in bulk', async ({ watched: page }) => {
  test.setTimeout(240_000);
  const records = await demoRecords();
  await loadDemo(page);

  await page.goto('/#/alerts');
  await loaded(page, 'alerts', '');
  expect(await loadAllCount(page, 'alerts')).toBe(expectedAlerts(records, {}));
  // The option counts are asked for once the first page is shown, and count what the queue can show.
  for (const severity of ['high', 'medium', 'low'] as const) {
    const label = severity[0]!.toUpperCase() + severity.slice(1);
    const count = expectedAlerts(records, { severities: [severity] });
    await expect(page.getByTestId('filter-severity').getByRole('button', { name: new RegExp(`^${label}`) })).toHaveText(new RegExp(`^${label}\\s*${count}$`));
  }

  // A URL opens its filter; the view does not rewrite a canonical one.
  await page.goto('/#/alerts?source=defender-for-identity');
  await loaded(page, 'alerts', 'source=defender-for-identity');
  const mdi = expectedAlerts(records, { sources: ['defender-for-identity'] });
  expect(mdi).toBeGreaterThan(0);
  expect(await loadAllCount(page, 'alerts')).toBe(mdi);
  // Defender for Identity's alerts are the queue's "Active Directory" app.
  await page.goto('/#/alerts?app=Active+Directory');
  await loaded(page, 'alerts', 'app=Active+Directory');
  expect(await loadAllCount(page, 'alerts')).toBe(expectedAlerts(records, { apps: ['Active Directory'] }));

  // Filters from the bar combine, and land in the URL.
  await page.goto('/#/alerts?source=defender-for-identity');
  await loaded(page, 'alerts', 'source=defender-for-identity');
  await page.getByTestId('filter-severity').getByRole('button', { name: /^High/ }).click();
  await loaded(page, 'alerts', 'source=defender-for-identity&severity=high');
  const mdiHigh = expectedAlerts(records, { sources: ['defender-for-identity'], severities: ['high'] });
  expect(await loadAllCount(page, 'alerts')).toBe(mdiHigh);
  await page
    .getByTestId('filter-severity')
    .getByRole('button', { name: /^Medium/ })
    .click();
  await loaded(page, 'alerts', 'source=defender-for-identity&severity=high%2Cmedium');
  expect(await loadAllCount(page, 'alerts')).toBe(expectedAlerts(records, { sources: ['defender-for-identity'], severities: ['high', 'medium'] }));

  // Reload keeps the filter; back walks to the one before.
  await page.reload();
  await loaded(page, 'alerts', 'source=defender-for-identity&severity=high%2Cmedium');
  await page.goBack();
  await loaded(page, 'alerts', 'source=defender-for-identity&severity=high');
  expect(await loadAllCount(page, 'alerts')).toBe(mdiHigh);

  // A time range: from inclusive, to exclusive, as instants in the URL.
  const times = records
    .filter((r) => r.kind === 'alert' || r.kind === 'riskDetection')
    .map((r) => r.time)
    .sort((a, b) => a - b);
  const from = new Date(times[Math.floor(times.length / 4)]!).toISOString();
  const to = new Date(times[Math.floor((times.length * 3) / 4)]!).toISOString();
  const range = new URLSearchParams({ from, to }).toString();
  await page.goto(`/#/alerts?${range}`);
  await loaded(page, 'alerts', range);
  expect(await loadAllCount(page, 'alerts')).toBe(expectedAlerts(records, { from: Date.parse(from), to: Date.parse(to) }));
  // The fields show it in 24-hour UTC whatever the OS's locale, and take what is typed there on Enter.
  const shownAs = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, iso.endsWith(':00.000Z') ? 16 : iso.endsWith('.000Z') ? 19 : 23)}`;
  await expect(page.getByTestId('filter-from')).toHaveValue(shownAs(from));
  await expect(page.getByTestId('filter-to')).toHaveValue(shownAs(to));
  const typedFrom = `${from.slice(0, 10)} 00:00`;
  await page.getByTestId('filter-from').fill(typedFrom);
  await page.getByTestId('filter-from').press('Enter');
  const widened = new URLSearchParams({ from: `${from.slice(0, 10)}T00:00:00.000Z`, to }).toString();
  await loaded(page, 'alerts', widened);
  expect(await loadAllCount(page, 'alerts')).toBe(expectedAlerts(records, { from: Date.parse(`${from.slice(0, 10)}T00:00:00Z`), to: Date.parse(to) }));
  // What cannot be read says why and changes nothing; Escape puts back what is applied.
  await page.getByTestId('filter-to').fill('10/29/2026 2:30 PM');
  await page.getByTestId('filter-to').press('Enter');
  await expect(page.getByTestId('filter-to')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'write it as 2026-10-29' })).toBeVisible();
  await page.getByTestId('filter-to').press('Escape');
  await expect(page.getByTestId('filter-to')).toHaveValue(shownAs(to));
  await expect(page.getByTestId('filter-to')).not.toHaveAttribute('aria-invalid', 'true');
  await loaded(page, 'alerts', widened);

  // Text and a type filter, and sorting by severity (highest first) then reversed.
  await page.goto('/#/alerts?sort=-severity');
  await loaded(page, 'alerts', 'sort=-severity');
  const table = page.getByTestId('alerts-table');
  await expect(table.locator('tbody tr[data-index="0"]')).toContainText('High');
  await page.getByTestId('sort-severity').click();
  await loaded(page, 'alerts', 'sort=severity');
  await expect(table.locator('tbody tr[data-index="0"]')).not.toContainText('High');
  await expect(table.locator('th[aria-sort="ascending"]')).toContainText('Severity');

  // Bulk: the new alerts, three of them (click, then shift-click a range) set to resolved.
  await page.goto('/#/alerts?status=new');
  await loaded(page, 'alerts', 'status=new');
  const newBefore = expectedAlerts(records, { statuses: ['new'] });
  expect(await loadAllCount(page, 'alerts')).toBe(newBefore);
  const resolvedBefore = expectedAlerts(records, { statuses: ['resolved'] });
  await table.locator('tbody tr[data-index="0"] input[type=checkbox]').click();
  await table.locator('tbody tr[data-index="2"] input[type=checkbox]').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('bulk-bar')).toContainText('3 selected');
  await checkThemes(page, 'queue-alerts-selection');
  await page.getByTestId('bulk-status').selectOption('resolved');
  // The list is re-read after the write: the three leave this filter, and the selection with them.
  await expect(page.getByTestId('alerts-table-count')).toHaveText(new RegExp(`^${newBefore - 3} shown`));
  await expect(page.getByTestId('bulk-bar')).toBeHidden();
  // The filter's option counts follow the change too (the demo's queue is small enough to be counted whole).
  await expect(page.getByTestId('filter-status').locator('option[value="new"]')).toHaveText(`New (${newBefore - 3})`);
  // Said, and undoable: Undo puts the three back in this filter, as an edit of its own.
  await expect(page.getByRole('status')).toContainText('3 alerts set to Resolved in this workspace.');
  await page.getByTestId('notice-action').click();
  await expect(page.getByRole('status')).toContainText('Undone: 3 alerts back as they were.');
  await expect(page.getByTestId('alerts-table-count')).toHaveText(new RegExp(`^${newBefore} shown`));
  await table.locator('tbody tr[data-index="0"] input[type=checkbox]').click();
  await table.locator('tbody tr[data-index="2"] input[type=checkbox]').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('bulk-bar')).toContainText('3 selected');
  await page.getByTestId('bulk-status').selectOption('resolved');
  await expect(page.getByTestId('alerts-table-count')).toHaveText(new RegExp(`^${newBefore - 3} shown`));
  await page.reload();
  await loaded(page, 'alerts', 'status=new');
  expect(await loadAllCount(page, 'alerts')).toBe(newBefore - 3);
  await page.goto('/#/alerts?status=resolved');
  await loaded(page, 'alerts', 'status=resolved');
  expect(await loadAllCount(page, 'alerts')).toBe(resolvedBefore + 3);
  await expect(table.locator('.local-mark')).toHaveCount(3);

  // The drawer: every field, triage with its log, related alerts, raw data.
  await table
    .locator('tbody tr', { has: page.locator('.local-mark') })
    .first()
    .click();
  const details = page.getByTestId('record-details');
  await expect(details.getByTestId('triage-log')).toContainText('status New → Resolved');
  await expect(details.getByTestId('related-alerts')).toContainText('Same type');
  // The format by its name, not the parser's id.
  await expect(details.locator('.field', { hasText: 'Format' }).locator('dd')).not.toHaveText(/^[a-z0-9-]+$/);
  await details.getByText('View raw data').click();
  await expect(details.getByTestId('raw-data')).not.toHaveText('Loading…');
  // Scrolled to its end, the drawer still shows what it is about and how to close it.
  await details.evaluate((drawer) => (drawer.scrollTop = drawer.scrollHeight));
  await expect(details.getByRole('button', { name: 'Close details' })).toBeInViewport();
  await checkThemes(page, 'queue-alerts-drawer');
  await page.keyboard.press('Escape');

  // Columns chosen stay chosen.
  await page.getByTestId('column-chooser').locator('summary').click();
  await page.getByTestId('column-chooser').getByLabel('Policy').check();
  await expect(table.locator('thead')).toContainText('Policy');
  // The menu closes as menus do: Escape, or a press outside it.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('column-chooser')).not.toHaveAttribute('open');
  await page.getByTestId('column-chooser').locator('summary').click();
  await expect(page.getByTestId('column-chooser')).toHaveAttribute('open');
  await page.getByRole('heading', { level: 1 }).click();
  await expect(page.getByTestId('column-chooser')).not.toHaveAttribute('open');
  await page.reload();
  await loaded(page, 'alerts', 'status=resolved');
  await expect(table.locator('thead')).toContainText('Policy');

  // A saved filter is listed and opens its URL.
  await page.getByTestId('save-filter').click();
  await page.getByTestId('saved-filter-name').fill('Resolved here');
  await page.getByTestId('saved-filter-name').press('Enter');
  await page.goto('/#/alerts');
  await loaded(page, 'alerts', '');
  await page.getByTestId('saved-filters').getByRole('button', { name: 'Resolved here', exact: true }).click();
  await loaded(page, 'alerts', 'status=resolved');

  await page.goto('/#/alerts?source=defender-for-identity&severity=high');
  await loaded(page, 'alerts', 'source=defender-for-identity&severity=high');
  await checkThemes(page, 'queue-alerts-filtered');
});

test('the activity log filters, offers suggested queries and pivots from a row', async ({ watched: page }) => {
  test.setTimeout(240_000);
  const records = await demoRecords();
  await loadDemo(page);

  await page.goto('/#/activities');
  await loaded(page, 'activities', '');
  await checkThemes(page, 'queue-activities');

  // The user filter takes a person's name as typed, not only an exact UPN.
  await page.getByTestId('filter-user').fill('rafael zeller');
  await page.getByTestId('filter-user').press('Enter');
  await expect(page.getByTestId('filter-user')).toContainText('rafael.zeller@', { timeout: 10_000 });
  await expect(page).toHaveURL(/[?&]user=/);

  // Each suggested query narrows to what its predicate accepts.
  for (const [name, preset] of [
    ['Failed sign-ins', 'failed-sign-ins'],
    ['Admin activities', 'admin-activities'],
    ['Downloads', 'downloads'],
    ['Mailbox activities', 'mailbox'],
    ['Password changes', 'password-changes'],
  ] as const) {
    await page.goto('/#/activities');
    await loaded(page, 'activities', '');
    await page.getByTestId('activity-presets').getByRole('button', { name }).click();
    await loaded(page, 'activities', `preset=${preset}`);
    const expected = expectedActivities(records, { preset });
    expect(expected, preset).toBeGreaterThan(0);
    expect(await loadAllCount(page, 'activities'), preset).toBe(expected);
  }
  // Failed sign-ins are failures of the sign-in kinds only.
  expect(expectedActivities(records, { preset: 'failed-sign-ins' })).toBe(
    expectedActivities(records, { types: ['signIn', 'onPremLogon', 'workloadSignIn'], result: 'failure' }),
  );

  // URL filters: an address, a result, a type, combined.
  const ips = new Map<string, number>();
  for (const r of records) if ((r.kind === 'signIn' || r.kind === 'activity') && r.ipAddress) ips.set(r.ipAddress, (ips.get(r.ipAddress) ?? 0) + 1);
  const ip = [...ips].filter(([, count]) => count >= 5 && count <= 60).sort((a, b) => b[1] - a[1])[0]![0];
  await page.goto(`/#/activities?ip=${ip}`);
  await loaded(page, 'activities', `ip=${ip}`);
  expect(await loadAllCount(page, 'activities')).toBe(expectedActivities(records, { ip }));
  await page.goto('/#/activities?type=signIn&result=failure');
  await loaded(page, 'activities', 'type=signIn&result=failure');
  expect(await loadAllCount(page, 'activities')).toBe(expectedActivities(records, { types: ['signIn'], result: 'failure' }));

  // Pivots: from a row of this address to its country, back, to its user, and to the 48 hours around it.
  await page.goto(`/#/activities?ip=${ip}`);
  await loaded(page, 'activities', `ip=${ip}`);
  const table = page.getByTestId('activities-table');
  await table.locator('tbody tr[data-index="0"]').click();
  const details = page.getByTestId('record-details');
  await expect(details.getByTestId('activity-pivots')).toBeVisible();
  await checkThemes(page, 'queue-activities-drawer');
  const first = records.find((r) => (r.kind === 'signIn' || r.kind === 'activity') && r.ipAddress === ip && r.location?.country);
  await details.getByTestId('pivot-country').click();
  const countryUrl = new URL(page.url()).hash.split('?')[1] ?? '';
  expect(countryUrl).toMatch(/^country=[A-Z]{2}$/);
  const country = new URLSearchParams(countryUrl).get('country')!;
  expect(first).toBeDefined();
  await loaded(page, 'activities', countryUrl);
  expect(await loadAllCount(page, 'activities')).toBe(expectedActivities(records, { country }));
  await page.goBack();
  await loaded(page, 'activities', `ip=${ip}`);

  await table.locator('tbody tr[data-index="0"]').click();
  const userLabel = (await table.locator('tbody tr[data-index="0"] td[data-col=user]').textContent()) ?? '';
  await page.getByTestId('pivot-user').click();
  await expect(page).toHaveURL(/#\/activities\?user=/);
  const userQuery = new URL(page.url()).hash.split('?')[1]!;
  await loaded(page, 'activities', userQuery);
  const users = await table.locator('tbody tr[data-index] td[data-col=user]').allTextContents();
  expect(users.length).toBeGreaterThan(0);
  // As actor or as target: every row is the user's own, or names them as the target of a change.
  expect(users.filter((label) => label === userLabel).length).toBeGreaterThan(users.length / 2);

  await page.goto(`/#/activities?ip=${ip}`);
  await loaded(page, 'activities', `ip=${ip}`);
  await table.locator('tbody tr[data-index="0"]').click();
  const shownTime = await page.getByTestId('record-details').locator('time').first().getAttribute('datetime');
  await page.getByTestId('pivot-around').click();
  const around = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
  expect(around.get('ip')).toBe(ip);
  const center = Date.parse(shownTime ?? '');
  expect(Date.parse(around.get('from')!)).toBe(center - 48 * 3_600_000);
  expect(Date.parse(around.get('to')!)).toBe(center + 48 * 3_600_000);
  await loaded(page, 'activities', around.toString());
  expect(await loadAllCount(page, 'activities')).toBe(
    expectedActivities(records, { ip, from: Date.parse(around.get('from')!), to: Date.parse(around.get('to')!) }),
  );

  // The IP cell is itself a pivot.
  await page.goto('/#/activities?preset=failed-sign-ins');
  await loaded(page, 'activities', 'preset=failed-sign-ins');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('record-details')).toHaveCount(0);
  const cellIp = (await table.locator('tbody tr[data-index="0"] .cell-pivot').first().textContent())!;
  await table.locator('tbody tr[data-index="0"] .cell-pivot').first().click();
  await loaded(page, 'activities', new URLSearchParams({ ip: cellIp }).toString());
  await checkThemes(page, 'queue-activities-ip');
});
