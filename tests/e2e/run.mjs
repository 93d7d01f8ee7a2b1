#!/usr/bin/env node
// End-to-end test of the web app against a real `imagesprint serve`, driven by playwright-core
// and Debian's chromium (headless, --no-sandbox since CI runs as root).
//
// What it does: starts a local webhook receiver and the server on free loopback ports with a
// temporary data folder, then, in the browser: signs up, adds a generic webhook pointed at the
// receiver (test + add), picks 53 files (3 are counted as left out), picks a 21 MB file, an SVG,
// the 280-megapixel JPEG and a text file named .jpg (marked in the grid with their reasons, the
// last two from their first bytes read in the browser; the rest uploads) and 3 corpus photos with
// a text watermark, the "Width" size mode and the exact box with cover and a smart crop, switches
// the live preview between the photos, uploads (the marked files stay behind), watches the job's
// progress bar reach 100% over SSE, sees what was left alone ("kept at 600 × 450"), downloads the
// ZIP and checks it, sees the bell and the browser notification, marks notifications read; at 390
// px picks a logo (shown as a thumbnail), sets an exact box (the fit menu enabled and explained)
// and measures every control of the form with boundingBox (at least 44 x 44 px); starts a slow
// (throttled) upload of a portrait photo with "long edge 2048", tries to leave (in-app link and
// reload: both warn, both dismissed, the upload goes on), checks the result is 2048 on its long
// side, opens the full-size before/after viewer (keys, mouse and touch drag, a TIFF shown through
// the server's largest thumbnail); follows a failed image (a truncated JPEG: its reason from the
// error code, in English, then in Korean with Korean durations) through retry and delete, sees
// the webhook delivery, opens the API reference (/docs, Redoc bundled locally) from Settings,
// switches to Korean, logs out and reads /docs signed out. Touch targets are measured at 390 px;
// every request must go to the server. Screenshots of every page at 390 and 1280 px go to
// tests/e2e/artifacts/. Everything started is stopped, and the temp folder removed, whatever
// happens.
//
// Around it: every JSON answer the browser gets, and every one of the suite's own calls, is
// checked against the server's /openapi.json for its route and status (contract.mjs, with a
// self-test that deliberately wrong schemas are caught); every page shot is audited with axe-core
// at both widths, in English and in Korean (a11y.mjs: no serious or critical violation); the
// README's Python client runs against the server (program_client.mjs); resumable uploads go on
// after a connection cut mid-PATCH and after a reload, each byte reaching the server once
// (resumable.mjs).
//
// Environment: IMAGESPRINT_BIN (default build/release/imagesprint), CORPUS (default
// ../shared/corpus beside the checkout), CHROMIUM (default /usr/bin/chromium), E2E_KEEP=1 keeps
// the temp folder.
//
// Against a service that is already running (the cluster behind haproxy: tests/cluster/run.py's
// e2e_web_app): E2E_BASE_URL=http://127.0.0.1:PORT starts no server and drives that URL
// instead. The service must reach the suite's webhook receiver on 127.0.0.1 (its setting
// webhook_allow_private) and should retry webhooks soon (webhook_retry_base 1), as the server
// started here is told to; its downloads may redirect to its object store (S3 presigned URLs):
// E2E_OTHER_ORIGINS (comma-separated, e.g. the S3 endpoint) are then the only other origins a
// request may go to, and only to follow the service's redirect or one of its presigned links.
// E2E_SERVER_LOGS (paths separated by ':') are the logs whose tails a failure prints.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAudit } from './a11y.mjs';
import { createContract, recordResponses } from './contract.mjs';
import { checkProgramClient } from './program_client.mjs';
import { checkResumableUploads } from './resumable.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const require = createRequire(path.join(repo, 'web/package.json'));
const { chromium } = require('playwright-core');

const BIN = process.env.IMAGESPRINT_BIN ?? path.join(repo, 'build/release/imagesprint');
/** A running service to drive instead of a server of our own. */
const BASE_URL = process.env.E2E_BASE_URL ? process.env.E2E_BASE_URL.replace(/\/+$/, '') : null;
const OTHER_ORIGINS = (process.env.E2E_OTHER_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
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
/** "Long edge 2048" on a portrait: this photo turned upright by an EXIF tag (2880 x 5120). */
const LONG_EDGE_SOURCE = 'photos/volna-5120x2880.jpg';
/** Small enough to be kept (600 x 450 stored, 450 x 600 upright), and a TIFF no browser draws. */
const LONG_EDGE_OTHERS = ['orientation/Portrait_6.jpg', 'edge/tifftag-photoshop.tiff'];
/** 20000 x 14000 = 280 megapixels in 1 MB: over the pixel limit, marked from its header. */
const GIANT = 'edge/giant-image.jpg';
/** A logo for the image watermark (900 x 600 PNG with alpha). */
const LOGO = 'edge/Flag_of_the_Netherlands-alpha.png';
/** Cut off after its header: the image fails, the job goes on. */
const TRUNCATED = 'edge/truncated.jpg';
const OVERALL_TIMEOUT_MS = 330_000;

const started = Date.now();
const cleanups = [];
let step = '';
/** axe-core on every page shot(), at each width: see a11y.mjs. */
const audit = createAudit();

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
  return { base, logFiles: [logFile] };
}

