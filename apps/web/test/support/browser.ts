/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). `chromium.launch`
 * starts it with a fresh temporary --user-data-dir; each context is an isolated window.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = process.env.SAFAX_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', '..', '..', 'test-output', 'screenshots');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** A new isolated window (own storage); `origin` gets clipboard access so Copy buttons can be checked. */
export async function newWindow(browser: Browser, opts: { origin?: string; viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 }, colorScheme: opts.colorScheme ?? 'light', acceptDownloads: true });
  if (opts.origin) await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: opts.origin });
  if (process.env.SAFAX_E2E_DEBUG) traceWindow(ctx);
  return ctx;
}

/**
 * Opens a GUI route with a full page load, signed in with `key` (null: signed out). The key is
 * stored from a page of the same origin that runs no GUI code (/healthz), so no view of the
 * previous route can react to the change, and the GUI then starts once, on the route.
 */
export async function openRoute(page: Page, baseUrl: string, route: string, key?: string | null): Promise<void> {
  await page.goto(`${baseUrl}/healthz`);
  if (key !== undefined) {
    await page.evaluate((k) => {
      if (k === null) sessionStorage.clear();
      else sessionStorage.setItem('safax.apiKey', k);
    }, key);
  }
  await page.goto(`${baseUrl}/ui/#${route}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** SAFAX_E2E_DEBUG=1: the window's page errors, console errors and failed responses on stderr. */
function traceWindow(ctx: BrowserContext): void {
  ctx.on('page', (page) => {
    page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') process.stderr.write(`[console ${m.type()}] ${m.text()}\n`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) process.stderr.write(`[http ${r.status()}] ${r.request().method()} ${r.url()}\n`);
    });
    page.on('requestfailed', (r) => process.stderr.write(`[request failed] ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}\n`));
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) process.stderr.write(`[navigated] ${f.url()}\n`);
    });
  });
}
