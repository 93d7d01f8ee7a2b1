// The API as a program uses it, against the running server: a second account signed up and
// signed in over HTTP, an API key, the error answers a client meets (each checked against the
// document like every other answer), then the README's Python client
// (docs/examples/imagesprint_client.py) run as a user would run it: upload, follow the job's
// event stream, download the ZIP. Its job then feeds the contract's self-test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selfTest } from './contract.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLIENT_EXAMPLE = path.join(repo, 'docs/examples/imagesprint_client.py');
const FILES = ['orientation/Landscape_1.jpg', 'orientation/Portrait_6.jpg'];

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * base: the server; doc and contract: its document and the check (contract.mjs); otherJob: a job
 * of the browser's user (another account's: must answer 404 here); zipEntries(file) lists a ZIP.
 */
export async function checkProgramClient({ base, doc, contract, corpus, tmp, otherJob, zipEntries, check, log }) {
  let calls = 0;
  async function api(method, target, { token, json, expect } = {}) {
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(base + target, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await response.text();
    const type = response.headers.get('content-type');
    const problems = contract.check(method, base + target, response.status, type, text);
    calls += 1;
    check(problems.length === 0, `${method} ${target} answers as documented: ${problems.join('; ')}`);
    check(response.status === expect, `${method} ${target}: ${expect} expected, got ${response.status} ${text.slice(0, 300)}`);
    return text && /json/.test(type ?? '') ? JSON.parse(text) : undefined;
  }

  const email = `program-${Date.now()}@example.com`;
  const password = 'correct horse battery';
  await api('POST', '/v1/auth/signup', { json: { email, password }, expect: 201 });
  const { token } = await api('POST', '/v1/auth/login', { json: { email, password }, expect: 200 });
  await api('GET', '/v1/me', { token, expect: 200 });
  await api('GET', '/v1/me', { expect: 401 });
  await api('POST', '/v1/auth/login', { json: { email, password: 'wrong password' }, expect: 401 });
  await api('GET', `/v1/jobs/${encodeURIComponent(otherJob)}`, { token, expect: 404 });
  await api('GET', `/v1/jobs/${encodeURIComponent(otherJob)}/events`, { token, expect: 404 });
  await api('GET', '/v1/jobs?status=sideways', { token, expect: 400 });
  await api('POST', '/v1/webhooks', { token, json: { type: 'generic' }, expect: 400 });
  await api('GET', '/v1/webhooks/999999', { token, expect: 404 });
  const health = await api('GET', '/healthz', { expect: 200 });
  await api('GET', '/readyz', { expect: 200 });
  await api('GET', '/healthz?probe=%zz', { expect: 400 });
  const key = await api('POST', '/v1/api-keys', { token, json: { name: 'e2e program' }, expect: 201 });
  check(key.key.startsWith('isk_'), 'the API key is answered once');
  const keys = await api('GET', '/v1/api-keys', { token: key.key, expect: 200 });
  check(keys.items.length === 1 && !('key' in keys.items[0]), 'the key is listed, without its secret');

  // The README's client, as a user runs it, with the API key.
  const zip = path.join(tmp, 'program-client.zip');
  const client = await run('python3', [
    CLIENT_EXAMPLE,
    '--url', base,
    '--token', key.key,
    '--options', JSON.stringify({ width: 320, format: 'png' }),
    '--out', zip,
    ...FILES.map((f) => path.join(corpus, f)),
  ]);
  check(client.code === 0, `the Python client exits 0 (${client.code}): ${client.stdout}${client.stderr}`);
  const jobId = /^job (\S+):/m.exec(client.stdout)?.[1];
  check(jobId && /: done, 2 converted, 0 failed$/m.test(client.stdout), `the client followed its job to the end: ${client.stdout}`);
  const entries = zipEntries(zip);
  const images = entries.entries.filter((e) => e.name !== 'manifest.json');
  check(
    entries.bad === null && images.length === 2 && images.every((e) => e.name.endsWith('.png') && e.head.startsWith('89504e47')),
    `the client's ZIP holds 2 PNGs: ${JSON.stringify(entries.entries)}`,
  );

  // Its job, seen through the API: the sample for the self-test.
  const list = await api('GET', '/v1/jobs', { token: key.key, expect: 200 });
  check(list.items.some((j) => j.id === jobId), 'the job is in the list');
  const job = await api('GET', `/v1/jobs/${encodeURIComponent(jobId)}`, { token: key.key, expect: 200 });
  await api('POST', `/v1/jobs/${encodeURIComponent(jobId)}/cancel`, { token, expect: 409 });
  await api('GET', `/v1/jobs/${encodeURIComponent(jobId)}/images/9`, { token, expect: 404 });
  const caught = selfTest(doc, { health, job });
  await api('DELETE', `/v1/api-keys/${key.id}`, { token, expect: 204 });
  await api('GET', '/v1/me', { token: key.key, expect: 401 });

  // The README shows this very file.
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  check(readme.includes(fs.readFileSync(CLIENT_EXAMPLE, 'utf8').trim()), `README.md shows ${path.relative(repo, CLIENT_EXAMPLE)} as it is`);

  log(`API from a program: ${calls} direct calls as documented; the Python client ran job ${jobId} to "done" and wrote a ZIP of ${images.length} PNGs`);
  log(`contract self-test: ${caught.length} deliberately wrong schemas and bodies all caught:\n  ${caught.join('\n  ')}`);
}
