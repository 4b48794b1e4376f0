/**
 * No lost work, and notices that match the server (issue 13), in Chromium: unsaved editors and
 * forms ask before a tab switch, a link, the back button or a reload; the Evaluate form survives
 * tab switches and reloads; replacing the editor with the template and activating a version ask
 * first; after an upload, a rollback and an activation the page says what the server has active;
 * an invalid upload shows its error once; the diff wraps long lines with a readable fold marker;
 * versions, log callers and the admin's project list name principals; the log searches, filters
 * by caller name and exports the filtered range as CSV and JSON Lines.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newWindow, screenshot } from './support/browser';
import { ADMIN_KEY, createPrincipal, startGuiServer } from './support/gui-server';
import type { GuiServer } from './support/gui-server';

jest.setTimeout(90_000);

const policy = (version: string, action = 'view', note = '') => `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="urn:example:photos" Version="${version}"
  RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">
  <Description>Who may ${action} photos${note}</Description>
  <Target/>
  <Rule RuleId="${action}" Effect="Permit">
    <Target><AnyOf><AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${action}</AttributeValue><AttributeDesignator Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action" AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/></Match></AllOf></AnyOf></Target>
  </Rule>
</Policy>`;

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Domain sections' }).getByRole('link', { name, exact: true }).click();
}

async function typeInEditor(page: Page, label: string, text: string): Promise<void> {
  await page.locator(`.cm-content[aria-label="${label}"]`).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describe('no lost work, and notices that match the server', () => {
  let server: GuiServer;
  let browser: Browser;
  let win: BrowserContext;
  let page: Page;
  let nora: { id: string; key: string };
  let domainId = '';
  let pdpId = '';
  const leaveDialog = () => page.getByRole('dialog', { name: 'Leave without saving?' });
  const activeNow = async () => ((await server.api('GET', `/api/v1/domains/${domainId}/policies`, nora.key)).body as { items: { activeVersion: string | null }[] }).items[0]?.activeVersion;

  beforeAll(async () => {
    server = await startGuiServer();
    nora = await createPrincipal(server, 'nora', ['domain-owner']);
    const project = (await server.api('POST', '/api/v1/projects', nora.key, { name: 'nora-data' })).body as { id: string };
    const d = (await server.api('POST', `/api/v1/projects/${project.id}/domains`, nora.key, { name: 'ND1' })).body as { id: string; pdpId: string };
    domainId = d.id;
    pdpId = d.pdpId;
    const other = await createPrincipal(server, 'otto', ['domain-owner']);
    await server.api('POST', '/api/v1/projects', other.key, { name: 'otto-data' });
    browser = await launchBrowser();
    win = await newWindow(browser);
    page = await win.newPage();
    await page.goto(`${server.baseUrl}/ui/`);
    await page.getByLabel('API key').fill(nora.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    await page.goto(`${server.baseUrl}/ui/#/domains/${domainId}/policies`);
    await page.getByRole('heading', { name: 'Write or paste a policy' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks before a tab switch, a link or the back button discards the editor, and keeps it when you stay', async () => {
    await typeInEditor(page, 'Policy XML', policy('1.0'));
    await openTab(page, 'PDP & URL');
    await leaveDialog().waitFor();
    expect(await leaveDialog().textContent()).toContain('the policy in the editor is not saved');
    await leaveDialog().getByRole('button', { name: 'Stay here' }).click();
    expect(page.url()).toMatch(/\/policies$/);
    expect(await page.locator('.cm-content[aria-label="Policy XML"]').textContent()).toContain('Version="1.0"');
    // A link elsewhere in the GUI asks too.
    await page.getByRole('link', { name: 'Projects', exact: true }).first().click();
    await leaveDialog().getByRole('button', { name: 'Stay here' }).click();
    // The browser's back button: the address is put back while the page asks.
    await page.evaluate(() => history.back());
    await leaveDialog().waitFor();
    expect(page.url()).toMatch(/\/policies$/);
    await leaveDialog().getByRole('button', { name: 'Stay here' }).click();
    expect(await page.locator('.cm-content[aria-label="Policy XML"]').textContent()).toContain('Version="1.0"');
  });

  it('asks the browser to confirm a reload or close while there are unsaved changes', async () => {
    const asked = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    await page.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    expect(page.isClosed()).toBe(false);
    expect(await page.locator('.cm-content[aria-label="Policy XML"]').textContent()).toContain('Version="1.0"');
  });

  it('asks before "Start from a template" replaces the editor\'s text', async () => {
    await page.getByRole('button', { name: 'Start from a template' }).click();
    const ask = page.getByRole('dialog', { name: 'Replace the editor’s text?' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator('.cm-content[aria-label="Policy XML"]').textContent()).toContain('urn:example:photos');
  });

  it('after save, rollback and activation the page says what the server has active', async () => {
    await page.getByRole('button', { name: 'Validate and save' }).click();
    await page.getByTestId('deployment-notice').getByText('Saved and deployed: urn:example:photos v1.0').waitFor();
    await typeInEditor(page, 'Policy XML', policy('1.1', 'view', ' (and see the revision)'));
    await page.getByRole('button', { name: 'Validate and save' }).click();
    await page.getByTestId('deployment-notice').getByText('urn:example:photos v1.1').waitFor();
    expect(await page.getByTestId('active-set').textContent()).toContain('deployment #2 — urn:example:photos v1.1');
    // Saved: leaving no longer asks.
    await page.getByRole('button', { name: 'Roll back to the previous deployment' }).click();
    await page.getByRole('dialog', { name: 'Roll back?' }).getByRole('button', { name: 'Roll back' }).click();
    await page.getByTestId('deployment-notice').getByText('Rolled back: deployment #3 is active: urn:example:photos v1.0.').waitFor();
    expect(await page.getByTestId('active-set').textContent()).toContain('deployment #3 — urn:example:photos v1.0');
    expect(await page.getByText('Saved and deployed').count()).toBe(0);
    expect(await activeNow()).toBe('1.0');
    // A change made elsewhere: the notice about deployment #3 goes once the page learns of it.
    await server.api('POST', `/api/v1/domains/${domainId}/policies/urn%3Aexample%3Aphotos/versions/1.1/activate`, nora.key);
    await page.getByRole('link', { name: 'urn:example:photos' }).click();
    await page.getByRole('link', { name: '← All policies' }).click();
    await page.getByTestId('active-set').getByText('deployment #4 — urn:example:photos v1.1').waitFor();
    expect(await page.getByTestId('deployment-notice').count()).toBe(0);
  });

  it('asks before activating a version; cancelling changes nothing; the notice follows the server', async () => {
    await page.getByRole('link', { name: 'urn:example:photos' }).click();
    await page.getByRole('button', { name: 'Activate 1.0' }).click();
    const ask = page.getByRole('dialog', { name: 'Activate version 1.0?' });
    await ask.waitFor();
    expect(await ask.textContent()).toContain('replaces version 1.1');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    expect(await activeNow()).toBe('1.1');
    await page.getByRole('button', { name: 'Activate 1.0' }).click();
    await ask.getByRole('button', { name: 'Activate 1.0' }).click();
    await page.getByTestId('activation-notice').getByText('Version 1.0 of urn:example:photos is now active').waitFor();
    expect(await activeNow()).toBe('1.0');
    // Versions name who stored them.
    expect(await page.getByTestId('version-by').allTextContents()).toEqual(['nora', 'nora']);
  });

  it('wraps long lines in the diff and folds unchanged lines behind a readable marker', async () => {
    const long = `  <Description>${'A very long description that goes on and on '.repeat(12)}</Description>`;
    const lines = policy('2.0').split('\n');
    const text = [...lines.slice(0, 2), long, ...Array.from({ length: 12 }, (_, i) => `  <!-- unchanged line ${i} -->`), ...lines.slice(3)].join('\n');
    const base = [...lines.slice(0, 2), '  <Description>short</Description>', ...Array.from({ length: 12 }, (_, i) => `  <!-- unchanged line ${i} -->`), ...lines.slice(3)].join('\n').replace('Version="2.0"', 'Version="1.9"');
    for (const t of [base, text]) expect((await server.api('POST', `/api/v1/domains/${domainId}/policies`, nora.key, { policies: [{ text: t }], activate: false })).status).toBe(201);
    await page.reload();
    await page.locator('.cm-mergeView').waitFor();
    await page.locator('select').filter({ hasText: '1.9' }).first().selectOption('1.9');
    await page.locator('select').nth(1).selectOption('2.0');
    const marker = page.locator('.cm-collapsedLines').first();
    await marker.waitFor();
    expect(await marker.textContent()).toMatch(/^··· \d+ unchanged lines \(click to show\) ···$/);
    expect(await marker.evaluate((el) => getComputedStyle(el, '::before').content)).toBe('none');
    const fits = await page.locator('.cm-mergeView .cm-scroller').first().evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits).toBe(true);
    await screenshot(page, 'nlw-diff-wrapped');
  });

  it('keeps the Evaluate form through tab switches and a reload', async () => {
    await openTab(page, 'Evaluate');
    await page.locator('input[name="value-subject-subject-id"]').fill('bob');
    await page.locator('input[name="value-action-action-id"]').fill('view');
    await page.getByLabel('XACML XML', { exact: true }).check();
    await openTab(page, 'Sample PIP');
    await openTab(page, 'Evaluate');
    expect(await page.locator('input[name="value-subject-subject-id"]').inputValue()).toBe('bob');
    expect(await page.getByLabel('XACML XML', { exact: true }).isChecked()).toBe(true);
    await page.reload();
    expect(await page.locator('input[name="value-action-action-id"]').inputValue()).toBe('view');
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    expect(await page.getByTestId('evaluation-result').locator('.decision .badge').textContent()).toBe('Permit');
  });

  it('guards the PDP configuration form, and shows the server\'s values after discarding', async () => {
    await openTab(page, 'PDP & URL');
    await page.getByLabel('Decision log detail').selectOption('full');
    await openTab(page, 'Sample PIP');
    await leaveDialog().waitFor();
    await leaveDialog().getByRole('button', { name: 'Discard changes and leave' }).click();
    await page.getByRole('heading', { name: 'Sample PIP attributes' }).waitFor();
    await openTab(page, 'PDP & URL');
    expect(await page.getByLabel('Decision log detail').inputValue()).toBe('decision');
    // Typed but not saved in the PIP form: guarded as well.
    await openTab(page, 'Sample PIP');
    await page.locator('input[name="pip-entity"]').fill('photo-9');
    await openTab(page, 'Settings');
    await leaveDialog().getByRole('button', { name: 'Stay here' }).click();
    expect(await page.locator('input[name="pip-entity"]').inputValue()).toBe('photo-9');
    await page.getByRole('button', { name: 'Clear' }).click();
  });

  it('shows an invalid upload\'s error once', async () => {
    await openTab(page, 'Policies');
    await page.locator('input[name="policy-files"]').setInputFiles({ name: 'broken.xml', mimeType: 'application/xml', buffer: Buffer.from('<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="b" Version="1.0">\n  <Target>\n</Policy>') });
    await page.getByRole('button', { name: /Validate and deploy 1 file/ }).click();
    await page.getByTestId('files-refused').waitFor();
    expect(await page.getByText(/Malformed XML/).count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(1);
    // Refused by the server (an unknown function): one alert, the issue once, at its file.
    const unknown = policy('9.0').replace('urn:oasis:names:tc:xacml:1.0:function:string-equal', 'urn:example:no-such-function');
    await page.locator('input[name="policy-files"]').setInputFiles({ name: 'unknown.xml', mimeType: 'application/xml', buffer: Buffer.from(unknown) });
    await page.getByRole('button', { name: /Validate and deploy 1 file/ }).click();
    await page.getByTestId('file-issue').waitFor();
    expect(await page.getByText(/no-such-function/).count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(1);
    await screenshot(page, 'nlw-invalid-upload');
    await page.locator('input[name="policy-files"]').setInputFiles([]);
  });

  it('searches the log, filters by caller name and exports the filtered range as CSV and JSON Lines', async () => {
    const dc = (await server.api('POST', `/api/v1/domains/${domainId}/controllers`, nora.key, { name: 'dc-nora' })).body as { apiKey: string };
    for (const [subject, action] of [['bob', 'view'], ['carol', 'view'], ['bob', 'print']] as const) {
      await fetch(`${server.baseUrl}/pdp/${pdpId}/access/v1/evaluation`, { method: 'POST', headers: { Authorization: `Bearer ${dc.apiKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: { type: 'user', id: subject }, action: { name: action }, resource: { type: 'photo', id: `photo-${subject}` } }) });
    }
    await page.goto(`${server.baseUrl}/ui/#/domains/${domainId}/log`);
    const table = page.getByTestId('log-table');
    await table.waitFor();
    await page.locator('input[name="filter-caller"]').fill('dc-nora');
    await page.locator('input[name="filter-q"]').fill('BOB');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-table"] tbody tr').length === 2);
    expect(await page.getByTestId('log-subject').allTextContents()).toEqual(['bob', 'bob']);
    expect(await table.locator('tbody tr').first().textContent()).toContain('print');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^decisions-.*\.csv$/);
    const rows = readFileSync((await csv.path()) ?? '', 'utf8').trim().split('\n');
    expect(rows[0]).toBe('time,txId,decision,status,subject,action,resource,callerId,callerName,testedBy,format,policies,obligations,durationMs');
    expect(rows.slice(1).map((r) => r.split(',').slice(4, 6).join(' '))).toEqual(['bob print', 'bob view']);
    const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON Lines' }).click()]);
    const entries = readFileSync((await jsonl.path()) ?? '', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { subject: string; callerName: string; decision: string });
    expect(entries.map((e) => [e.subject, e.callerName, e.decision])).toEqual([
      ['bob', 'dc-nora', 'Deny'],
      ['bob', 'dc-nora', 'Permit'],
    ]);
  });

  it('shows the admin whose project each is', async () => {
    const admin = await browser.newContext();
    const p = await admin.newPage();
    await p.goto(`${server.baseUrl}/ui/`);
    await p.getByLabel('API key').fill(ADMIN_KEY);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Other principals’ projects' }).waitFor();
    const cards = await p.locator('.cards li').evaluateAll((lis) => lis.map((li) => [li.querySelector('strong')?.textContent, li.querySelector('[data-testid="project-owner"]')?.textContent]));
    expect(cards.sort()).toEqual([
      ['nora-data', 'Owner: nora · '],
      ['otto-data', 'Owner: otto · '],
    ]);
    await admin.close();
  });
});
