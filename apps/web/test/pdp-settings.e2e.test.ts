/**
 * The PDP tab edits every setting of the PDP configuration, in Chromium: how long the decision
 * log keeps entries (an out-of-range value is refused and nothing is saved), and which trust
 * service answers a function (pin one of the enabled udf services offered, replace it, unpin);
 * what the API then holds is checked through the API, and the tab stays free of serious axe
 * violations with pins shown.
 */
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/a11y';
import { launchBrowser, newWindow, openRoute, screenshot } from './support/browser';
import { createPrincipal, startGuiServer } from './support/gui-server';
import type { GuiServer } from './support/gui-server';

jest.setTimeout(90_000);

const URN = 'urn:example:gui:pin:check';
const OTHER_URN = 'urn:example:gui:pin:other';

const udf = (id: string, functionUrn: string) => ({
  id,
  provider: { id: 'tsp', name: 'Pin Test TSP' },
  endpoint: `http://127.0.0.1:9/${id}`,
  method: 'POST',
  type: 'udf',
  functionUrn,
  requestFormat: 'json',
  responseFormat: 'json',
  requestParameters: [{ name: 'user', datatype: 'http://www.w3.org/2001/XMLSchema#string' }],
  responseParameters: [{ name: 'result', datatype: 'http://www.w3.org/2001/XMLSchema#boolean', location: { kind: 'json-pointer', pointer: '/result' } }],
});

interface Config {
  readonly logRetentionDays: number | null;
  readonly trustedServices: Record<string, string>;
  readonly logDetail: string;
}

describe('the PDP tab edits retention and pinned trust services', () => {
  let server: GuiServer;
  let browser: Browser;
  let page: Page;
  let owner: { id: string; key: string };
  let domainId = '';

  const stored = async (): Promise<Config> => (await server.api('GET', `/api/v1/domains/${domainId}/pdp`, owner.key)).body as Config;
  const save = async () => {
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  };

  beforeAll(async () => {
    server = await startGuiServer();
    owner = await createPrincipal(server, 'petra', ['domain-owner']);
    const tsp = await createPrincipal(server, 'pin-tsp', ['trust-service-provider']);
    for (const [id, urn] of [['pin-a', URN], ['pin-b', URN], ['pin-other', OTHER_URN], ['pin-off', OTHER_URN]] as const) {
      const r = await server.api('POST', '/api/v1/services', tsp.key, udf(id, urn));
      if (r.status !== 201) throw new Error(`registering ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    expect((await server.api('POST', '/api/v1/services/pin-off/disable', tsp.key)).status).toBe(200);
    const project = (await server.api('POST', '/api/v1/projects', owner.key, { name: 'pins' })).body as { id: string };
    domainId = ((await server.api('POST', `/api/v1/projects/${project.id}/domains`, owner.key, { name: 'PD1' })).body as { id: string }).id;
    browser = await launchBrowser();
    page = await (await newWindow(browser)).newPage();
    await openRoute(page, server.baseUrl, `/domains/${domainId}/pdp`, owner.key);
    await page.getByLabel('Root combining algorithm').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sets the log retention, refuses 0 without saving anything, and clears it', async () => {
    const retention = page.locator('input[name="log-retention-days"]');
    expect(await retention.inputValue()).toBe('');
    await retention.fill('30');
    await save();
    expect((await stored()).logRetentionDays).toBe(30);

    // Out of range: the browser names the bound and nothing is sent, the other change included.
    await retention.fill('0');
    await page.getByLabel('Decision log detail').selectOption('full');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    expect(await retention.evaluate((el: HTMLInputElement) => el.validationMessage)).toMatch(/1/);
    const after = await stored();
    expect(after.logRetentionDays).toBe(30);
    expect(after.logDetail).toBe('decision');

    await retention.fill('');
    await page.getByLabel('Decision log detail').selectOption('decision');
    await save();
    expect((await stored()).logRetentionDays).toBeNull();
  });

  it('pins an enabled udf service, replaces the pin, and unpins', async () => {
    const choose = page.locator('select[name="trust-pin"]');
    const offered = await choose.locator('option').allTextContents();
    // Enabled udf services only: the disabled one is not offered.
    expect(offered.filter((o) => o.startsWith('urn:'))).toEqual([`${URN} — pin-a (Pin Test TSP)`, `${URN} — pin-b (Pin Test TSP)`, `${OTHER_URN} — pin-other (Pin Test TSP)`]);

    await choose.selectOption('pin-a');
    await page.getByRole('button', { name: 'Pin', exact: true }).click();
    await choose.selectOption('pin-other');
    await page.getByRole('button', { name: 'Pin', exact: true }).click();
    await save();
    expect((await stored()).trustedServices).toEqual({ [URN]: 'pin-a', [OTHER_URN]: 'pin-other' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'pdp-pinned-services');

    // Unpinning and pinning the same service again is no change: nothing to undo or save.
    await page.getByRole('button', { name: `Unpin ${URN}` }).click();
    expect(await page.getByRole('button', { name: 'Undo changes' }).count()).toBe(1);
    await choose.selectOption('pin-a');
    await page.getByRole('button', { name: 'Pin', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Undo changes' }).count()).toBe(0);

    // A second pin for the same function replaces the first.
    await choose.selectOption('pin-b');
    await page.getByRole('button', { name: 'Pin', exact: true }).click();
    await page.getByRole('button', { name: `Unpin ${OTHER_URN}` }).click();
    await save();
    expect((await stored()).trustedServices).toEqual({ [URN]: 'pin-b' });
    expect(await page.getByTestId('trusted-services').locator('tbody tr').allTextContents()).toEqual([`${URN}pin-bUnpin`]);

    await page.getByRole('button', { name: `Unpin ${URN}` }).click();
    await save();
    expect((await stored()).trustedServices).toEqual({});
    await page.getByText('No function is pinned.').waitFor();
  });
});
