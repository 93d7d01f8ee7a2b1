// Accessibility audit of the pages the end-to-end suite visits: axe-core (pinned in the root
// package.json) injected into the page through playwright-core, its WCAG 2.0/2.1 A and AA rules
// (colour contrast among them). A serious or critical violation fails the suite; moderate and
// minor ones are counted in the log.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(repo, 'package.json'));
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_VERSION = require('axe-core/package.json').version;

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING = new Set(['serious', 'critical']);
/** Third-party content we do not style: Redoc's rendering of the API document on /docs. */
const EXCLUDE = ['.docs-redoc'];

/** One audit's violations, each with the elements it names. */
async function runAxe(page) {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy (no inline
  // scripts) does not stop it; it stays loaded until the next navigation.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ tags, exclude }) => {
      const present = exclude.filter((s) => document.querySelector(s));
      const context = present.length ? { exclude: present.map((s) => [s]) } : document;
      const result = await window.axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)})` : ''}`),
      }));
    },
    { tags: TAGS, exclude: EXCLUDE },
  );
}

/**
 * audit.page(page, name): audits the page as shown now, at the current viewport; records every
 * violation. audit.failures(): the serious and critical ones, as text. audit.summary(): counts.
 */
export function createAudit() {
  const audits = [];
  return {
    async page(page, name) {
      const violations = await runAxe(page);
      const width = page.viewportSize()?.width;
      audits.push({ name, width, violations });
      return violations.filter((v) => FAILING.has(v.impact));
    },
    failures() {
      const out = [];
      for (const a of audits) {
        for (const v of a.violations.filter((x) => FAILING.has(x.impact))) {
          const more = v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : '';
          out.push(`${a.name} at ${a.width} px: ${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 4).join('; ')}${more}`);
        }
      }
      return out;
    },
    summary() {
      const lesser = audits.flatMap((a) => a.violations.filter((v) => !FAILING.has(v.impact)).map((v) => `${v.impact} ${v.id}`));
      const pages = new Set(audits.map((a) => a.name));
      const minor = lesser.length ? [...new Set(lesser)].join(', ') : 'none';
      return `${audits.length} audits of ${pages.size} pages (axe-core ${AXE_VERSION}, ${TAGS.join(' ')}); serious or critical: ${this.failures().length}; moderate or minor: ${minor}`;
    },
  };
}
