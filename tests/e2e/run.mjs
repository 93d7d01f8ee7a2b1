#!/usr/bin/env node
// End-to-end test of the web app against a real `imagesprint serve`, driven by playwright-core
// and Debian's chromium (headless, --no-sandbox since CI runs as root).
//
// What it does: starts a local webhook receiver and the server on free loopback ports with a
// temporary data folder, then, in the browser: signs up, adds a generic webhook pointed at the
// receiver (test + add), picks 3 corpus photos with a text watermark (a 21 MB file is refused
// by name first), watches the live preview, uploads, watches the job's progress bar reach 100%
// over SSE, downloads the ZIP and checks it, sees the bell and the browser notification, marks
// notifications read, sees the webhook delivery, switches to Korean. Screenshots of every page
// at 390 and 1280 px go to tests/e2e/artifacts/. Everything started is stopped, and the temp
// folder removed, whatever happens.
//
// Environment: IMAGESPRINT_BIN (default build/release/imagesprint), CORPUS (default
// ../shared/corpus beside the checkout), CHROMIUM (default /usr/bin/chromium), E2E_KEEP=1 keeps
// the temp folder.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const require = createRequire(path.join(repo, 'web/package.json'));
const { chromium } = require('playwright-core');

const BIN = process.env.IMAGESPRINT_BIN ?? path.join(repo, 'build/release/imagesprint');
const CORPUS = path.resolve(process.env.CORPUS ?? path.join(repo, '../shared/corpus'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIST = path.join(repo, 'web/dist');
const ARTIFACTS = path.join(here, 'artifacts');
const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 860 },
];
const PHOTOS = ['photos/colorfulcups-2560x1600.jpg', 'photos/fallenleaf-2560x1600.jpg', 'orientation/Landscape_1.jpg'];
const WATERMARK = 'ImageSprint 테스트';
const OVERALL_TIMEOUT_MS = 170_000;

const started = Date.now();
const cleanups = [];
let step = '';

