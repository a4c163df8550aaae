/**
 * Debian's chromium through playwright-core, for the PDF and for rasterising charts. No browser is
 * ever downloaded: when /usr/bin/chromium (or FABRIQUE_CHROMIUM) is absent, callers are told so.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.FABRIQUE_CHROMIUM?.trim() || '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export class BrowserUnavailableError extends Error {
  constructor() {
    super(`Chromium est introuvable (${CHROMIUM_PATH}) : installez le paquet Debian « chromium » pour produire le PDF.`);
    this.name = 'BrowserUnavailableError';
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable()) throw new BrowserUnavailableError();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Runs `fn` with the given browser, or with one launched (and closed) for the occasion. */
export async function withBrowser<T>(given: Browser | undefined, fn: (b: Browser) => Promise<T>): Promise<T> {
  if (given) return fn(given);
  const b = await launchBrowser();
  try {
    return await fn(b);
  } finally {
    await b.close();
  }
}
