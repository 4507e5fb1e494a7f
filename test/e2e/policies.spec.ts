import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, loadAllCount, loadedFilter, readStores, seriousViolations, test } from './fixtures.ts';

/**
 * Settings → Policies and the user page's decisions on the demo workspace: a slider shows its effect
 * before saving (the counts are worked out here from the raw store, not by the app's policy code),
 * saving hides alerts from the queue and moves scores and ranks with no re-import, the settings
 * survive a reload, and a local decision changes the user's risk state until it is reset.
 */

const screens = 'test-results/screens';

async function loadDemo(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.goto('/#/imports');
  await expect(page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
}

/** Axe in both themes, a full-page screenshot of each, and one of the panel alone (readable at a glance). */
async function look(page: Page, name: string, panel: string): Promise<void> {
  await expect(page.getByTestId('loading')).toHaveCount(0);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), `axe on ${name} (${scheme})`).toEqual([]);
    mkdirSync(screens, { recursive: true });
    await page.screenshot({ path: `${screens}/${name}-${scheme}.png`, fullPage: true });
    await page.getByTestId(panel).screenshot({ path: `${screens}/${name}-panel-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Every row of the alerts queue, paging with "Show more" until the end. */
async function queueSize(page: Page, query = ''): Promise<number> {
  await page.goto(`/#/alerts${query ? `?${query}` : ''}`);
  await loadedFilter(page, 'alerts', query);
  return loadAllCount(page, 'alerts');
}

interface RawItem {
  kind: string;
  severity?: string;
  riskLevel?: string;
  riskEventType?: string;
  title?: string;
  serviceSource?: string;
}

/** Identity Protection's items as the raw store holds them: detections, and alerts its service raised. */
function identityProtection(rows: Record<string, unknown[]>): { level: string; name: string }[] {
  const detections = (rows.riskDetections as RawItem[]).map((d) => ({ level: d.riskLevel!, name: d.riskEventType! }));
  const alerts = (rows.alerts as RawItem[])
    .filter((a) => /identityprotection/i.test(a.serviceSource ?? ''))
    .map((a) => ({ level: a.severity!, name: a.title! }));
  return [...detections, ...alerts];
}

/** Leaked credentials has its own policy; user-risk detections (an admin's confirmation) are under neither. */
const notSignInRisk = /leaked ?credentials|admin ?confirmed ?user ?compromised/i;

test('a policy is previewed, saved, applied to the queue and the scores without re-import, and kept across a reload', async ({ watched: page }) => {
  test.setTimeout(300_000);
  await loadDemo(page);
  const queueBefore = await queueSize(page);
  const raw = await readStores(page, ['riskDetections', 'alerts', 'imports']);
  const items = identityProtection(raw).filter((item) => !notSignInRisk.test(item.name));
  const medium = items.filter((item) => item.level === 'medium').length;
  const high = items.filter((item) => item.level === 'high').length;
  expect(medium).toBeGreaterThan(0);
  expect(high).toBeGreaterThan(0);

  await page.goto('/#/settings');
  const panel = page.getByTestId('policies-panel');
  await expect(panel.getByTestId('policy-count-ip:riskySignIn')).toContainText('hides');
  const hiddenNow = Number(/hides ([\d,]+)/.exec((await panel.getByTestId('policy-count-ip:riskySignIn').textContent()) ?? '')![1]);
  expect(hiddenNow).toBe(items.filter((item) => item.level !== 'high').length);
  await expect(panel.getByTestId('policy-whatif')).toContainText('No unsaved changes');

  // The Risky sign-in slider from High to Medium: its medium alerts would come back.
  const slider = panel.getByTestId('policy-riskySignIn-threshold');
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(panel.getByText('Medium: medium and high')).toBeVisible();
  // In the demo they are older than the 7-day window, so they would move no score: the preview says so.
  await expect(panel.getByTestId('policy-whatif-summary')).toHaveText(`Saving would show ${medium} alerts now hidden, and move no user’s score or rank.`);

  // Back to High, and the policy off: every high sign-in risk would go.
  await page.keyboard.press('ArrowRight');
  await expect(panel.getByTestId('policy-whatif')).toContainText('No unsaved changes');
  await panel.getByTestId('policy-riskySignIn-enabled').uncheck();
  await expect(panel.getByTestId('policy-whatif-summary')).toContainText(`Saving would hide ${high} alerts`);
  await expect(panel.getByTestId('policy-movers').locator('tbody tr').first()).toBeVisible();
  await look(page, 'settings-policies-whatif', 'policies-panel');
  const mover = panel.getByTestId('policy-movers').locator('tbody tr').first();
  const moverName = (await mover.locator('td').nth(0).textContent())!;
  const scoreAfter = (await mover.locator('td').nth(2).locator('strong').textContent())!;
  const rankAfter = (await mover.locator('td').nth(4).textContent())!;
  const moverHref = (await mover.locator('a').getAttribute('href'))!;

  await panel.getByTestId('policies-save').click();
  await expect(panel.getByTestId('policy-saved')).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId('policy-count-ip:riskySignIn')).toContainText(`hides ${hiddenNow + high} alerts`);

  // The queue lost exactly those alerts; nothing was imported again.
  expect(await queueSize(page)).toBe(queueBefore - high);
  expect((await readStores(page, ['imports'])).imports!.length).toBe(raw.imports!.length);

  // The analyst can audit what the policies now hide: every sign-in risk, listed alone on demand, each
  // row naming the policy, the drawer giving the reason; listed beside the others it adds up to the whole.
  await page.goto('/#/alerts');
  await loadedFilter(page, 'alerts', '');
  await expect(page.getByTestId('policy-hidden-note')).toContainText(`${hiddenNow + high} alerts and detections are hidden by policies`);
  await page.getByTestId('policy-hidden-only').click();
  await loadedFilter(page, 'alerts', 'hidden=only');
  expect(await loadAllCount(page, 'alerts')).toBe(items.length);
  const table = page.getByTestId('alerts-table');
  for (const text of await table.locator('tbody tr[data-index] td[data-col=policyHidden]').allTextContents())
    expect(text).toBe('Hidden by policy: Risky sign-in');
  await table.locator('tbody tr[data-index="0"]').click();
  await expect(page.getByTestId('policy-hidden-details')).toContainText('Risky sign-in: the Risky sign-in (Identity Protection) policy is off.');
  await look(page, 'queue-policy-hidden', 'alerts-table');
  await page.keyboard.press('Escape');
  await page.getByTestId('policy-hidden-show').click();
  await loadedFilter(page, 'alerts', 'hidden=show');
  expect(await loadAllCount(page, 'alerts')).toBe(queueBefore - high + items.length);
  await page.getByTestId('policy-hidden-hide').click();
  await loadedFilter(page, 'alerts', '');
  await expect(table.locator('td[data-col=policyHidden]')).toHaveCount(0);

  // The user the preview named first has the score and rank it announced.
  await page.goto(`/${moverHref}`);
  await expect(page.getByTestId('user-title')).toBeVisible();
  await expect(page.getByTestId('score-value')).toHaveText(scoreAfter);
  await expect(page.getByTestId('score-panel')).toContainText(`rank ${rankAfter} of`);
  expect(moverName.length).toBeGreaterThan(0);

  // A reload keeps the settings, the queue and the scores.
  await page.reload();
  await expect(page.getByTestId('score-value')).toHaveText(scoreAfter);
  await page.goto('/#/settings');
  await expect(page.getByTestId('policy-riskySignIn-enabled')).not.toBeChecked();

  // Excluding the user of the DCSync alert would mark that one alert, not hide it; discarding forgets the draft.
  const dcsync = (raw.alerts as (RawItem & { userId: string })[]).filter((a) => a.title?.startsWith('Suspected DCSync'));
  expect(dcsync).toHaveLength(1);
  const row = page.getByTestId('detection-policies').locator('tr', { hasText: 'Suspected DCSync' });
  await row.getByRole('button', { name: 'Add exclusions' }).click();
  await row.getByTestId('exclusions-users').fill(dcsync[0]!.userId);
  await expect(page.getByTestId('policy-whatif-summary')).toContainText('Saving would mark 1 alert excluded');
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByTestId('policy-whatif')).toContainText('No unsaved changes');
  expect(await queueSize(page)).toBe(queueBefore - high);
});

