/**
 * Accessibility and layout of every page (issue 13), in Chromium: axe-core (WCAG 2.1 A/AA and
 * best practices) reports no serious or critical violation, and the document is never wider
 * than the window, at 1280 and 390 px in the light and the dark scheme; a screenshot of each
 * page in each of the four (test-output/screenshots/a11y-*). Then the specific promises: the
 * Evaluate result is announced and focused, the Deny badge's contrast, link names that match
 * their text, keyboard-focusable read-only viewers, dark mode, favicon, the API docs link.
 */
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTrustService } from '../../trust-services/src/start';
import type { RunningService } from '../../trust-services/src/start';
import { contrastOf, seriousViolations, sidewaysOverflow } from './support/a11y';
import type { AxeViolation } from './support/a11y';
import { launchBrowser, newWindow, openRoute, screenshot } from './support/browser';
import { ADMIN_KEY, createPrincipal, startGuiServer } from './support/gui-server';
import type { GuiServer } from './support/gui-server';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..', '..');
const SAMPLES = join(ROOT, 'policies', 'samples');
const AR = ['ar1-bob-views-photos.xml', 'ar2-bob-views-business-plan.xml', 'ar3-mayo-neurologist-views-health-records.xml', 'ar4-deny-everything-else.xml'].map((f) => readFileSync(join(SAMPLES, f), 'utf8'));
const AR1_V2 = readFileSync(join(SAMPLES, 'ar1-bar-bob-views-and-modifies-photos.xml'), 'utf8');
const SEED: unknown = JSON.parse(readFileSync(join(ROOT, 'apps', 'trust-services', 'data', 'credential.seed.json'), 'utf8'));

const VARIANTS = [
  { width: 1280, height: 900, scheme: 'light' },
  { width: 390, height: 844, scheme: 'light' },
  { width: 1280, height: 900, scheme: 'dark' },
  { width: 390, height: 844, scheme: 'dark' },
] as const;

interface Finding {
  readonly page: string;
  readonly overflow: number;
  readonly violations: readonly AxeViolation[];
}

