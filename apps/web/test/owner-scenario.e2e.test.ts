/**
 * The web GUI in Debian's headless Chromium against a real API (issue 5): Alice signs in,
 * creates a project and a domain, uploads her AR1–AR4 policies, configures the PDP and copies
 * its PDP-URL, fills the sample PIP, authorises DCI, evaluates Bob's "view photo" (Permit) and
 * "delete photo" (Deny) as DCI (the API's test evaluation: no controller key), opens the log
 * entries and sees the rule that decided from the PDP's recorded trace; Validate compiles an
 * invalid policy on the server, shows its error at its line and stores nothing; versions diff; a
 * real guest works in its own throw-away domain and cannot reach hers, in the GUI or the API.
 * Screenshots go to test-output/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTrustService } from '../../trust-services/src/start';
import type { RunningService } from '../../trust-services/src/start';
import { launchBrowser, newWindow, screenshot } from './support/browser';
import { ADMIN_KEY, createPrincipal, startGuiServer } from './support/gui-server';
import type { GuiServer } from './support/gui-server';

jest.setTimeout(60_000);

const CREDENTIAL_UDF = 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential';

const SAMPLES = join(__dirname, '..', '..', '..', 'policies', 'samples');
const AR_FILES = ['ar1-bob-views-photos.xml', 'ar2-bob-views-business-plan.xml', 'ar3-mayo-neurologist-views-health-records.xml', 'ar4-deny-everything-else.xml'].map((f) => join(SAMPLES, f));
const AR_IDS = ['urn:safax:sample:alice:AR1', 'urn:safax:sample:alice:AR2', 'urn:safax:sample:alice:AR3', 'urn:safax:sample:alice:AR4'];
const CREDENTIAL_SEED: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'trust-services', 'data', 'credential.seed.json'), 'utf8'));

/** Replaces the whole content of a CodeMirror editor as a user would (focus, select all, type). */
async function typeInEditor(page: Page, label: string, text: string): Promise<void> {
  const content = page.locator(`.cm-content[aria-label="${label}"]`);
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Opens a tab of the domain page. */
async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Domain sections' }).getByRole('link', { name, exact: true }).click();
}

