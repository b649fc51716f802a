import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Frame, type Page } from "playwright-core";

const root = join(import.meta.dir, "../..");
/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(root, ".artifacts/browser");
/** Gzipped JavaScript any one page may load (issue 12). */
export const JS_BUDGET_BYTES = 50 * 1024;

const axeSource = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");

/** Debian's Chromium, headless, on a fresh profile (playwright makes a temporary user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Collects console errors and uncaught exceptions of a page into `errors`.
 * One kind is expected and left out: Chromium logs "Failed to load resource"
 * for the document itself when a page answers 4xx on purpose (a 404 page, a
 * form shown again with 402/409/422); the same message for any other resource
 * (a script, an image, a fetch) still counts.
 */
export function watchErrors(page: Page, errors: string[]): string[] {
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const own = m.location().url === page.url();
    if (own && /^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
    errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

/**
 * Runs `act` (a click that submits a form or follows a link) and waits until
 * the page shows `url` and has parsed it. Polls the URL instead of
 * `waitForURL`, which fails with net::ERR_ABORTED when the navigation it
 * latched onto is replaced by a newer one (a double submit, a POST answered
 * 303, a script's own navigation): only where the page ends up matters.
 */
export async function navigates(page: Page, act: () => Promise<unknown>, url: RegExp, ms = 30_000) {
  let moved = false; // a page already at a matching URL must still leave it
  const onNav = (f: Frame) => {
    if (f === page.mainFrame()) moved = true;
  };
  page.on("framenavigated", onNav);
  try {
    await act();
    await reached(page, url, () => moved, ms);
  } finally {
    page.off("framenavigated", onNav);
  }
}

async function reached(page: Page, url: RegExp, moved: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (moved() && url.test(page.url())) {
      const ready = await page
        .evaluate("document.readyState")
        .then((s) => s !== "loading")
        .catch(() => false); // the context went away mid-navigation: look again
      if (ready) return;
    }
    if (Date.now() > deadline) throw new Error(`page did not reach ${url} (at ${page.url()})`);
    await Bun.sleep(25);
  }
}

/** Writes a screenshot of the whole page; returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** One axe violation, as much of it as a failure message needs. */
export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2 A/AA rules) in the page; returns serious and critical violations. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated over the DevTools protocol: an injected <script> would be (rightly) blocked by the CSP.
  await page.evaluate(axeSource);
  const all = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: unknown[] }> } })
      .axe;
    const r = await axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return r.violations as {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[] }[];
    }[];
  });
  return all
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
}

/** Gzipped bytes of the page's scripts (the fingerprinted files and their .gz siblings). */
export async function scriptBytes(page: Page): Promise<number> {
  // A string: this file is type-checked without the DOM library.
  const srcs = (await page.evaluate(
    "Array.from(document.querySelectorAll('script[src]')).map((s) => new URL(s.src).pathname)",
  )) as string[];
  let total = 0;
  for (const src of srcs) {
    const gz = join(root, "web", `${src}.gz`);
    total += existsSync(gz) ? statSync(gz).size : Number.POSITIVE_INFINITY;
  }
  return total;
}