test('a local decision changes the user’s risk state and priority, is signed, and reverts when reset', async ({ watched: page }) => {
  test.setTimeout(240_000);
  await loadDemo(page);
  // The last user of the ranking: a decision moves them visibly.
  await page.goto('/#/users');
  const rows = page.getByTestId('users-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await rows.nth(5).click();
  await expect(page.getByTestId('user-title')).toBeVisible();
  const panel = page.getByTestId('decisions-panel');
  const label = panel.getByTestId('decision-risk-label');
  await expect(label).toBeVisible();
  const before = (await label.textContent())!;
  expect(before).not.toContain('local decision');
  const rankBefore = /rank (\d+) of/.exec((await page.getByTestId('score-panel').textContent())!)![1];

  // Nothing is chosen for the analyst: with a note and a name, Record still waits for a decision.
  await panel.getByTestId('decision-note').fill('Called the user: they did not sign in from Lagos.');
  await panel.getByTestId('decision-by').fill('Ada Analyst');
  await expect(panel.getByTestId('decision-save')).toBeDisabled();
  await expect(panel.locator('input[name="decision-kind"]:checked')).toHaveCount(0);
  await panel.getByTestId('decision-confirmCompromised').check();
  await expect(panel.getByTestId('decision-save')).toHaveText('Record: Confirm compromised');
  await panel.getByTestId('decision-save').click();
  await expect(panel.locator('input[name="decision-kind"]:checked')).toHaveCount(0);

  await expect(label).toHaveText('high (local decision, not applied in the tenant)', { timeout: 30_000 });
  await expect(panel.getByTestId('decision-effect')).toContainText('Confirmed compromised');
  await expect(page.getByTestId('score-panel')).toContainText('confirmed compromised: ranked first');
  // Where the user's risk is shown, the local decision shows, marked local, with what the tenant reported.
  await expect(page.getByTestId('user-risk')).toHaveAttribute('data-source', 'local');
  await expect(page.getByTestId('user-risk')).toContainText('Confirmed compromised');
  const log = panel.getByTestId('decision-log');
  await expect(log.locator('tbody tr')).toHaveCount(1);
  await expect(log.locator('tbody tr').first()).toContainText('Confirm compromised');
  await expect(log.locator('tbody tr').first()).toContainText('Ada Analyst');
  await expect(log.locator('tbody tr').first()).toContainText('Called the user');
  await expect(log.locator('tbody tr').first()).toContainText('in effect');
  await look(page, 'user-decisions', 'decisions-panel');

  // The name is asked once: it stays for the next decision, after a reload too.
  await page.reload();
  await expect(panel.getByTestId('decision-by')).toHaveValue('Ada Analyst');
  await expect(label).toHaveText('high (local decision, not applied in the tenant)');

  await panel.getByTestId('decision-revoke').click();
  await panel.getByTestId('revoke-note').fill('Wrong user: the sign-in was a colleague’s.');
  await panel.getByTestId('revoke-save').click();
  await expect(label).toHaveText(before, { timeout: 30_000 });
  await expect(log.locator('tbody tr').first()).toContainText('Reset by Ada Analyst');
  await expect(page.getByTestId('score-panel')).toContainText(`rank ${rankBefore} of`);
});