/** E2E_BASE_URL: a service someone else started; only its readiness is waited for. */
async function useRunningService(base) {
  const url = new URL(base);
  check(['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname), `E2E_BASE_URL must be on this machine (loopback), not ${url.hostname}`);
  await waitFor('the service to be ready', async () => (await fetch(`${base}/readyz`)).ok);
  const logFiles = (process.env.E2E_SERVER_LOGS ?? '').split(':').filter(Boolean);
  return { base, logFiles };
}

/** Screenshots at 390 and 1280 px; `fullPage: false` for a dialog or a very long page. */
async function shoot(page, name, { fullPage = true } = {}) {
  const original = page.viewportSize();
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header sits at the top of a full-page shot
    await page.waitForTimeout(120); // layout settles (grids, lazy thumbnails)
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${w.width}.png`), fullPage });
    await audit.page(page, name);
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

/**
 * The JPEG with an EXIF APP1 segment holding only Orientation (0x0112) = `orientation`, put
 * after its JFIF APP0 as cameras write it: orientation 6 shows a landscape file as a portrait.
 */
function withOrientation(jpeg, orientation) {
  check(jpeg[0] === 0xff && jpeg[1] === 0xd8, 'a JPEG');
  check(jpeg[2] === 0xff && jpeg[3] === 0xe0, 'a JFIF APP0 first');
  const afterApp0 = 4 + jpeg.readUInt16BE(4);
  // "MM" big-endian TIFF header, IFD at 8 with one entry: tag 0x0112, type SHORT, count 1.
  const tiff = Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, afterApp0), header, payload, jpeg.subarray(afterApp0)]);
}

/**
 * Interactive elements under 44 x 44 px on the page as shown (WCAG 2.5.8 asks 24, Apple and
 * Google 44). A visually hidden radio or a checkbox counts by its label, which is what a finger
 * hits; links inside running text are exempt; Redoc's own page is not ours.
 */
async function smallTargets(page) {
  return page.evaluate(() => {
    const selector = 'a[href], button, input:not([type=hidden]):not([type=file]), select, summary, textarea, [role=slider], [role=radio], [role=button]';
    const small = [];
    let measured = 0;
    for (const el of document.querySelectorAll(selector)) {
      const target = el.type === 'radio' || el.type === 'checkbox' ? (el.closest('label') ?? el) : el;
      if (target.closest('.sr-only, .skip-link, .docs-redoc')) continue;
      const r = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      if (r.width < 2 || r.height < 2 || style.visibility === 'hidden') continue;
      if (target.tagName === 'A' && style.display === 'inline' && target.closest('p')) continue;
      measured += 1;
      if (r.width < 43.5 || r.height < 43.5) {
        const name = (target.getAttribute('aria-label') || target.textContent || target.getAttribute('data-testid') || target.tagName).trim().slice(0, 40);
        small.push(`${target.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return { measured, small };
  });
}

async function checkTouchTargets(page, what) {
  const original = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(120);
  const { measured, small } = await smallTargets(page);
  await page.setViewportSize(original);
  check(measured > 5 && small.length === 0, `touch targets of at least 44 px on ${what} at 390 px (${measured} measured): ${small.join('; ')}`);
  log(`touch targets on ${what} at 390 px: ${measured} measured, all at least 44 x 44 px`);
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
  if (!BASE_URL) {
    check(fs.existsSync(BIN), `server binary ${BIN} (build it: make build)`);
    check(fs.existsSync(path.join(WEB_DIST, 'index.html')), `${WEB_DIST}/index.html (build it: make web)`);
  }
  check(fs.existsSync(CHROMIUM), `${CHROMIUM} (apt-get install chromium)`);
  for (const p of [...PHOTOS, GIANT, LOGO, TRUNCATED]) check(fs.existsSync(path.join(CORPUS, p)), `corpus file ${path.join(CORPUS, p)} (set CORPUS)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of fs.readdirSync(ARTIFACTS)) if (f.endsWith('.png') || f.endsWith('.zip')) fs.rmSync(path.join(ARTIFACTS, f));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'imagesprint-e2e-'));
  cleanups.push(() => {
    if (process.env.E2E_KEEP) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  });

  step = 'start the receiver and the server';
  const receiver = await startReceiver(await freePort());
  const server = BASE_URL ? await useRunningService(BASE_URL) : await startServer(await freePort(), tmp);
  log(`server ${server.base}${BASE_URL ? ' (already running)' : ''}, webhook receiver ${receiver.url}`);
  const doc = await (await fetch(`${server.base}/openapi.json`)).json();
  // Every JSON answer is checked against this document (contract.mjs).
  const contract = createContract(doc);
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
  // Every request must go to our server (no CDN, no fonts, no telemetry).
  const requested = [];
  // E2E_OTHER_ORIGINS (an object store's presigned downloads): allowed only for a redirect from
  // the service, or a presigned link (a download's redirect, which Playwright does not chain).
  const redirectedAway = new Set();
  context.on('request', (r) => {
    requested.push(r.url());
    const url = new URL(r.url());
    const fromService = (r.redirectedFrom()?.url() ?? '').startsWith(server.base);
    if (OTHER_ORIGINS.includes(url.origin) && (fromService || url.searchParams.has('X-Amz-Signature'))) redirectedAway.add(r.url());
  });
  const wire = recordResponses(context, server.base, contract);
  const foreignRequests = () => requested.filter((url) => !url.startsWith(server.base) && !/^(data|blob):/.test(url) && !redirectedAway.has(url));
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
      // The test was signed like a real delivery, with the secret the webhook was then given.
      const tested = receiver.requests.find((r) => r.url === '/hook' && r.json?.type === 'webhook.test');
      check(tested && verifySignature(tested, webhookSecret), 'the test message verifies with the webhook’s secret');
      log(`webhook added (test answered: ${testText.trim()})`);
    } else {
      log('SKIP webhooks: this server has no /v1/webhooks yet');
    }

    step = 'pick files';
    await page.getByRole('link', { name: 'Convert' }).click();
    await page.getByRole('heading', { name: 'Convert images' }).waitFor();
    await shoot(page, '03-convert-empty');
    // More than 50: the page says how many were left out.
    const many = [];
    for (let i = 1; i <= 53; i++) {
      const f = path.join(tmp, `many-${String(i).padStart(2, '0')}.png`);
      fs.copyFileSync(path.join(CORPUS, 'edge/with-alpha.png'), f);
      many.push(f);
    }
    await page.getByTestId('file-input').setInputFiles(many);
    const leftOut = await page.getByTestId('left-out').textContent();
    check(leftOut.includes('3 left out') && leftOut.includes('at most 50'), `53 picked: says 3 were left out (${leftOut})`);
    check((await page.getByTestId('picked-count').textContent()).startsWith('50 of 50'), '50 of 50 kept');
    await page.getByRole('button', { name: 'Remove all' }).click();
    check((await page.getByTestId('picked-count').count()) === 0, 'Remove all empties the grid');
    // Marked in the grid with their reason before any upload, while the rest still go: a file
    // over 20 MB, an SVG (by its type), the 280-megapixel JPEG and a text file named .jpg (both
    // by their first bytes, read in the browser). (Files on disk: a 21 MB buffer sent over the
    // DevTools protocol takes seconds.)
    const big = path.join(tmp, 'too-big.jpg');
    fs.writeFileSync(big, Buffer.alloc(21 * 1024 * 1024, 0xff));
    const fake = path.join(tmp, 'not-a-photo.jpg');
    fs.writeFileSync(fake, 'a shopping list, not a photo\n');
    await page.getByTestId('file-input').setInputFiles([big, path.join(CORPUS, 'edge/check.svg'), path.join(CORPUS, GIANT), fake]);
    await page.getByTestId('file-input').setInputFiles(PHOTOS.map((p) => path.join(CORPUS, p)));
    await waitFor('3 thumbnails and 4 marked files', async () => (await page.locator('.thumb img').count()) === 3 && (await page.getByTestId('refused').count()) === 4);
    check((await page.getByTestId('picked-count').textContent()).startsWith('3 of 50'), 'picked count');
    const marked = await page.getByTestId('refused').evaluateAll((els) =>
      els.map((e) => ({ reason: e.dataset.reason, name: e.querySelector('.thumb-name')?.textContent, text: e.textContent })),
    );
    check(marked[0].reason === 'too_large' && marked[0].text.includes('too-big.jpg') && /over 20 MB/.test(marked[0].text), `the big file marked: ${marked[0].text}`);
    check(marked[1].reason === 'type' && marked[1].text.includes('check.svg') && /not an accepted image type/.test(marked[1].text), `the SVG marked: ${marked[1].text}`);
    check(
      marked[2].reason === 'too_many_pixels' && marked[2].text.includes('giant-image.jpg') && /20000 × 14000 \(280 MP\), over the limit of 100 MP/.test(marked[2].text),
      `the 280-megapixel file marked from its header: ${marked[2].text}`,
    );
    check(marked[3].reason === 'type' && marked[3].text.includes('not-a-photo.jpg'), `the text file named .jpg marked from its bytes: ${marked[3].text}`);
    check(/4 marked files will not be uploaded/.test(await page.getByTestId('refused-note').textContent()), 'the submit card says the marked files stay behind');
    check((await page.getByTestId('submit').textContent()) === 'Convert 3 images', 'the other 3 still go');
    log(`marked before upload: ${marked.map((m) => `${m.name} (${m.reason})`).join(', ')}; 3 photos to go`);

    step = 'options and preview';
    // Size modes in words: "Width" 800, the height follows each image.
    await page.getByRole('radio', { name: 'Width', exact: true }).check();
    await page.getByTestId('size-value').fill('800');
    const follows = await page.getByTestId('size-result').textContent();
    check(follows.includes('2560 × 1600 → 800 × 500'), `the height follows (2560x1600 -> 800x500): ${follows}`);
    // The exact box: fit and, for cover, the smart crop are shown and explained.
    await page.getByRole('radio', { name: 'Exact box' }).check();
    check((await page.getByTestId('width').inputValue()) === '800' && (await page.getByTestId('height').inputValue()) === '800', 'the box starts from the number typed');
    await page.getByTestId('height').fill('600');
    check(await page.getByTestId('fit').isEnabled(), 'the fit menu is enabled with both sides set');
    await page.getByTestId('fit').selectOption('cover');
    check(/cut off/.test(await page.getByTestId('fit-hint').textContent()), 'the fit is explained');
    await page.getByRole('radio', { name: 'Attention' }).check();
    check(/draws the eye/.test(await page.locator('.box-fields').textContent()), 'the smart crop is explained');
    if (hasPreview) {
      await waitFor('the preview of the box', async () => /800 × 600/.test(await page.getByTestId('preview-info').textContent().catch(() => '')), 15_000);
    }
    await shoot(page, '04b-convert-box');
    await page.getByRole('radio', { name: 'Width', exact: true }).check();
    check((await page.getByTestId('size-value').inputValue()) === '800', 'back to Width keeps 800');
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
      // The preview switches between the picked files (buttons and the grid).
      await page.getByTestId('preview-next').click();
      await page.getByTestId('preview-next').click();
      check((await page.getByTestId('preview-of').textContent()).startsWith('Image 3 of 3, Landscape_1.jpg'), 'the preview moved to the third image');
      await waitFor('the preview of Landscape_1 (600 x 450: smaller than 800, kept)', async () =>
        /600 × 450, WEBP/.test(await page.getByTestId('preview-info').textContent()),
      );
      check(/kept at 600 × 450/.test(await page.getByTestId('size-result').textContent()), 'the options say the third image is kept, not enlarged');
      await page.getByRole('button', { name: 'Show colorfulcups-2560x1600.jpg in the preview' }).click();
      check((await page.getByTestId('preview-of').textContent()).startsWith('Image 1 of 3'), 'a thumbnail puts its image in the preview');
      await waitFor('the first image back in the preview', async () => /800 × 500, WEBP/.test(await page.getByTestId('preview-info').textContent()));
      log('preview switched 1 -> 3 (kept at 600 × 450) -> 1');
    } else {
      log('SKIP preview: this server has no /v1/preview');
    }
    await page.getByTestId('job-name').fill('e2e photos');
    // On a phone the preview sits under the options.
    await page.setViewportSize({ width: 390, height: 844 });
    const optionsBox = await page.locator('.convert .options').boundingBox();
    const previewBox = await page.locator('.convert .preview').boundingBox();
    check(previewBox.y >= optionsBox.y + optionsBox.height - 1, `at 390 px the preview is under the options (${JSON.stringify({ optionsBox, previewBox })})`);
    await page.setViewportSize({ width: 1280, height: 860 });
    await checkTouchTargets(page, 'the convert page');
    // (The marked files are still in the grid: this shot shows them at both widths too.)
    await shoot(page, '04-convert');

    check(!(await page.getByTestId('manifest').isChecked()), 'manifest.json is left out of the ZIP by default');

    step = 'upload and follow the job';
    await page.getByTestId('submit').click();
    await page.waitForURL(/\/jobs\/[^/]+$/, { timeout: 30_000 });
    const jobId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const created = await page.evaluate(async (id) => (await fetch(`/v1/jobs/${id}`)).json(), jobId);
    check(
      created.total === 3 && created.images.map((i) => i.source_name).join() === PHOTOS.map((p) => path.basename(p)).join(),
      `the marked files stayed behind, the rest uploaded: ${created.images.map((i) => i.source_name)}`,
    );
    log(`job ${jobId} created with the 3 photos`);
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
    // Said what was left alone: Landscape_1 (600 x 450) is smaller than the 800 asked.
    const keptNotes = await page.locator('[data-testid=kept-note]').allTextContents();
    check(
      keptNotes.length === 1 && keptNotes[0] === 'kept at 600 × 450: smaller than asked, not enlarged',
      `one image says it was kept: ${JSON.stringify(keptNotes)}`,
    );
    check((await page.locator('.image-row', { hasText: 'Landscape_1' }).getByTestId('kept-note').count()) === 1, 'on the card of Landscape_1');
    await checkTouchTargets(page, 'the job page');
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
    check(zip.manifest === null, 'no manifest.json in the ZIP (the web app’s default)');
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

    step = 'convert again, and a preset round trip';
    await page.goto(`/jobs/${encodeURIComponent(jobId)}`);
    await page.getByTestId('convert-again').click();
    await page.waitForURL(/\/convert$/);
    await page.getByTestId('convert-again-note').waitFor();
    check(
      (await page.getByTestId('format').inputValue()) === 'webp' &&
        (await page.getByTestId('size-value').inputValue()) === '800' &&
        (await page.getByTestId('watermark-text').inputValue()) === WATERMARK,
      'Convert again fills in the job’s options (WebP, width 800, the watermark)',
    );
    await page.getByTestId('preset-save').click();
    await page.getByTestId('preset-name').fill('e2e 웨딩 800');
    await page.getByTestId('preset-name').press('Enter');
    await page.getByTestId('preset-status').filter({ hasText: 'Saved as preset' }).waitFor();
    check(new URL(page.url()).pathname === '/convert', 'Enter in the preset name saved the preset, not the upload');
    const savedPresets = await page.evaluate(async () => (await fetch('/v1/presets')).json());
    const savedPreset = savedPresets.items[0];
    check(
      savedPresets.items.length === 1 && savedPreset.name === 'e2e 웨딩 800' && savedPreset.options.width === 800 &&
        savedPreset.options.format === 'webp' && savedPreset.options.watermark?.text === WATERMARK && savedPreset.options.manifest === false,
      `the preset holds the options: ${JSON.stringify(savedPresets)}`,
    );
    // A fresh Convert page starts with the last options used (remembered in this browser).
    await page.goto('/convert');
    await page.getByTestId('preset-select').waitFor();
    check((await page.getByTestId('convert-again-note').count()) === 0, 'no "convert again" note on a fresh page');
    check((await page.getByTestId('format').inputValue()) === 'webp', 'the last options used are remembered');
    await page.getByTestId('format').selectOption('png');
    await page.getByRole('radio', { name: 'Original size' }).check();
    await page.getByTestId('preset-select').selectOption({ label: 'e2e 웨딩 800' });
    check(
      (await page.getByTestId('format').inputValue()) === 'webp' && (await page.getByTestId('size-value').inputValue()) === '800',
      'picking the preset fills the form in',
    );
    await page.setViewportSize({ width: 390, height: 844 });
    await checkTouchTargets(page, 'the convert page with presets');
    await shoot(page, '04c-convert-presets-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
    await shoot(page, '04d-convert-presets');
    log(`convert again filled in the job's options; preset "${savedPreset.name}" saved, remembered options, preset applied`);

    step = 'phone: the logo as a thumbnail, the fit menu, touch targets of the form';
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('file-input').setInputFiles([path.join(CORPUS, 'orientation/Landscape_1.jpg')]);
    await page.locator('.thumb img').first().waitFor();
    await page.getByRole('radio', { name: 'Logo image' }).check();
    await page.getByTestId('logo-input').setInputFiles(path.join(CORPUS, LOGO));
    const logoThumb = page.getByTestId('logo-thumb');
    await waitFor('the logo thumbnail, decoded', async () => logoThumb.evaluate((img) => img.complete && img.naturalWidth === 900));
    const logoBox = await logoThumb.boundingBox();
    check(logoBox.width >= 43.5 && logoBox.height >= 43.5, `the chosen logo shows as a thumbnail (${logoBox.width} x ${logoBox.height})`);
    await page.getByRole('radio', { name: 'Exact box' }).check();
    await page.getByTestId('width').fill('1080');
    await page.getByTestId('height').fill('1080');
    const fitMenu = page.getByTestId('fit');
    check((await fitMenu.isEnabled()) && (await fitMenu.isVisible()), 'the fit menu is enabled with both sides set');
    check(/Nothing is cut/.test(await page.getByTestId('fit-hint').textContent()), 'the fit is explained (contain)');
    await fitMenu.selectOption('fill');
    check(/proportions change/.test(await page.getByTestId('fit-hint').textContent()), 'and each choice explained (fill)');
    // Every control of the form measured with Playwright's boundingBox: what a finger hits (the
    // label of a radio or a checkbox), at least 44 x 44 px.
    const formTargets = [
      ['menu item', page.locator('.mainnav a')],
      ['language', page.locator('.lang-switch')],
      ['drop zone', page.getByTestId('dropzone')],
      ['remove a picked file', page.locator('.thumb-remove')],
      ['remove all', page.getByRole('button', { name: 'Remove all' })],
      ['preset menu', page.getByTestId('preset-select')],
      ['size mode', page.locator('.size-modes label')],
      ['box side', page.locator('.box-fields input')],
      ['fit menu', fitMenu],
      ['format menu', page.getByTestId('format')],
      ['quality', page.getByTestId('quality')],
      ['watermark kind', page.getByRole('radiogroup', { name: 'Watermark' }).locator('label')],
      ['remove logo', page.getByRole('button', { name: 'Remove logo' })],
      ['position', page.locator('.position-grid [role=radio]')],
      ['job name', page.getByTestId('job-name')],
      ['manifest checkbox', page.locator('label.check')],
      ['submit', page.getByTestId('submit')],
    ];
    const smallTargetsFound = [];
    let formMeasured = 0;
    for (const [what, locator] of formTargets) {
      const all = await locator.all();
      check(all.length > 0, `a ${what} on the form`);
      for (const el of all) {
        const box = await el.boundingBox();
        formMeasured += 1;
        if (!box || box.width < 43.5 || box.height < 43.5) smallTargetsFound.push(`${what} ${box ? `${box.width.toFixed(1)}x${box.height.toFixed(1)}` : 'not shown'}`);
      }
    }
    check(smallTargetsFound.length === 0, `touch targets under 44 px on the form at 390 px: ${smallTargetsFound.join('; ')}`);
    await shoot(page, '04e-convert-logo-box');
    await page.getByRole('button', { name: 'Remove all' }).click();
    await page.setViewportSize({ width: 1280, height: 860 });
    log(`at 390 px: the logo as a ${logoBox.width} x ${logoBox.height} thumbnail, the fit menu enabled and explained, ${formMeasured} targets of the form all at least 44 x 44 px (boundingBox)`);

    step = 'leave during an upload: warned, and the upload goes on';
    const portrait = path.join(tmp, 'volna-portrait.jpg');
    fs.writeFileSync(portrait, withOrientation(fs.readFileSync(path.join(CORPUS, LONG_EDGE_SOURCE)), 6));
    await page.getByRole('link', { name: 'Convert' }).click();
    // The form still holds the preset's WebP and watermark: the original format, no watermark.
    await page.getByTestId('format').selectOption('original');
    await page.getByLabel('None', { exact: true }).check();
    await page.getByTestId('file-input').setInputFiles([portrait, ...LONG_EDGE_OTHERS.map((p) => path.join(CORPUS, p))]);
    await page.getByRole('radio', { name: 'Long edge' }).check();
    await page.getByTestId('size-value').fill('2048');
    await page.getByTestId('job-name').fill('e2e long edge');
    // Slow the upload down (about 5 MB at 256 KB/s: 20 s) so there is time to try to leave.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    await page.getByTestId('submit').click();
    const uploadBar = page.locator('.submit-card [role=progressbar]');
    await uploadBar.waitFor();
    // An in-app link: the app's own confirm; dismissed, the page and the upload stay.
    const confirmShown = new Promise((resolve) => page.once('dialog', (d) => resolve(d)));
    await page.getByRole('link', { name: 'Jobs', exact: true }).click({ noWaitAfter: true });
    const confirm = await confirmShown;
    check(confirm.type() === 'confirm' && /upload is still running/.test(confirm.message()), `a confirm before leaving (${confirm.type()}: ${confirm.message()})`);
    await confirm.dismiss();
    await page.waitForTimeout(300);
    check(new URL(page.url()).pathname === '/convert', `still on the convert page (${page.url()})`);
    const before = Number(await uploadBar.getAttribute('aria-valuenow'));
    // Leaving the page itself (a reload): the browser's beforeunload prompt.
    const unloadShown = new Promise((resolve) => page.once('dialog', (d) => resolve(d)));
    await page.evaluate(() => setTimeout(() => location.reload(), 0));
    const unload = await unloadShown;
    check(unload.type() === 'beforeunload', `beforeunload before a reload (${unload.type()})`);
    await unload.dismiss();
    await waitFor('the upload to go on', async () => Number(await uploadBar.getAttribute('aria-valuenow')) > before, 10_000);
    log(`warned twice while uploading (${confirm.message()}); upload went on past ${before}%`);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
    await page.waitForURL(/\/jobs\/[^/]+$/, { timeout: 30_000 });
    const longId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());

    step = 'long edge 2048 on a portrait';
    await page.locator('.job-page[data-status=done]').waitFor({ timeout: 60_000 });
    check((await page.getByTestId('job-options').textContent()).startsWith('long edge 2048 px'), 'the job says "long edge 2048 px"');
    const longJob = await page.evaluate(async (id) => (await fetch(`/v1/jobs/${id}`)).json(), longId);
    check(longJob.options.width === 2048 && longJob.options.height === 2048 && longJob.options.fit === 'inside', `sent as 2048 x 2048 inside: ${JSON.stringify(longJob.options)}`);
    const [upright, small, tiff] = longJob.images;
    check(upright.output.height === 2048 && upright.output.width === 1152, `the portrait is 2048 on its long side: ${upright.output.width}x${upright.output.height}`);
    check(small.output.width === 450 && small.output.height === 600, `Portrait_6 kept upright at 450 x 600: ${small.output.width}x${small.output.height}`);
    const longNotes = await page.locator('.image-row').evaluateAll((rows) => rows.map((r) => r.querySelector('[data-testid=kept-note]')?.textContent ?? null));
    check(longNotes[0] === null && longNotes[1] === 'kept at 450 × 600: smaller than asked, not enlarged', `kept notes: ${JSON.stringify(longNotes)}`);
    log(`long edge 2048: ${upright.output.width}x${upright.output.height}; ${small.source_name} kept at 450x600; ${tiff.source_name} -> ${tiff.output.width}x${tiff.output.height} ${tiff.output.format}`);
    await shoot(page, '06b-job-long-edge');

    step = 'the full-size viewer';
    await page.getByTestId('view-image').first().click();
    const viewer = page.getByTestId('viewer');
    await viewer.waitFor();
    const divider = page.getByTestId('viewer-divider');
    check((await divider.evaluate((el) => el === document.activeElement)), 'the divider has the focus');
    await waitFor('both full-size pictures', async () =>
      page.evaluate(() => [...document.querySelectorAll('.viewer-img')].every((i) => i.complete && i.naturalWidth > 0)),
    );
    const shown = await page.evaluate(() => [...document.querySelectorAll('.viewer-img')].map((i) => ({ src: i.getAttribute('src'), w: i.naturalWidth, h: i.naturalHeight })));
    check(shown.some((i) => /\/images\/0$/.test(i.src) && i.w === 1152 && i.h === 2048), `the output at full size: ${JSON.stringify(shown)}`);
    check(shown.some((i) => /\/images\/0\/source$/.test(i.src) && i.w === 2880 && i.h === 5120), `the upload at full size, upright: ${JSON.stringify(shown)}`);
    await page.keyboard.press('ArrowLeft');
    check((await divider.getAttribute('aria-valuenow')) === '45', 'ArrowLeft moves the divider');
    await page.keyboard.press('+');
    check((await viewer.getAttribute('data-zoom')) === '1.5', '+ zooms in');
    await page.keyboard.press('+');
    check((await viewer.getAttribute('data-zoom')) === '2', '+ again');
    await page.keyboard.press('-');
    check((await viewer.getAttribute('data-zoom')) === '1.5', '- zooms out');
    await page.keyboard.press('0');
    // Mouse: drag the divider to a quarter of the canvas.
    const canvasBox = await page.locator('.viewer-canvas').boundingBox();
    const handleBox = await divider.boundingBox();
    await page.mouse.move(handleBox.x + handleBox.width / 2, handleBox.y + handleBox.height / 2);
    await page.mouse.down();
    await page.mouse.move(canvasBox.x + canvasBox.width * 0.25, handleBox.y + handleBox.height / 2, { steps: 5 });
    await page.mouse.up();
    const dragged = Number(await divider.getAttribute('aria-valuenow'));
    check(Math.abs(dragged - 25) <= 2, `a mouse drag moves the divider to 25% (${dragged})`);
    // Touch: a finger drag to three quarters.
    const touch = await context.newCDPSession(page);
    const y = Math.round(canvasBox.y + canvasBox.height / 2);
    const hb = await divider.boundingBox();
    await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: Math.round(hb.x + hb.width / 2), y }] });
    for (const f of [0.4, 0.55, 0.75]) {
      await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: Math.round(canvasBox.x + canvasBox.width * f), y }] });
    }
    await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await touch.detach();
    const touched = Number(await divider.getAttribute('aria-valuenow'));
    check(Math.abs(touched - 75) <= 2, `a touch drag moves the divider to 75% (${touched})`);
    await checkTouchTargets(page, 'the viewer');
    await page.keyboard.press('Home');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    check((await divider.getAttribute('aria-valuenow')) === '50', 'Home, then arrows, back to the middle');
    await shoot(page, '06c-viewer', { fullPage: false });
    // The TIFF: neither its upload nor its TIFF output can be drawn by a browser, so the
    // viewer shows the server's largest thumbnail of each.
    await page.keyboard.press('PageUp');
    await waitFor('the TIFF in the viewer', async () => /tifftag-photoshop/.test(await page.locator('.viewer-title').textContent()));
    await waitFor('its thumbnails', async () =>
      page.evaluate(() => [...document.querySelectorAll('.viewer-img')].every((i) => i.complete && i.naturalWidth > 0 && /\?size=1024$/.test(i.getAttribute('src')))),
    );
    check(/cannot show the file itself/.test(await viewer.textContent()), 'the viewer says why it shows a thumbnail');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    check(await page.getByTestId('view-image').first().evaluate((el) => el === document.activeElement), 'Esc closes and gives the focus back');
    log(`viewer: full size ${shown.map((i) => `${i.w}x${i.h}`).join(' over ')}, keys, mouse and touch drag (${dragged}%, ${touched}%), TIFF through ?size=1024`);

    step = 'a failed image: reason (in English, then in Korean), retry, delete';
    await page.getByRole('link', { name: 'Convert' }).click();
    await page.getByTestId('file-input').setInputFiles([path.join(CORPUS, TRUNCATED), path.join(CORPUS, 'orientation/Landscape_2.jpg')]);
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
    // The reason comes from the error's code, in the reader's language; the server's own words
    // (a decoder's English) are folded away under it.
    const failedRow = page.locator('.image-row[data-status=failed]');
    const sentence = failedRow.getByTestId('image-error');
    const code = await sentence.getAttribute('data-code');
    const serverWords = (await failedRow.getByTestId('image-error-detail').count()) ? await failedRow.getByTestId('image-error-detail').textContent() : '';
    const reason = await sentence.textContent();
    check(code === 'corrupt_image', `the truncated JPEG failed as corrupt_image (got ${code}: ${serverWords})`);
    check(/^The file is damaged or incomplete/.test(reason), `the reason in English from its code: ${reason}`);
    check(serverWords !== '' && (await failedRow.locator('details.error-more').evaluate((d) => !d.open)), 'the server’s words are there, folded away');
    await page.getByRole('button', { name: /Language/ }).click();
    await waitFor('the reason in Korean', async () => /^파일이 손상되었거나 일부가 잘려 있어 읽을 수 없습니다/.test(await sentence.textContent()));
    const reasonKo = await sentence.textContent();
    check(!/[A-Za-z]/.test(reasonKo), `no English in the Korean reason: ${reasonKo}`);
    check((await failedRow.locator('details.error-more summary').textContent()) === '서버가 보낸 자세한 내용', 'the fold is labelled in Korean');
    const tookKo = await page.locator('.facts div', { hasText: '소요 시간' }).locator('dd').textContent();
    check(/\d(밀리초|초|분)/.test(tookKo), `the duration in Korean units: ${tookKo}`);
    await shoot(page, '06d-job-failed-ko');
    await page.getByRole('button', { name: /언어/ }).click();
    await sentence.filter({ hasText: 'damaged' }).waitFor();
    await page.getByRole('button', { name: 'Retry failed images' }).click();
    await page.getByText('Failed images queued again.').waitFor();
    await page.locator('.job-page[data-status=partial]').waitFor({ timeout: 30_000 });
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete job' }).click();
    await page.waitForURL(/\/jobs$/);
    await page.locator(`.job-card[data-job-id="${jobId}"]`).waitFor();
    check((await page.locator(`.job-card[data-job-id="${brokenId}"]`).count()) === 0, 'the deleted job is gone from the list');
    log(`failed image shown from its code ${code}: "${reason}" / "${reasonKo}" (server: ${serverWords}; took ${tookKo}), retried, job deleted`);

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
      const firstDelivery = page.locator('.delivery[data-status=delivered]', { hasText: 'e2e photos' }).first();
      await firstDelivery.getByTestId('delivery-job').waitFor();
      const sentBefore = receiver.requests.filter((r) => r.url === '/hook' && r.body.includes(jobId)).length;
      await firstDelivery.getByTestId('redeliver').click();
      const again = await waitFor(
        'the redelivery at the receiver',
        async () => {
          const all = receiver.requests.filter((r) => r.url === '/hook' && r.body.includes(jobId));
          return all.length > sentBefore ? all : null;
        },
        30_000,
      );
      check(
        again.at(-1).headers['webhook-id'] === again[0].headers['webhook-id'] && verifySignature(again.at(-1), webhookSecret),
        'Redeliver sends the same delivery again, signed',
      );
      log(`webhook delivered (${delivered.json?.type ?? delivered.json?.event ?? 'event'}), shown as delivered`);
    }
    step = 'presets in Settings';
    if (!hasWebhooks) await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('preset-name-shown').filter({ hasText: 'e2e 웨딩 800' }).waitFor();
    await page.getByTestId('preset-rename').click();
    await page.getByTestId('preset-rename-input').fill('e2e wedding 800');
    await page.getByTestId('preset-rename-save').click();
    await page.getByTestId('preset-name-shown').filter({ hasText: 'e2e wedding 800' }).waitFor();
    log('preset renamed in Settings');

    step = 'API key';
    await page.getByTestId('key-name').fill('e2e key');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('secret').last().waitFor();
    check((await page.getByTestId('secret').last().textContent()).startsWith('isk_'), 'the API key is shown once');
    await checkTouchTargets(page, 'the settings page');
    await shoot(page, '08-settings');

    step = 'API reference';
    check((await page.getByTestId('footer-docs').count()) === 1, 'the footer links the API reference');
    const scriptsBefore = requested.filter((u) => /\.js(\?|$)/.test(u));
    check(!scriptsBefore.some((u) => u.includes('redoc')), `Redoc is not loaded before /docs: ${scriptsBefore}`);
    await page.getByTestId('settings-docs').click();
    await page.waitForURL(/\/docs$/);
    await page.getByRole('heading', { name: /ImageSprint API/ }).first().waitFor({ timeout: 20_000 });
    await page.getByText('Batch image conversion').first().waitFor();
    const redocScripts = requested.filter((u) => /redoc/.test(u));
    check(redocScripts.length === 1 && redocScripts[0].startsWith(server.base), `Redoc came from this server: ${redocScripts}`);
    await shoot(page, '11-docs', { fullPage: false });
    log(`API reference rendered (${redocScripts[0].replace(server.base, '')})`);
    await page.goBack();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();

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
    // The other pages in Korean too: shoot() audits each at both widths.
    await page.goto(`/jobs/${encodeURIComponent(jobId)}`);
    await page.locator('.job-page[data-status=done]').waitFor();
    await page.getByRole('link', { name: '작업', exact: true }).waitFor();
    await shoot(page, '06-job-ko');
    await page.getByTestId('view-image').first().click();
    await page.getByTestId('viewer').waitFor();
    await shoot(page, '06c-viewer-ko', { fullPage: false });
    await page.keyboard.press('Escape');
    await page.getByTestId('viewer').waitFor({ state: 'detached' });
    await page.getByTestId('bell').click();
    await page.getByRole('heading', { name: '알림' }).waitFor();
    await shoot(page, '07-notifications-ko');
    await page.getByRole('link', { name: '설정', exact: true }).click();
    await page.getByRole('heading', { name: '설정' }).waitFor();
    await shoot(page, '08-settings-ko');

    step = 'the API from a program, and the contract self-test';
    await checkProgramClient({ base: server.base, doc, contract, corpus: CORPUS, tmp, otherJob: jobId, zipEntries, check, log });

    step = 'log out';
    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.waitForURL(/\/login/);
    await page.getByRole('link', { name: 'API 문서' }).waitFor();
    await shoot(page, '01-login-ko');
    await page.goto('/signup');
    await page.getByRole('heading', { name: '회원가입' }).waitFor();
    await shoot(page, '02-signup-ko');

    step = 'API reference signed out';
    await page.goto('/docs');
    await page.getByRole('heading', { name: /ImageSprint API/ }).first().waitFor({ timeout: 20_000 });
    check(new URL(page.url()).pathname === '/docs', '/docs needs no login');
    await shoot(page, '11-docs-ko', { fullPage: false });

    step = 'resumable uploads: a cut connection and a reload';
    await checkResumableUploads({ browser, serverBase: server.base, behindBalancer: Boolean(BASE_URL), corpus: CORPUS, freePort, cleanups, log, check, waitFor, shoot, checkTouchTargets });

    step = 'every JSON answer as documented';
    const wired = await wire.settle();
    check(wired.checked > 20, `JSON answers seen by the browser (${wired.checked})`);
    check(wired.problems.length === 0, `answers that differ from /openapi.json:\n  ${wired.problems.join('\n  ')}`);
    log(`contract: ${wired.checked} JSON answers to the browser match /openapi.json (${contract.stats.size} operation/status pairs in all)${wired.unread.length ? `; ${wired.unread.length} not readable (dropped by a navigation)` : ''}`);

    step = 'accessibility';
    const inaccessible = audit.failures();
    check(inaccessible.length === 0, `serious or critical axe violations:\n  ${inaccessible.join('\n  ')}`);
    log(`accessibility: ${audit.summary()}`);

    check(foreignRequests().length === 0, `every request went to the server: ${foreignRequests().join(', ')}`);
    if (redirectedAway.size) log(`${redirectedAway.size} download(s) redirected by the service to ${OTHER_ORIGINS.join(', ')} (presigned)`);

    const relevantErrors = consoleErrors.filter((e) => !/Failed to load resource/.test(e));
    check(relevantErrors.length === 0, `no errors in the browser console: ${relevantErrors.join(' | ')}`);
    log(`PASS in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(repo, ARTIFACTS)}/`);
  } catch (e) {
    await page.screenshot({ path: path.join(ARTIFACTS, 'failure.png'), fullPage: true }).catch(() => undefined);
    console.error(`[e2e] browser console errors: ${consoleErrors.join(' | ') || 'none'}`);
    for (const logFile of server.logFiles) {
      try {
        console.error(`[e2e] ${path.basename(logFile)} tail:\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}`);
      } catch {
        // no log
      }
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
