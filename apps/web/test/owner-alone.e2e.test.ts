/**
 * A new domain owner finishes the job alone, in the GUI (issue 13): she registers the credential
 * trust service from its descriptor URL, uploads policies that call it and sees a decision that
 * used it; onboards a domains controller (a taken name is refused next to the field), copies its
 * key once, and the controller decides with the snippets exactly as shown (curl for XACML JSON,
 * XACML XML and AuthZEN, run by bash; the SDK snippet run by node); the audit pages list those
 * changes by name, and the evaluation log shows the controller's calls by subject and caller.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTrustService } from '../../trust-services/src/start';
import type { RunningService } from '../../trust-services/src/start';
import { launchBrowser, newWindow, openRoute, screenshot } from './support/browser';
import { createPrincipal, startGuiServer } from './support/gui-server';
import type { GuiServer } from './support/gui-server';

jest.setTimeout(90_000);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const SAMPLES = join(ROOT, 'policies', 'samples');
const CREDENTIAL_SEED: unknown = JSON.parse(readFileSync(join(ROOT, 'apps', 'trust-services', 'data', 'credential.seed.json'), 'utf8'));
const CREDENTIAL_UDF = 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential';

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Domain sections' }).getByRole('link', { name, exact: true }).click();
}

/** Runs a shown curl snippet as a user would paste it into bash. */
async function runShell(text: string): Promise<string> {
  const { stdout } = await run('bash', ['-c', text], { timeout: 20_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  return stdout;
}

describe('a new owner, alone in the GUI', () => {
  let server: GuiServer;
  let credential: RunningService;
  let browser: Browser;
  let win: BrowserContext;
  let page: Page;
  let olivia: { id: string; key: string };
  let domainId = '';
  let projectId = '';
  let controllerKey = '';

  beforeAll(async () => {
    server = await startGuiServer();
    olivia = await createPrincipal(server, 'olivia', ['domain-owner']);
    credential = await startTrustService('credential', { seed: CREDENTIAL_SEED });
    browser = await launchBrowser();
    win = await newWindow(browser, { origin: server.baseUrl });
    page = await win.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await credential?.close();
  });

  it('signs in and creates her project and domain', async () => {
    await page.goto(`${server.baseUrl}/ui/`);
    await page.getByLabel('API key').fill(olivia.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('input[name="project-name"]').fill('olivia-data');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'olivia-data', level: 1 }).waitFor();
    projectId = decodeURIComponent(/#\/projects\/([^/]+)/.exec(page.url())?.[1] ?? '');
    await page.locator('input[name="domain-name"]').fill('OD1');
    await page.getByRole('button', { name: 'Create domain' }).click();
    await page.getByRole('heading', { name: 'OD1', level: 1 }).waitFor();
    domainId = decodeURIComponent(/#\/domains\/([^/]+)/.exec(page.url())?.[1] ?? '');
    expect(domainId).not.toBe('');
  });

  it('registers the credential trust service from its descriptor URL, errors shown next to the field', async () => {
    await page.getByRole('link', { name: 'Service Repository' }).click();
    const url = page.getByLabel('Descriptor URL');
    await url.fill(`${credential.url}/no-descriptor-here`);
    await page.getByRole('button', { name: 'Fetch descriptor' }).click();
    // The error is tied to the field it is about (wait for the answer before reading the field).
    await page.getByText('answered HTTP 404').waitFor();
    const describedBy = await url.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    await page.locator(`[id="${describedBy ?? ''}"]`).getByText('answered HTTP 404').waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');

    // A pasted descriptor is checked with the repository's schema before anything is sent.
    const editor = page.locator('.cm-content[aria-label="Service descriptor (JSON)"]');
    await editor.click();
    await page.keyboard.insertText('{"id": "bad/id", "provider": {"id": "x"}, "endpoint": "ftp://nowhere", "method": "GET", "type": "udf", "requestFormat": "json", "responseFormat": "json"}');
    await page.getByRole('button', { name: 'Check' }).click();
    const issues = page.getByTestId('descriptor-issues');
    await issues.waitFor();
    expect(await issues.textContent()).toMatch(/id.*endpoint/s);

    await url.fill(`${credential.url}/descriptor`);
    await page.getByRole('button', { name: 'Fetch descriptor' }).click();
    await page.getByRole('status').filter({ hasText: 'Fetched from' }).waitFor();
    expect(await editor.textContent()).toContain(CREDENTIAL_UDF);
    await page.getByRole('button', { name: 'Register service' }).click();
    await page.getByTestId('registered').waitFor();
    // The provider is who registered it.
    const card = page.getByTestId('service-credential-service');
    await card.waitFor();
    expect(await card.getByTestId('registered-by').textContent()).toMatch(/^olivia/);
    const stored = await server.api('GET', '/api/v1/services/credential-service', olivia.key);
    expect(stored.body).toMatchObject({ registeredBy: olivia.id, registeredByName: 'olivia', enabled: true });
    await screenshot(page, 'journey-01-service-registered');
  });

  it('uploads policies that call it, and a decision uses it', async () => {
    await page.goto(`${server.baseUrl}/ui/#/domains/${domainId}/policies`);
    await page.locator('input[name="policy-files"]').setInputFiles([join(SAMPLES, 'ar1-bob-views-photos.xml'), join(SAMPLES, 'ar3-mayo-neurologist-views-health-records.xml')]);
    await page.getByRole('button', { name: /Validate and deploy 2 file/ }).click();
    await page.getByTestId('deployment-notice').waitFor();
    await openTab(page, 'Evaluate');
    await page.locator('input[name="value-subject-subject-id"]').fill('charlie');
    await page.locator('input[name="value-action-action-id"]').fill('view');
    await page.locator('input[name="value-resource-resource-id"]').fill('record-1');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByLabel('Category of attribute 4').selectOption('resource');
    await page.getByLabel('Attribute id 4').fill('urn:safax:sample:resource:type');
    await page.locator('input[name="value-resource-type"]').fill('health-record');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByLabel('Attribute id 5').fill('urn:oasis:names:tc:xacml:1.0:environment:current-time');
    await page.getByLabel('Datatype of attribute 5').selectOption('time');
    await page.locator('input[name="value-environment-current-time"]').fill('10:00:00');
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    const result = page.getByTestId('evaluation-result');
    await result.getByTestId('calls').waitFor();
    expect(await result.locator('.decision .badge').textContent()).toBe('Permit');
    expect(await result.getByTestId('calls').textContent()).toContain(`${CREDENTIAL_UDF} credential-service`);
  });

  it('onboards a domains controller: a taken name is refused at the field, then the key is shown once', async () => {
    await openTab(page, 'Controllers');
    const name = page.locator('input[name="new-controller"]');
    await name.fill('olivia');
    await page.getByRole('button', { name: 'Create controller and key' }).click();
    // Read the field's error link only once the answer has marked it invalid.
    await page.locator('input[name="new-controller"][aria-invalid="true"]').waitFor();
    const describedBy = await name.getAttribute('aria-describedby');
    await page.locator(`[id="${describedBy ?? ''}"]`).getByText('already exists').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await name.fill('olivia-dc');
    await page.getByRole('button', { name: 'Create controller and key' }).click();
    const panel = page.getByTestId('new-controller');
    await panel.waitFor();
    controllerKey = (await panel.getByTestId('new-api-key').textContent()) ?? '';
    expect(controllerKey).toMatch(/^sfx_/);
    // Focus moves to the new key's heading.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-key-title');
    await page.getByRole('button', { name: 'Copy the API key of olivia-dc' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(controllerKey);
    const me = await server.api('GET', '/api/v1/me', controllerKey);
    expect(me.body).toMatchObject({ name: 'olivia-dc', roles: ['domains-controller'] });
    await screenshot(page, 'journey-02-controller-key');
  });

  it('the controller decides with each curl snippet exactly as shown', async () => {
    const panel = page.getByTestId('new-controller');
    const snippet = async (id: string, title: string) => {
      const box = panel.getByTestId(`snippet-${id}`);
      if (!(await box.isVisible())) await panel.locator('summary', { hasText: title }).click();
      const text = (await box.textContent()) ?? '';
      expect(text).toContain(`export SAFAX_API_KEY='${controllerKey}'`);
      return text;
    };
    const json = await snippet('xacml-json', 'XACML JSON');
    // Built from her policies' own attribute ids (AR1: bob views photos).
    expect(json).toContain('urn:safax:sample:resource:type');
    expect(json).toContain('"bob"');
    const xml = await snippet('xacml-xml', 'XACML 3.0 XML');
    const authzen = await snippet('authzen', 'AuthZEN');
    await page.getByRole('button', { name: 'Copy the curl — XACML JSON Profile snippet' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(json);
    if (existsSync('/usr/bin/curl') || existsSync('/bin/curl')) {
      expect(JSON.parse(await runShell(json))).toEqual({ Response: [expect.objectContaining({ Decision: 'Permit' })] });
      expect(await runShell(xml)).toContain('<Decision>Permit</Decision>');
      expect(JSON.parse(await runShell(authzen))).toMatchObject({ decision: true, context: { xacml_decision: 'Permit' } });
    } else {
      // Without curl, the same request read from the snippet: its URL, headers and body.
      const url = /curl -s -X POST '([^']+)'/.exec(json)?.[1] ?? '';
      const body = /-d '([\s\S]+)'$/.exec(json)?.[1] ?? '';
      const res = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${controllerKey}`, 'Content-Type': 'application/xacml+json' }, body });
      expect(((await res.json()) as { Response: { Decision: string }[] }).Response[0]?.Decision).toBe('Permit');
    }
  });

  it('the controller decides with the SDK snippet as shown', async () => {
    const panel = page.getByTestId('new-controller');
    await panel.locator('summary', { hasText: '@safax/pep' }).click();
    const sdk = (await panel.getByTestId('snippet-sdk').textContent()) ?? '';
    expect(sdk).toContain('createPdpClient');
    // Run as written, with the package resolved to this repository's source.
    const dir = mkdtempSync(join(tmpdir(), 'safax-sdk-'));
    try {
      const file = join(dir, 'decide.mts');
      writeFileSync(file, sdk.replace("from '@safax/pep'", `from ${JSON.stringify(join(ROOT, 'libs', 'pep', 'src', 'index.ts'))}`));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { timeout: 30_000, cwd: ROOT, env: { ...process.env, SAFAX_API_KEY: controllerKey } });
      expect(stdout).toMatch(/^Permit allowed [0-9a-f-]{36}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks before leaving while the key is on screen', async () => {
    await openTab(page, 'Policies');
    const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
    await leave.waitFor();
    expect(await leave.textContent()).toContain('the new API key of olivia-dc');
    await leave.getByRole('button', { name: 'Stay here' }).click();
    expect(page.url()).toContain('/controllers');
    await page.getByRole('button', { name: 'I have stored the key' }).click();
    await page.getByTestId('new-controller').waitFor({ state: 'detached' });
    expect(await page.locator('.chips code').allTextContents()).toEqual([expect.stringMatching(/^olivia-dc/)]);
    await openTab(page, 'Evaluation log');
    await page.getByTestId('log-table').waitFor();
  });

  it('shows the controller\'s four calls in the log by subject and caller name', async () => {
    await page.locator('input[name="filter-caller"]').fill('olivia-dc');
    await page.getByRole('button', { name: 'Apply' }).click();
    // Three curl snippets and the SDK snippet.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-table"] tbody tr').length === 4);
    expect(await page.getByTestId('log-subject').allTextContents()).toEqual(['bob', 'bob', 'bob', 'bob']);
    expect(await page.getByTestId('log-table').locator('tbody tr').first().textContent()).toContain('olivia-dc');
  });

  it('lists those changes, by name, in the project\'s audit trail and in her own activity', async () => {
    await openRoute(page, server.baseUrl, `/projects/${projectId}/audit`);
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const rows = async () => table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-action'), tr.querySelector('[data-testid="audit-actor"]')?.textContent ?? '', tr.textContent ?? '']));
    const trail = await rows();
    expect(trail.map((r) => r[0])).toEqual(['controller.create', 'controller.create', 'policy.upload', 'domain.create', 'project.create']);
    expect(new Set(trail.map((r) => r[1]))).toEqual(new Set(['olivia']));
    expect(trail[0]?.[2]).toContain('onboarded domains controller olivia-dc');
    expect(trail[0]?.[2]).toContain('succeeded');
    expect(trail[1]?.[2]).toContain('failed: conflict');
    expect(trail[2]?.[2]).toContain('uploaded urn:safax:sample:alice:AR1 v1.0, urn:safax:sample:alice:AR3 v1.0');
    await screenshot(page, 'journey-03-project-audit');
    await page.getByRole('link', { name: 'My activity' }).click();
    await page.getByRole('heading', { name: 'My activity', level: 1 }).waitFor();
    await page.getByTestId('audit-table').locator('tr[data-action="service.register"]').getByText('registered udf credential-service').waitFor();
  });
});