describe('the web GUI, driven in Chromium', () => {
  let server: GuiServer;
  let credentialService: RunningService;
  let browser: Browser;
  let aliceWindow: BrowserContext;
  let page: Page;
  let alice: { id: string; key: string };
  let dcOne: { id: string; key: string };
  let domainId = '';
  let pdpId = '';

  beforeAll(async () => {
    server = await startGuiServer();
    alice = await createPrincipal(server, 'alice', ['domain-owner']);
    dcOne = await createPrincipal(server, 'dc-one', ['domains-controller']);
    // AR3 calls the credential trust service: the real one, on loopback, registered by its provider.
    credentialService = await startTrustService('credential', { seed: CREDENTIAL_SEED });
    const provider = await createPrincipal(server, 'safax-trust-services', ['trust-service-provider']);
    const udf = await server.api('POST', '/api/v1/services', provider.key, credentialService.descriptor);
    expect(udf.status).toBe(201);
    browser = await launchBrowser();
    aliceWindow = await newWindow(browser, { origin: server.baseUrl });
    page = await aliceWindow.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await credentialService?.close();
  });

  it('refuses a wrong API key and signs Alice in with hers', async () => {
    await page.goto(`${server.baseUrl}/ui/`);
    await screenshot(page, '01-sign-in');
    await page.getByLabel('API key').fill('sfx_not_a_real_key_at_all_000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('This API key is not valid').waitFor();
    await page.getByLabel('API key').fill(alice.key);
    await page.getByLabel('API key').press('Enter');
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('alice');
  });

  it('creates a project and a domain', async () => {
    await page.locator('input[name="project-name"]').fill('alice-data');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'alice-data', level: 1 }).waitFor();
    await page.locator('input[name="domain-name"]').fill('AD1');
    await page.locator('input[name="domain-description"]').fill('photos at DCI');
    await page.getByRole('button', { name: 'Create domain' }).click();
    await page.getByRole('heading', { name: 'AD1', level: 1 }).waitFor();
    domainId = decodeURIComponent(/#\/domains\/([^/]+)/.exec(page.url())?.[1] ?? '');
    const d = await server.api('GET', `/api/v1/domains/${domainId}`, alice.key);
    expect(d.status).toBe(200);
    pdpId = (d.body as { pdpId: string }).pdpId;
    expect(pdpId).not.toBe('');
  });

  it('uploads AR1–AR4 as files, deployed together', async () => {
    await page.locator('input[name="policy-files"]').setInputFiles(AR_FILES);
    await page.getByRole('button', { name: /Validate and deploy 4 file/ }).click();
    await page.getByRole('status').filter({ hasText: 'Saved and deployed' }).waitFor();
    const table = page.getByTestId('policy-table');
    for (const id of AR_IDS) await table.getByRole('link', { name: id }).waitFor();
    await screenshot(page, '02-policies');
  });

  it('shows an invalid policy\'s error at its line and stores nothing', async () => {
    const bad = [
      '<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="urn:example:broken" Version="1.0"',
      '  RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">',
      '  <Target/>',
      '  <Rule RuleId="r" Effect="Permit">',
      '    <Condition>',
      '      <Apply FunctionId="urn:example:no-such-function">',
      '        <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">x</AttributeValue>',
      '      </Apply>',
      '    </Condition>',
      '  </Rule>',
      '</Policy>',
    ].join('\n');
    const stored = async () => {
      const list = await server.api('GET', `/api/v1/domains/${domainId}/policies`, alice.key);
      const deployments = await server.api('GET', `/api/v1/domains/${domainId}/deployments`, alice.key);
      return { policies: (list.body as { items: { policyId: string }[] }).items.map((p) => p.policyId).sort(), deployments: (deployments.body as { items: unknown[] }).items.length };
    };
    const before = await stored();
    await typeInEditor(page, 'Policy XML', bad);
    // Validate: the server compiles it like an upload (the XML is well-formed: only the server finds the unknown function).
    await page.getByRole('button', { name: 'Validate', exact: true }).click();
    const issues = page.getByTestId('editor-issues');
    await issues.waitFor();
    expect(await issues.textContent()).toMatch(/Line 6: .*unknown function urn:example:no-such-function/);
    // The editor marks the line too (CodeMirror lint), on line 6.
    await page.locator('.cm-lintRange-error').first().waitFor();
    expect(await page.locator('.cm-lintRange-error').first().textContent()).toContain('no-such-function');
    await screenshot(page, '03-invalid-policy');
    expect(await stored()).toEqual(before);
    expect(before.policies).toEqual(AR_IDS);
    // Saving it is refused the same way, and stores nothing either.
    await page.getByRole('button', { name: 'Validate and save' }).click();
    await page.getByText('Nothing was saved.').waitFor();
    expect(await issues.textContent()).toMatch(/Line 6: .*unknown function/);
    expect(await stored()).toEqual(before);

    // A valid one validates without being stored.
    await typeInEditor(page, 'Policy XML', bad.replace('urn:example:no-such-function', 'urn:oasis:names:tc:xacml:1.0:function:string-is-in').replace('<AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">x</AttributeValue>', '<AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">x</AttributeValue><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-bag"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">x</AttributeValue></Apply>'));
    await page.getByRole('button', { name: 'Validate', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Valid: Policy urn:example:broken' }).waitFor();
    expect(await stored()).toEqual(before);

    // Malformed XML is caught in the browser, with the parser's line.
    await typeInEditor(page, 'Policy XML', '<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="p" Version="1.0">\n  <Target>\n</Policy>');
    await page.getByRole('button', { name: 'Validate', exact: true }).click();
    expect(await issues.textContent()).toMatch(/Line 3: Malformed XML/);
  });

  it('sets permit-overrides and copies the PDP-URL', async () => {
    // The editor still holds the malformed policy: leaving asks first.
    await openTab(page, 'PDP & URL');
    const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
    await leave.waitFor();
    await leave.getByRole('button', { name: 'Discard changes and leave' }).click();
    await page.getByLabel('Root combining algorithm').selectOption({ label: 'Permit overrides' });
    await page.getByLabel('Decision log detail').selectOption('full');
    await page.getByLabel(/Compatibility mode/).check();
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const cfg = await server.api('GET', `/api/v1/domains/${domainId}/pdp`, alice.key);
    expect(cfg.body).toMatchObject({ rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides', logDetail: 'full', compatibilityMode: true });
    await page.getByRole('button', { name: 'Copy the PDP-URL' }).click();
    await page.getByRole('button', { name: 'Copy the PDP-URL' }).getByText('Copied').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`${server.baseUrl}/pdp/${pdpId}`);
    await page.getByText('XACML JSON Profile').click();
    expect(await page.locator('details.example[open] pre').textContent()).toContain(`curl -X POST '${server.baseUrl}/pdp/${pdpId}'`);
    await screenshot(page, '04-pdp');
    // In compatibility mode, Validate lists what was accepted leniently (nothing is stored).
    await openTab(page, 'Policies');
    await typeInEditor(page, 'Policy XML', '<PolicySet xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicySetId="urn:example:lenient" Version="1.0" PolicyCombiningAlgId="urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides"><Target/><PolicyIdReference>urn:example:not-loaded</PolicyIdReference></PolicySet>');
    await page.getByRole('button', { name: 'Validate', exact: true }).click();
    expect(await page.getByTestId('upload-warnings').textContent()).toMatch(/unresolved-reference.*urn:example:not-loaded/);
    await openTab(page, 'PDP & URL');
    await page.getByRole('dialog', { name: 'Leave without saving?' }).getByRole('button', { name: 'Discard changes and leave' }).click();
  });

  it('fills the sample PIP and authorises DCI', async () => {
    await openTab(page, 'Sample PIP');
    await page.locator('select[name="pip-category"]').selectOption('resource');
    await page.locator('input[name="pip-entity"]').fill('photo-17');
    await page.locator('input[name="pip-attribute"]').fill('urn:safax:sample:resource:type');
    await page.locator('textarea[name="pip-values"]').fill('photo');
    await page.getByRole('button', { name: 'Save attribute' }).click();
    await page.getByTestId('pip-table').getByText('photo-17').waitFor();
    await screenshot(page, '05-pip');
    await openTab(page, 'Controllers');
    await page.locator('input[name="controller"]').fill('dc-one');
    await page.getByRole('button', { name: 'Authorise controller' }).click();
    await page.locator(`.chips code[title="${dcOne.id}"]`).waitFor();
    // Listed by the name she typed (remembered in the browser), the id in its title.
    expect(await page.locator(`.chips code[title="${dcOne.id}"]`).textContent()).toMatch(/^dc-one \(/);
  });

  it('works from the keyboard: Escape cancels a deletion, Enter follows a tab', async () => {
    await openTab(page, 'Settings');
    await page.getByRole('button', { name: 'Delete this domain' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The safe choice has the focus.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await screenshot(page, '06a-confirm-delete');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await server.api('GET', `/api/v1/domains/${domainId}`, alice.key)).status).toBe(200);
    await page.getByRole('navigation', { name: 'Domain sections' }).getByRole('link', { name: 'Evaluate', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Evaluate a request' }).waitFor();
  });

  async function evaluateAsDcOne(action: string): Promise<string> {
    await openTab(page, 'Evaluate');
    await page.locator('input[name="value-subject-subject-id"]').fill('bob');
    await page.locator('input[name="value-action-action-id"]').fill(action);
    await page.locator('input[name="value-resource-resource-id"]').fill('photo-17');
    // As the authorised controller DCI: the owner needs no key of DCI's.
    expect(await page.locator(`select[name="send-as"] option[value="${dcOne.id}"]`).textContent()).toMatch(/^domains controller dc-one \(/);
    await page.locator('select[name="send-as"]').selectOption(dcOne.id);
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    const result = page.getByTestId('evaluation-result');
    await result.waitFor();
    await result.getByTestId('deciding-rules').waitFor();
    return (await result.locator('.decision .badge').textContent()) ?? '';
  }

  it('evaluates Bob viewing a photo (Permit) and deleting it (Deny), as DCI', async () => {
    expect(await evaluateAsDcOne('view')).toBe('Permit');
    const result = page.getByTestId('evaluation-result');
    expect(await result.getByTestId('deciding-rules').textContent()).toContain('bob-view-photo');
    // From the PDP's own trace, not derived from the policy text.
    expect(await result.getByTestId('trace').textContent()).toContain('bob-view-photo');
    expect(await result.getByTestId('derived-note').count()).toBe(0);
    expect(await result.textContent()).toContain('dc-one');
    await screenshot(page, '06-evaluate-permit');
    expect(await evaluateAsDcOne('delete')).toBe('Deny');
    expect(await page.getByTestId('evaluation-result').getByTestId('deciding-rules').textContent()).toContain('deny-everything-else');
  });

  it('speaks XACML XML and AuthZEN too, as the owner herself', async () => {
    const result = page.getByTestId('evaluation-result');
    await page.locator('select[name="send-as"]').selectOption('');
    await page.locator('input[name="value-action-action-id"]').fill('view');
    await page.getByLabel('XACML XML').check();
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await result.getByText('urn:safax:sample:alice:AR1 v1.0').first().waitFor();
    expect(await result.locator('.decision .badge').textContent()).toBe('Permit');
    await page.getByLabel('AuthZEN').check();
    // The mapping opens with the AuthZEN format, with the warning about properties a PEP sends.
    expect(await page.locator('[data-testid="authzen-mapping"][open]').textContent()).toMatch(/urn:safax:1\.0:authzen:resource:type[\s\S]*take precedence over the sample PIP/);
    await page.locator('input[name="value-action-action-id"]').fill('delete');
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await result.getByTestId('deciding-rules').waitFor();
    expect(await result.locator('.decision .badge').textContent()).toBe('Deny');
  });

  it('lists the evaluations in the log and opens DCI\'s Permit to show the rule that decided', async () => {
    await openTab(page, 'Evaluation log');
    const table = page.getByTestId('log-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(4);
    await page.locator('canvas').waitFor();
    await screenshot(page, '07-log');
    await table.getByRole('link', { name: /\(Permit\)/ }).last().click();
    const entry = page.getByTestId('log-entry');
    await entry.waitFor();
    expect(await entry.getByTestId('deciding-rules').textContent()).toContain('bob-view-photo');
    expect(await entry.getByTestId('trace').textContent()).toMatch(/Rule bob-view-photo in urn:safax:sample:alice:AR1 → Permit/);
    expect(await entry.getByTestId('derived-note').count()).toBe(0);
    // Logged as DCI's call (named by the API), marked as Alice's test.
    expect(await entry.locator(`code[title="${dcOne.id}"]`).textContent()).toContain('dc-one');
    expect(await entry.getByTestId('tested-by').textContent()).toContain('alice');
    const logged = await server.api('GET', `/api/v1/domains/${domainId}/decisions?caller=${dcOne.id}`, alice.key);
    expect((logged.body as { items: { testedBy?: string; trace?: unknown[] }[] }).items.map((i) => [i.testedBy, (i.trace ?? []).length > 0])).toEqual([
      [alice.id, true],
      [alice.id, true],
    ]);
    expect(await entry.textContent()).toContain('urn:safax:sample:alice:AR1');
    // Logged in full: the request as DCI sent it.
    expect(await entry.locator('.cm-content[aria-label="Logged request"]').textContent()).toContain('photo-17');
    await screenshot(page, '08-log-entry');

    // The filter narrows the list to the Deny.
    await page.getByRole('link', { name: 'Back to the log' }).click();
    await page.locator('select[name="filter-decision"]').selectOption('Deny');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-table"] tbody tr').length === 2);
    expect(await table.locator('tbody tr .badge').allTextContents()).toEqual(['Deny', 'Deny']);
  });

  it('evaluates AR3 with a form-composed request: Charlie, a Mayo Clinic neurologist, at 10:00; the trust-service call and its result are shown', async () => {
    await openTab(page, 'Evaluate');
    await page.locator('input[name="value-subject-subject-id"]').fill('charlie');
    await page.locator('input[name="value-action-action-id"]').fill('view');
    await page.locator('input[name="value-resource-resource-id"]').fill('alice-record-3');
    const addRow = async (n: number, category: string, id: string, datatype: string, value: string) => {
      await page.getByRole('button', { name: 'Add attribute' }).click();
      await page.getByLabel(`Category of attribute ${n}`).selectOption(category);
      await page.getByLabel(`Attribute id ${n}`).fill(id);
      await page.getByLabel(`Datatype of attribute ${n}`).selectOption(datatype);
      await page.locator(`input[name="value-${category}-${id.split(':').pop() ?? ''}"]`).fill(value);
    };
    await addRow(4, 'resource', 'urn:safax:sample:resource:type', 'string', 'health-record');
    await addRow(5, 'environment', 'urn:oasis:names:tc:xacml:1.0:environment:current-time', 'time', '10:00:00');
    await page.locator('select[name="send-as"]').selectOption(dcOne.id);
    await page.getByLabel('XACML JSON').check();
    const result = page.getByTestId('evaluation-result');
    const evaluate = async (): Promise<string> => {
      await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
      await result.getByTestId('deciding-rules').waitFor();
      return (await result.locator('.decision .badge').textContent()) ?? '';
    };
    expect(await evaluate()).toBe('Permit');
    expect(await result.getByTestId('deciding-rules').textContent()).toContain('mayo-neurologist');
    // The PDP asked the credential service, and the GUI shows with what and what it said.
    const calls = await result.getByTestId('calls').textContent();
    expect(calls).toContain(`${CREDENTIAL_UDF} credential-service`);
    expect(calls).toContain('["charlie"],["neurologist"],["mayo-clinic"]');
    expect(calls).toContain('→ ["true"]');
    await screenshot(page, '08b-evaluate-trust-service');

    // At 19:00 AR3 does not apply (the service is not even needed): AR4 denies.
    await page.locator('input[name="value-environment-current-time"]').fill('19:00:00');
    expect(await evaluate()).toBe('Deny');
    expect(await result.getByTestId('deciding-rules').textContent()).toContain('deny-everything-else');
  });

  it('keeps versions: a second AR1 is diffed against the first and the first re-activated', async () => {
    await openTab(page, 'Policies');
    await page.locator('input[name="policy-files"]').setInputFiles(join(SAMPLES, 'ar1-bar-bob-views-and-modifies-photos.xml'));
    await page.getByRole('button', { name: /Validate and deploy 1 file/ }).click();
    await page.getByRole('status').filter({ hasText: 'urn:safax:sample:alice:AR1 v2.0' }).waitFor();
    await page.getByRole('link', { name: 'urn:safax:sample:alice:AR1' }).click();
    await page.locator('.cm-mergeView').waitFor();
    expect(await page.locator('.diff figcaption').textContent()).toContain('version 1.0');
    await screenshot(page, '09-policy-versions-diff');
    await page.getByRole('button', { name: 'Activate 1.0' }).click();
    // Switching the live policy asks first.
    await page.getByRole('dialog').getByRole('button', { name: 'Activate 1.0' }).click();
    await page.getByRole('button', { name: 'Activate 2.0' }).waitFor();
    expect(await page.getByTestId('activation-notice').textContent()).toContain('Version 1.0 of urn:safax:sample:alice:AR1 is now active');
    const list = await server.api('GET', `/api/v1/domains/${domainId}/policies`, alice.key);
    expect((list.body as { items: { policyId: string; activeVersion: string }[] }).items.find((p) => p.policyId === 'urn:safax:sample:alice:AR1')?.activeVersion).toBe('1.0');
  });

  it('adds Carol as a collaborator on the project, then removes her after confirming', async () => {
    const carol = await createPrincipal(server, 'carol', ['domain-owner']);
    const projectId = ((await server.api('GET', `/api/v1/domains/${domainId}`, alice.key)).body as { projectId: string }).projectId;
    await page.goto(`${server.baseUrl}/ui/#/projects/${projectId}`);
    await page.getByRole('heading', { name: 'Collaborators' }).waitFor();
    await page.locator('input[name="collaborator"]').fill('carol');
    await page.getByRole('button', { name: 'Add collaborator' }).click();
    await page.getByRole('button', { name: 'Remove collaborator carol' }).waitFor();
    expect(await page.locator('input[name="collaborator"]').inputValue()).toBe('');
    const shared = async () => ((await server.api('GET', `/api/v1/projects/${projectId}`, alice.key)).body as { collaborators: { id: string }[] }).collaborators.map((c) => c.id);
    expect(await shared()).toEqual([carol.id]);
    // She now sees Alice's domain; once removed, she does not.
    expect((await server.api('GET', `/api/v1/domains/${domainId}`, carol.key)).status).toBe(200);
    await screenshot(page, '09b-collaborators');
    await page.getByRole('button', { name: 'Remove collaborator carol' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: 'Remove collaborator carol' }).waitFor({ state: 'detached' });
    expect(await shared()).toEqual([]);
    // Not hers to see any more: it answers like a domain that does not exist.
    expect((await server.api('GET', `/api/v1/domains/${domainId}`, carol.key)).status).toBe(404);
  });

  it('reads on a phone-sized screen', async () => {
    const phone = await newWindow(browser, { viewport: { width: 390, height: 844 } });
    const p = await phone.newPage();
    await p.goto(`${server.baseUrl}/ui/`);
    await p.getByLabel('API key').fill(alice.key);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.goto(`${server.baseUrl}/ui/#/domains/${domainId}/evaluate`);
    await p.getByRole('heading', { name: 'Evaluate a request' }).waitFor();
    await screenshot(p, '10-phone-evaluate');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.close();
  });

  it('gives a real guest its own throw-away domain, and no way to Alice\'s, in the GUI or the API', async () => {
    const win = await newWindow(browser);
    const p = await win.newPage();
    await p.goto(`${server.baseUrl}/ui/`);
    await p.getByRole('button', { name: 'Continue as guest' }).click();
    // Straight into its ready test domain, with the guest banner.
    await p.getByRole('heading', { name: 'test-domain', level: 1 }).waitFor();
    await p.getByRole('note').filter({ hasText: 'guest mode' }).waitFor();
    expect(await p.getByTestId('signed-in-as').textContent()).toMatch(/^Guest guest-/);
    await screenshot(p, '11a-guest-domain');
    const guestKey = await p.evaluate(() => sessionStorage.getItem('safax.apiKey'));
    expect(guestKey).toMatch(/^sfx_/);
    const me = await server.api('GET', '/api/v1/me', guestKey);
    expect((me.body as { roles: string[] }).roles).toEqual(['guest']);

    // Its own domain works: Validate there compiles a policy.
    await p.getByRole('button', { name: 'Validate', exact: true }).click();
    await p.getByRole('status').filter({ hasText: 'Valid: Policy urn:example:my-policy' }).waitFor();

    // Alice's domain: refused in the GUI...
    await p.goto(`${server.baseUrl}/ui/#/domains/${domainId}/policies`);
    const alert = p.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/domain not found/i);
    // One clear error, not the tabs of her domain under the guest's header.
    expect(await p.getByRole('navigation', { name: 'Domain sections' }).count()).toBe(0);
    expect(await p.getByText('urn:safax:sample:alice:AR1').count()).toBe(0);
    await p.goto(`${server.baseUrl}/ui/#/domains/${domainId}/log`);
    await p.getByRole('alert').waitFor();
    expect(await p.getByTestId('log-table').count()).toBe(0);
    await screenshot(p, '11-guest-denied');
    // ...and in the API, whatever it tries, even with her PDP-URL.
    for (const [method, path, body] of [
      ['GET', `/api/v1/domains/${domainId}`, undefined],
      ['GET', `/api/v1/domains/${domainId}/decisions`, undefined],
      ['GET', `/api/v1/domains/${domainId}/policies`, undefined],
      ['POST', `/api/v1/domains/${domainId}/test-evaluations`, { format: 'xacml-json', body: '{"Request":{}}' }],
      ['POST', `/pdp/${pdpId}/access/v1/evaluation`, { subject: { type: 'user', id: 'bob' }, action: { name: 'view' }, resource: { type: 'photo', id: 'photo-17' } }],
    ] as const) {
      const r = await server.api(method, path, guestKey, body);
      expect([path, r.status]).toEqual([path, 404]);
    }
    await win.close();
    // And the admin still sees it (the denial is about who asks, not a broken page).
    expect((await server.api('GET', `/api/v1/domains/${domainId}`, ADMIN_KEY)).status).toBe(200);
  });

  it('shows the Service Repository: her PDP, and the UDF with the signature a policy author needs', async () => {
    await page.getByRole('link', { name: 'Service Repository' }).click();
    await page.getByRole('heading', { name: 'Service Repository', level: 1 }).waitFor();
    expect(await page.getByTestId('udf-signature').textContent()).toBe(`${CREDENTIAL_UDF}(user: string, credential: string, issuer: string) → boolean`);
    await page.getByText(`pdp-${domainId}`).waitFor();
    await page.locator('select[name="service-type"]').selectOption('udf');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.service').length === 1);
    await page.getByText('How to call it in a policy').click();
    await screenshot(page, '12-services');
  });
});