describe('every page is accessible and fits the window', () => {
  let server: GuiServer;
  let credential: RunningService;
  let browser: Browser;
  let ana: { id: string; key: string };
  let projectId = '';
  let domainId = '';
  let txId = '';

  beforeAll(async () => {
    server = await startGuiServer();
    credential = await startTrustService('credential', { seed: SEED });
    const provider = await createPrincipal(server, 'trust-provider', ['trust-service-provider']);
    expect((await server.api('POST', '/api/v1/services', provider.key, credential.descriptor)).status).toBe(201);
    ana = await createPrincipal(server, 'ana', ['domain-owner']);
    const other = await createPrincipal(server, 'ben', ['domain-owner']);
    await server.api('POST', '/api/v1/projects', other.key, { name: 'ben-data', description: 'another owner’s project' });
    projectId = ((await server.api('POST', '/api/v1/projects', ana.key, { name: 'ana-data', description: 'photos and health records' })).body as { id: string }).id;
    const d = (await server.api('POST', `/api/v1/projects/${projectId}/domains`, ana.key, { name: 'AD1', description: 'photos at DCI' })).body as { id: string; pdpId: string };
    domainId = d.id;
    expect((await server.api('POST', `/api/v1/domains/${domainId}/policies`, ana.key, { policies: AR.map((text) => ({ text })) })).status).toBe(201);
    expect((await server.api('POST', `/api/v1/domains/${domainId}/policies`, ana.key, { policies: [{ text: AR1_V2 }] })).status).toBe(201);
    // Two versions to compare; 1.0 (Bob views photos) is the active one.
    expect((await server.api('POST', `/api/v1/domains/${domainId}/policies/${encodeURIComponent('urn:safax:sample:alice:AR1')}/versions/1.0/activate`, ana.key)).status).toBe(200);
    await server.api('PUT', `/api/v1/domains/${domainId}/pdp`, ana.key, { logDetail: 'full', rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides' });
    await server.api('POST', `/api/v1/domains/${domainId}/pip/attributes`, ana.key, { attributes: [{ category: 'resource', entity: 'photo-17', attribute: 'urn:safax:sample:resource:type', datatype: 'string', values: ['photo'] }] });
    const dc = (await server.api('POST', `/api/v1/domains/${domainId}/controllers`, ana.key, { name: 'dc-ana' })).body as { apiKey: string };
    for (const [subject, action] of [['bob', 'view'], ['bob', 'delete'], ['eve', 'view']] as const) {
      const r = await fetch(`${server.baseUrl}/pdp/${d.pdpId}/access/v1/evaluation`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${dc.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ subject: { type: 'user', id: subject }, action: { name: action }, resource: { type: 'photo', id: 'photo-17' } }),
      });
      expect(r.status).toBe(200);
    }
    const tested = await server.api('POST', `/api/v1/domains/${domainId}/test-evaluations`, ana.key, { asController: 'dc-ana', format: 'authzen', body: JSON.stringify({ subject: { type: 'user', id: 'bob' }, action: { name: 'view' }, resource: { type: 'photo', id: 'photo-17' } }) });
    txId = (tested.body as { txId: string }).txId;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await credential?.close();
  });

  /** Signs in by putting the key where the GUI keeps it, then opens the route. */
  async function open(page: Page, key: string | null, route: string, ready: (p: Page) => Promise<unknown>): Promise<void> {
    await openRoute(page, server.baseUrl, route, key);
    await ready(page);
  }

  it.each(VARIANTS)('at $width px, $scheme: no serious or critical axe violation and no sideways scrolling on any page', async (v) => {
    const win = await newWindow(browser, { viewport: { width: v.width, height: v.height }, colorScheme: v.scheme, origin: server.baseUrl });
    const page = await win.newPage();
    const findings: Finding[] = [];
    const tag = `${v.width}-${v.scheme}`;
    const check = async (name: string) => {
      findings.push({ page: name, overflow: await sidewaysOverflow(page), violations: await seriousViolations(page) });
      await screenshot(page, `a11y-${name}-${tag}`);
    };
    const heading = (name: string | RegExp, level = 1) => (p: Page) => p.getByRole('heading', { name, level }).waitFor();
    const d = `/domains/${domainId}`;

    await open(page, null, '/', heading('SAFAX-TS'));
    await check('sign-in');
    await open(page, ana.key, '/projects', heading('Projects'));
    await check('projects');
    await open(page, ana.key, `/projects/${projectId}`, heading('ana-data'));
    await check('project');
    await open(page, ana.key, `/projects/${projectId}/audit`, (p) => p.getByTestId('audit-table').waitFor());
    await check('project-audit');
    await open(page, ana.key, `${d}/policies`, (p) => p.getByTestId('policy-table').waitFor());
    await check('domain-policies');
    await open(page, ana.key, `${d}/policies/${encodeURIComponent('urn:safax:sample:alice:AR1')}`, (p) => p.getByTestId('diff').locator('.cm-mergeView').waitFor());
    await check('policy-versions-diff');
    await open(page, ana.key, `${d}/pdp`, (p) => p.getByLabel('Root combining algorithm').waitFor());
    await check('domain-pdp');
    await open(page, ana.key, `${d}/controllers`, heading('Domains controllers', 2));
    await page.locator('input[name="new-controller"]').fill(`dc-${tag}`);
    await page.getByRole('button', { name: 'Create controller and key' }).click();
    await page.getByTestId('new-controller').waitFor();
    await check('domain-controllers-new-key');
    await page.getByRole('button', { name: 'I have stored the key' }).click();
    await open(page, ana.key, `${d}/pip`, (p) => p.getByTestId('pip-table').waitFor());
    await check('domain-pip');
    await open(page, ana.key, `${d}/evaluate`, heading('Evaluate a request', 2));
    await page.locator('input[name="value-subject-subject-id"]').fill('bob');
    await page.locator('input[name="value-action-action-id"]').fill('delete');
    await page.locator('input[name="value-resource-resource-id"]').fill('photo-17');
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.getByTestId('evaluation-result').getByTestId('trace').waitFor();
    await check('domain-evaluate-result');
    await open(page, ana.key, `${d}/log`, (p) => p.getByTestId('log-table').waitFor());
    await check('domain-log');
    await open(page, ana.key, `${d}/log/${txId}`, (p) => p.getByTestId('log-entry').locator('.cm-content').first().waitFor());
    await check('domain-log-entry');
    await open(page, ana.key, `${d}/settings`, heading('Domain details', 2));
    await check('domain-settings');
    await open(page, ana.key, '/services', (p) => p.getByTestId('udf-signature').waitFor());
    await check('services');
    await open(page, ana.key, '/audit', (p) => p.getByTestId('audit-table').waitFor());
    await check('my-activity');
    await open(page, ADMIN_KEY, '/audit', (p) => p.getByTestId('audit-table').waitFor());
    await check('admin-audit');
    await open(page, ADMIN_KEY, '/projects', (p) => p.getByTestId('project-owner').first().waitFor());
    await check('admin-projects');
    await win.close();

    const problems = findings.filter((f) => f.overflow > 0 || f.violations.length > 0);
    expect(problems).toEqual([]);
    expect(findings).toHaveLength(17);
  });

  it('announces the Evaluate result in a live region, focuses it and brings it into view', async () => {
    const win = await newWindow(browser, { viewport: { width: 1280, height: 700 } });
    const page = await win.newPage();
    await open(page, ana.key, `/domains/${domainId}/evaluate`, (p) => p.getByRole('heading', { name: 'Evaluate a request' }).waitFor());
    const live = page.getByTestId('evaluation-announcement');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    expect(await live.getAttribute('role')).toBe('status');
    await page.locator('input[name="value-subject-subject-id"]').fill('bob');
    await page.locator('input[name="value-action-action-id"]').fill('view');
    await page.locator('input[name="value-resource-resource-id"]').fill('photo-17');
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.getByTestId('evaluation-result').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="evaluation-announcement"]')?.textContent === 'Decision: Permit.');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('evaluation-result');
    const top = await page.getByTestId('evaluation-result').evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(700);
    await win.close();
  });

  it('gives the Deny badge at least 4.5:1 contrast, in both schemes', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const win = await newWindow(browser, { colorScheme: scheme });
      const page = await win.newPage();
      await open(page, ana.key, `/domains/${domainId}/log`, (p) => p.getByTestId('log-table').waitFor());
      await page.locator('.badge-deny').first().waitFor();
      expect([scheme, await contrastOf(page, '.badge-deny')]).toEqual([scheme, expect.any(Number)]);
      expect(await contrastOf(page, '.badge-deny')).toBeGreaterThanOrEqual(4.5);
      expect(await contrastOf(page, '.badge-permit')).toBeGreaterThanOrEqual(4.5);
      await win.close();
    }
  });

  it('names links by their visible text, keeps read-only viewers in the tab order, follows dark mode, and has a favicon and the API docs link', async () => {
    const win = await newWindow(browser);
    const page = await win.newPage();
    await open(page, ana.key, `/domains/${domainId}/log`, (p) => p.getByTestId('log-table').waitFor());
    // Each time link's accessible name starts with the time it shows (no aria-label replacing it).
    const links = await page.getByTestId('log-table').locator('tbody a').evaluateAll((as) => as.map((a) => ({ label: a.getAttribute('aria-label'), text: (a.textContent ?? '').trim(), visible: (a.childNodes[0]?.textContent ?? '').trim() })));
    expect(links.length).toBeGreaterThan(3);
    for (const l of links) {
      expect(l.label).toBeNull();
      expect(l.text.startsWith(l.visible)).toBe(true);
    }
    // A logged request is a read-only viewer the keyboard reaches.
    await page.goto(`${server.baseUrl}/ui/#/domains/${domainId}/log/${txId}`);
    const viewer = page.locator('.cm-content[aria-label="Logged request"]');
    await viewer.waitFor();
    expect(await viewer.getAttribute('tabindex')).toBe('0');
    expect(await viewer.getAttribute('aria-readonly')).toBe('true');
    await page.getByRole('link', { name: 'Back to the log' }).focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Logged request');
    }
    expect(reached).toBe(true);
    // The curl examples are focusable, named regions too.
    await page.goto(`${server.baseUrl}/ui/#/domains/${domainId}/pdp`);
    await page.getByText('XACML JSON Profile').click();
    expect(await page.locator('details.example[open] pre').getAttribute('tabindex')).toBe('0');
    // The header links to the API docs, which are served.
    const docs = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /API docs/ });
    expect(await docs.getAttribute('href')).toBe('/docs/');
    expect((await fetch(`${server.baseUrl}/docs/`)).status).toBe(200);
    // The favicon.
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    const res = await fetch(`${server.baseUrl}${icon ?? ''}`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, expect.stringContaining('image/svg+xml')]);
    // Dark mode from prefers-color-scheme.
    const light = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(light).not.toBe(dark);
    expect(dark).toBe('rgb(18, 24, 33)');
    await win.close();
  });
});
