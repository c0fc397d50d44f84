// The browser checks every broker page test shares: Debian's Chromium driven by playwright-core,
// axe-core, the phone-width and tap-target rules, and screenshots. A subpath of its own
// (`@covenant/test-support/pages`) so that tests without a browser never load playwright.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium } from 'playwright-core';

/** The Accept header a browser sends for a page (it prefers HTML, so the broker answers a page). */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** Debian's Chromium; page tests skip where it is missing (outside CI). */
export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** Starts headless Chromium, with its own calls home turned off (tests talk to loopback only). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** The widths every page is checked at: a desktop and a 390 px phone. */
export const PAGE_WIDTHS = [1400, 390] as const;
const PHONE_WIDTH = 390;
const MIN_TAP_TARGET = 24;

/**
 * Opens `url` at both widths in both colour schemes and returns what is wrong (empty when all is
 * right): axe-core's serious or critical violations; at 390 px, a page wider than the phone
 * (tables must scroll in their own box) and tap targets under 24 px. Saves a full-page screenshot
 * of each as `<name>-<width>-<scheme>.png` under `artifacts`.
 *
 * @example
 * expect(await checkPage(browser, `${broker.url}/matrix`, 'matrix', ARTIFACTS)).toEqual([]);
 */
export async function checkPage(
  browser: Browser,
  url: string,
  name: string,
  artifacts: string,
): Promise<string[]> {
  const problems: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const)
    for (const width of PAGE_WIDTHS) {
      const where = `${name} ${width}px ${colorScheme}`;
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
      const page = await context.newPage();
      await page.goto(url);
      const results = await new AxeBuilder({ page }).analyze();
      for (const violation of results.violations)
        if (violation.impact === 'serious' || violation.impact === 'critical')
          problems.push(
            `${where}: ${violation.id} at ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          );
      if (width === PHONE_WIDTH) {
        const scrollWidth = await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
              .documentElement.scrollWidth,
        );
        if (scrollWidth > PHONE_WIDTH) problems.push(`${where}: the page is ${scrollWidth}px wide`);
        for (const target of await page.locator('button, input, select, td a, nav a, header a').all()) {
          const box = await target.boundingBox();
          if (box && box.width > 0 && (box.height < MIN_TAP_TARGET || box.width < MIN_TAP_TARGET))
            problems.push(
              `${where}: tap target ${box.width}x${box.height} ${await target.evaluate((el) => (el as { outerHTML: string }).outerHTML.slice(0, 80))}`,
            );
        }
      }
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, `${name}-${width}-${colorScheme}.png`), fullPage: true });
      await context.close();
    }
  return problems;
}