function log(message) {
  console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what, fn, timeoutMs = 15_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** The webhook receiver: records every request (method, path, headers, body). */
async function startReceiver(port) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json = null;
      try {
        json = JSON.parse(body);
      } catch {
        // Slack/Discord bodies are JSON too; anything else stays text
      }
      requests.push({ method: req.method, url: req.url, headers: req.headers, body, json, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { requests, url: `http://127.0.0.1:${port}` };
}

async function startServer(port, tmp) {
  // A copy, so a rebuild of build/release during the run does not swap the binary under us.
  const bin = path.join(tmp, 'imagesprint');
  fs.copyFileSync(BIN, bin);
  fs.chmodSync(bin, 0o755);
  const logFile = path.join(tmp, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    'serve',
    '--listen', `127.0.0.1:${port}`,
    '--data', path.join(tmp, 'data'),
    '--web-dir', WEB_DIST,
    // A switch in newer builds, an option taking a value in older ones: "=true" suits both.
    '--webhook-allow-private=true',
    '--webhook-retry-base', '1',
    '--log-level', 'warn',
  ];
  const child = spawn(bin, args, { stdio: ['ignore', out, out] });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  cleanups.push(async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const deadline = Date.now() + 5000;
    while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!exited) child.kill('SIGKILL');
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor('the server to be ready', async () => {
    if (exited) throw new Error(`server exited ${JSON.stringify(exited)}: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    const r = await fetch(`${base}/readyz`);
    return r.ok;
  });
  return { base, logFile };
}

async function shoot(page, name) {
  const original = page.viewportSize();
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header sits at the top of a full-page shot
    await page.waitForTimeout(120); // layout settles (grids, lazy thumbnails)
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${w.width}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** Standard Webhooks: webhook-signature has "v1,<base64 HMAC-SHA256 of id.timestamp.body>". */
function verifySignature(request, secret) {
  const id = request.headers['webhook-id'];
  const timestamp = request.headers['webhook-timestamp'];
  const signatures = String(request.headers['webhook-signature'] ?? '').split(' ');
  if (!id || !timestamp || !secret.startsWith('whsec_')) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest('base64');
  return signatures.includes(`v1,${expected}`);
}

function zipEntries(file) {
  // Python's zipfile reads the central directory and checks every CRC (testzip).
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'bad = z.testzip()',
    'print(json.dumps({"bad": bad, "entries": [{"name": i.filename, "size": i.file_size, "head": z.read(i.filename)[:12].hex()} for i in z.infolist()], "manifest": json.loads(z.read("manifest.json")) if "manifest.json" in z.namelist() else None}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

async function main() {
  check(fs.existsSync(BIN), `server binary ${BIN} (build it: make build)`);
  check(fs.existsSync(path.join(WEB_DIST, 'index.html')), `${WEB_DIST}/index.html (build it: make web)`);
  check(fs.existsSync(CHROMIUM), `${CHROMIUM} (apt-get install chromium)`);
  for (const p of PHOTOS) check(fs.existsSync(path.join(CORPUS, p)), `corpus file ${path.join(CORPUS, p)} (set CORPUS)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of fs.readdirSync(ARTIFACTS)) if (f.endsWith('.png') || f.endsWith('.zip')) fs.rmSync(path.join(ARTIFACTS, f));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'imagesprint-e2e-'));
  cleanups.push(() => {
    if (process.env.E2E_KEEP) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  });

  step = 'start the receiver and the server';
  const receiver = await startReceiver(await freePort());
  const server = await startServer(await freePort(), tmp);
  log(`server ${server.base}, webhook receiver ${receiver.url}`);
  const doc = await (await fetch(`${server.base}/openapi.json`)).json();
  // The server has every route the app uses; the app's degraded mode (no preview, no webhooks)
  // is covered by its unit tests, not here.
  const hasWebhooks = '/v1/webhooks' in doc.paths;
  const hasPreview = '/v1/preview' in doc.paths;
  check(hasWebhooks && hasPreview, 'the server documents /v1/webhooks and /v1/preview');

  // Our own signal handlers stop everything in order; Playwright's would exit first.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox'],
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    locale: 'en-GB',
    baseURL: server.base,
  });
  await context.grantPermissions(['notifications'], { origin: server.base });
  // Record what the page receives over SSE and which browser notifications it shows.
  await context.addInitScript(() => {
    window.__sse = [];
    window.__notifications = [];
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(url, init) {
        super(url, init);
        for (const type of ['snapshot', 'progress', 'job.completed', 'job.failed', 'notification']) {
          this.addEventListener(type, (e) => window.__sse.push({ url: String(url), type, data: e.data }));
        }
      }
    };
    const NativeNotification = window.Notification;
    if (NativeNotification) {
      const Recorded = function (title, options) {
        window.__notifications.push({ title, body: options?.body ?? '' });
        return new NativeNotification(title, options);
      };
      Recorded.permission = 'granted';
      Recorded.requestPermission = () => Promise.resolve('granted');
      window.Notification = Recorded;
    }
  });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.setDefaultTimeout(15_000);

  try {
    step = 'sign up';
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await shoot(page, '01-login');
    await page.getByRole('link', { name: /Sign up/ }).click();
    await page.getByRole('heading', { name: 'Sign up' }).waitFor();
    await shoot(page, '02-signup');
    const email = `e2e-${Date.now()}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/convert/);
    log(`signed up as ${email}`);

    let webhookSecret = '';
    if (hasWebhooks) {
      step = 'add a webhook';
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
      await page.getByTestId('webhook-type').selectOption('generic');
      await page.getByTestId('webhook-url').fill(`${receiver.url}/hook`);
      await page.getByTestId('webhook-test').click();
      await page.getByTestId('webhook-test-result').waitFor();
      const testText = await page.getByTestId('webhook-test-result').textContent();
      check(/delivered/i.test(testText), `webhook test result: ${testText}`);
      check(receiver.requests.length >= 1, 'the receiver got the test request');
      await page.getByTestId('webhook-add').click();
      await page.locator('.webhook').first().waitFor();
      await page.getByTestId('secret').waitFor();
      webhookSecret = (await page.getByTestId('secret').textContent()).trim();
      check(webhookSecret.startsWith('whsec_'), `the generic webhook secret is shown once (${webhookSecret})`);
      log(`webhook added (test answered: ${testText.trim()})`);
    } else {
      log('SKIP webhooks: this server has no /v1/webhooks yet');
    }

    step = 'pick files';
    await page.getByRole('link', { name: 'Convert' }).click();
    await page.getByRole('heading', { name: 'Convert images' }).waitFor();
    await shoot(page, '03-convert-empty');
    // A file over 20 MB is refused by name before any upload.
    // (Files on disk: a 21 MB buffer sent over the DevTools protocol takes seconds.)
    const big = path.join(tmp, 'too-big.jpg');
    fs.writeFileSync(big, Buffer.alloc(21 * 1024 * 1024, 0xff));
    await page.getByTestId('file-input').setInputFiles([big, path.join(CORPUS, 'edge/check.svg')]);
    const rejected = await page.getByTestId('rejected').textContent();
    check(rejected.includes('too-big.jpg') && /over 20 MB/.test(rejected), `refusal names the big file: ${rejected}`);
    check(rejected.includes('check.svg'), `refusal names the SVG: ${rejected}`);
    await page.getByTestId('file-input').setInputFiles(PHOTOS.map((p) => path.join(CORPUS, p)));
    await waitFor('3 thumbnails', async () => (await page.locator('.thumb img').count()) === 3);
    check((await page.getByTestId('picked-count').textContent()).startsWith('3 of 50'), 'picked count');

    step = 'options and preview';
    await page.getByTestId('width').fill('800');
    check((await page.getByTestId('height').inputValue()) === '500', 'the ratio lock computes the height (2560x1600 -> 800x500)');
    await page.getByTestId('format').selectOption('webp');
    await page.getByLabel('Text', { exact: true }).check();
    await page.getByTestId('watermark-text').fill(WATERMARK);
    await page.getByRole('radio', { name: 'Bottom left' }).click();
    await page.getByRole('radio', { name: 'Bottom left' }).press('ArrowUp');
    check((await page.getByRole('radio', { name: 'Middle left' }).getAttribute('aria-checked')) === 'true', 'arrow keys move in the position grid');
    await page.getByRole('radio', { name: 'Middle left' }).press('ArrowDown');
    if (hasPreview) {
      await page.getByTestId('preview-info').waitFor();
      await waitFor('the preview for the final options', async () =>
        /800 × 500, WEBP/.test(await page.getByTestId('preview-info').textContent()),
      );
      const natural = await page.getByTestId('preview-image').evaluate((img) => img.naturalWidth);
      check(natural > 0, 'the preview image decoded');
      log(`preview: ${(await page.getByTestId('preview-info').textContent()).trim()}`);
    } else {
      log('SKIP preview: this server has no /v1/preview');
    }
    await page.getByTestId('job-name').fill('e2e photos');
    await shoot(page, '04-convert');

    step = 'upload and follow the job';
    await page.getByTestId('submit').click();
    await page.waitForURL(/\/jobs\/[^/]+$/, { timeout: 30_000 });
    const jobId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    log(`job ${jobId} created`);
    const bar = page.locator('.job-page [role=progressbar]').first();
    const seen = new Set();
    await waitFor(
      'the progress bar at 100%',
      async () => {
        const v = Number(await bar.getAttribute('aria-valuenow'));
        seen.add(v);
        return v === 100 && (await page.locator('.job-page').getAttribute('data-status')) === 'done';
      },
      60_000,
      50,
    );
    const sse = await page.evaluate(() => window.__sse);
    const jobEvents = sse.filter((e) => e.url.includes(`/jobs/${jobId}/events`) || e.url.endsWith('/v1/events'));
    const progress = jobEvents.filter((e) => e.type === 'progress' && JSON.parse(e.data).job_id === jobId);
    check(progress.length >= 3, `3 progress events over SSE (got ${progress.length})`);
    check(jobEvents.some((e) => e.type === 'job.completed'), 'job.completed over SSE');
    log(`progress bar reached 100% (values seen: ${[...seen].sort((a, b) => a - b).join(', ')}; ${progress.length} progress events)`);
    await waitFor('3 converted images', async () => (await page.locator('.image-row[data-status=done]').count()) === 3);
    // Before and after, both rendered by the server's engine (256 px WebP thumbnails).
    await waitFor('before and after thumbnails', async () =>
      page.evaluate(() => [...document.querySelectorAll('.image-row img.image-thumb')].filter((i) => i.naturalWidth > 0).length >= 6),
    );
    const thumbSources = await page.evaluate(() => [...document.querySelectorAll('.image-row img.image-thumb')].map((i) => i.getAttribute('src')));
    check(thumbSources.filter((s) => /\/source\?size=256$/.test(s)).length === 3, `3 "before" thumbnails: ${thumbSources}`);
    check(thumbSources.filter((s) => /\/images\/\d+\?size=256$/.test(s)).length === 3, `3 "after" thumbnails: ${thumbSources}`);
    const saved = await page.locator('.job-page [data-testid=job-saved]').textContent();
    check(/→/.test(saved) && /%/.test(saved), `sizes saved shown: ${saved}`);
    await shoot(page, '06-job');

    step = 'download the ZIP';
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-zip').click()]);
    const zipPath = path.join(ARTIFACTS, 'job.zip');
    await download.saveAs(zipPath);
    const zip = zipEntries(zipPath);
    check(zip.bad === null, `ZIP CRCs (bad entry: ${zip.bad})`);
    const images = zip.entries.filter((e) => e.name !== 'manifest.json');
    check(images.length === 3, `3 images in the ZIP (got ${zip.entries.map((e) => e.name).join(', ')})`);
    for (const e of images) {
      check(e.name.endsWith('.webp'), `${e.name} is .webp`);
      check(e.head.startsWith('52494646') && e.head.slice(16) === '57454250', `${e.name} is a WebP file (RIFF....WEBP)`);
    }
    check(zip.manifest !== null, 'manifest.json in the ZIP');
    log(`ZIP ok: ${zip.entries.map((e) => `${e.name} (${e.size} B)`).join(', ')}`);

    step = 'notifications';
    await waitFor('the bell count', async () => Number(await page.getByTestId('bell-count').textContent()) >= 1);
    const notified = await page.evaluate(() => window.__notifications);
    check(notified.some((n) => n.title.includes('e2e photos')), `a browser notification for the job (${JSON.stringify(notified)})`);
    log(`bell shows ${await page.getByTestId('bell-count').textContent()} unread; browser notification "${notified[0].title}"`);
    await page.getByTestId('bell').click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await page.locator('.notification[data-type=JOB_DONE]').waitFor();
    await shoot(page, '07-notifications');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await waitFor('the bell to clear', async () => (await page.getByTestId('bell-count').count()) === 0);

    step = 'jobs list';
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.locator(`.job-card[data-job-id="${jobId}"][data-status=done]`).waitFor();
    await shoot(page, '05-jobs');

    step = 'a failed image: reason, retry, delete';
    await page.getByRole('link', { name: 'Convert' }).click();
    await page.getByTestId('file-input').setInputFiles([path.join(CORPUS, 'edge/truncated.jpg'), path.join(CORPUS, 'orientation/Landscape_2.jpg')]);
    await page.getByTestId('job-name').fill('e2e broken');
    // A second tab on the jobs list: the new job appears and finishes there live, no reload.
    const listPage = await context.newPage();
    await listPage.goto('/jobs');
    await listPage.locator(`.job-card[data-job-id="${jobId}"]`).waitFor();
    await waitFor('the list tab to be live', async () => (await listPage.locator('.live-dot.live-open').count()) === 1);
    await page.getByTestId('submit').click();
    await page.waitForURL(/\/jobs\/[^/]+$/, { timeout: 30_000 });
    const brokenId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    await listPage.locator(`.job-card[data-job-id="${brokenId}"][data-status=partial]`).waitFor({ timeout: 30_000 });
    check(
      (await listPage.locator(`.job-card[data-job-id="${brokenId}"] [role=progressbar]`).getAttribute('aria-valuenow')) === '100',
      'the list tab shows the new job at 100%',
    );
    await listPage.close();
    await page.locator('.job-page[data-status=partial]').waitFor({ timeout: 30_000 });
    const reason = await page.locator('.image-row[data-status=failed] [data-testid=image-error]').textContent();
    check(reason.length > 'Error: '.length, `the failed image shows its reason (${reason})`);
    await page.getByRole('button', { name: 'Retry failed images' }).click();
    await page.getByText('Failed images queued again.').waitFor();
    await page.locator('.job-page[data-status=partial]').waitFor({ timeout: 30_000 });
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete job' }).click();
    await page.waitForURL(/\/jobs$/);
    await page.locator(`.job-card[data-job-id="${jobId}"]`).waitFor();
    check((await page.locator(`.job-card[data-job-id="${brokenId}"]`).count()) === 0, 'the deleted job is gone from the list');
    log(`failed image shown (${reason.trim()}), retried, job deleted`);

    if (hasWebhooks) {
      step = 'webhook delivery';
      const delivered = await waitFor(
        'the job.completed webhook at the receiver',
        async () => receiver.requests.find((r) => r.url === '/hook' && r.body.includes(jobId)),
        30_000,
      );
      check(verifySignature(delivered, webhookSecret), `the delivery is signed with the secret shown (${JSON.stringify(delivered.headers)})`);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByTestId('webhook-deliveries').first().click();
      await page.locator('.delivery[data-status=delivered]').first().waitFor({ timeout: 20_000 });
      log(`webhook delivered (${delivered.json?.type ?? delivered.json?.event ?? 'event'}), shown as delivered`);
    }
    step = 'API key';
    if (!hasWebhooks) await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('key-name').fill('e2e key');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('secret').last().waitFor();
    check((await page.getByTestId('secret').last().textContent()).startsWith('isk_'), 'the API key is shown once');
    await shoot(page, '08-settings');

    step = 'Korean';
    await page.getByRole('button', { name: /Language/ }).click();
    await page.getByRole('heading', { name: '설정' }).waitFor();
    await page.getByRole('link', { name: '작업', exact: true }).click();
    await page.getByRole('heading', { name: '작업' }).waitFor();
    await page.locator(`.job-card[data-job-id="${jobId}"]`).getByText('완료').waitFor();
    await shoot(page, '09-jobs-ko');
    await page.getByRole('link', { name: '변환', exact: true }).click();
    await page.getByRole('heading', { name: '이미지 변환' }).waitFor();
    await shoot(page, '10-convert-ko');

    step = 'log out';
    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.waitForURL(/\/login/);

    const relevantErrors = consoleErrors.filter((e) => !/Failed to load resource/.test(e));
    check(relevantErrors.length === 0, `no errors in the browser console: ${relevantErrors.join(' | ')}`);
    log(`PASS in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(repo, ARTIFACTS)}/`);
  } catch (e) {
    await page.screenshot({ path: path.join(ARTIFACTS, 'failure.png'), fullPage: true }).catch(() => undefined);
    console.error(`[e2e] browser console errors: ${consoleErrors.join(' | ') || 'none'}`);
    try {
      console.error(`[e2e] server log tail:\n${fs.readFileSync(server.logFile, 'utf8').split('\n').slice(-30).join('\n')}`);
    } catch {
      // no log
    }
    throw e;
  }
}

// One clean-up, however many paths (the end of main, a signal, the watchdog) ask for it.
let cleaning = null;
function cleanup() {
  cleaning ??= runCleanups();
  return cleaning;
}

async function runCleanups() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      console.error(`[e2e] cleanup: ${e.message}`);
    }
  }
}

const watchdog = setTimeout(() => {
  console.error(`[e2e] FAILED: over ${OVERALL_TIMEOUT_MS / 1000} s (at "${step}")`);
  void cleanup().finally(() => process.exit(1));
}, OVERALL_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`[e2e] ${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error(`[e2e] FAILED at "${step}": ${e.stack ?? e}`);
  code = 1;
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
process.exit(code);
