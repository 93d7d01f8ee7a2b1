// Resumable uploads in the browser (tus, tus-js-client): the app reaches the server through a
// small HTTP proxy of this test that can cut or hold a PATCH part-way, and counts the request-body
// bytes of every PATCH it forwards to the server.
//
//   - cut: the first PATCH of a photo is cut off at half the file (both connections closed);
//     tus-js-client asks the server for the offset and sends the rest. The server must keep the
//     bytes of the cut request: the PATCH bytes forwarded add up to the file's size exactly (no
//     byte sent twice), and the job's input is the file, byte for byte.
//   - reload: the PATCH is held at about 40% (the bytes beyond are not forwarded), the tab is
//     reloaded (the leave guard's beforeunload prompt, accepted); the Convert page then offers
//     the upload again from IndexedDB, "Resume upload" goes on from the server's offset, the job
//     is made and done, and again the bytes add up to the file's size.
//   - converting while uploading (one service, not behind a balancer, whose /metrics count every
//     conversion): of two photos, the second one's PATCH is held at 40%; the first photo must be
//     converted meanwhile (the app asks for the job with await_uploads beside its uploads). Then
//     the held PATCH is cut, tus sends the rest, and the job of both is done.
// Both at 390 and at 1280 px (the banner is shot and audited at both widths, its buttons
// measured at 390 px).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

/** The proxy: forwards everything to `target`; PATCH bodies counted, cut or held per `mode`. */
async function startProxy(target, port, cleanups) {
  const stats = { patches: [], mode: { kind: 'pass' } };
  const server = http.createServer((req, res) => {
    let record = null;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (answer) => {
        if (record) record.status = answer.statusCode;
        // A fresh connection for every request: Chrome silently sends a request again when a
        // reused connection breaks under it, which would send the cut PATCH's bytes twice
        // behind the app's back (and its tus client's).
        // Links the service makes to itself (tus's Location) name its public URL, which behind
        // the cluster's haproxy is haproxy's: pointed back at this proxy, as a reverse proxy in
        // front of a service does, so the browser's PATCHes come through here.
        const headers = { ...answer.headers, connection: 'close' };
        if (typeof headers.location === 'string' && headers.location.startsWith(target.origin)) {
          headers.location = `http://127.0.0.1:${port}${headers.location.slice(target.origin.length)}`;
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    const isPatch = req.method === 'PATCH';
    record = isPatch ? { url: req.url, offset: req.headers['upload-offset'], forwarded: 0, cut: false, held: false, status: 0 } : null;
    if (record) stats.patches.push(record);
    const mode = stats.mode;
    let stopped = false;
    req.on('data', (chunk) => {
      if (stopped) return;
      if (!record) {
        upstream.write(chunk);
        return;
      }
      // `skip`: so many PATCHes go through untouched before the one that is cut or held.
      const target = (mode.kind === 'cut' || mode.kind === 'hold') && stats.patches.indexOf(record) >= (mode.skip ?? 0);
      const at = target ? mode.at : Infinity;
      const take = Math.max(0, Math.min(chunk.length, at - record.forwarded));
      if (take > 0) {
        upstream.write(chunk.subarray(0, take));
        record.forwarded += take;
      }
      if (take < chunk.length) {
        stopped = true;
        if (mode.kind === 'cut') {
          // Once once: the retry goes through. Flushed first, then both ends closed.
          record.cut = true;
          stats.mode = { kind: 'pass' };
          upstream.write(Buffer.alloc(0), () => {
            upstream.destroy();
            req.socket.destroy();
          });
        } else {
          record.held = true; // the client waits; the rest is never forwarded ...
          // ... until the test cuts it (both connections closed): tus then sends the rest.
          record.release = () => {
            upstream.destroy();
            req.socket.destroy();
          };
        }
      }
    });
    req.on('end', () => {
      if (!stopped) upstream.end();
    });
    // The browser went away (a reload): the server sees its request break off.
    req.on('close', () => {
      if (stopped || !req.complete) upstream.destroy();
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  );
  return { base: `http://127.0.0.1:${port}`, stats };
}

// `behindBalancer`: the service answers through a load balancer (the cluster's haproxy). A
// balancer drops what it still buffers of a request whose client went away, so of a cut PATCH
// the service keeps what reached it, maybe less than this proxy forwarded: there the bytes the
// service received are counted from the offsets it answers (each PATCH starts where the service
// says the upload stands), not from what this proxy forwarded.
export async function checkResumableUploads({ browser, serverBase, behindBalancer = false, corpus, freePort, cleanups, log, check, waitFor, shoot, checkTouchTargets }) {
  const proxy = await startProxy(new URL(serverBase), await freePort(), cleanups);
  const photos = {
    cut: ['photos/colorfulcups-2560x1600.jpg', 'photos/path-2560x1600.jpg'],
    reload: ['photos/fallenleaf-2560x1600.jpg', 'photos/eveningglow-2560x1600.jpg'],
  };
  const widths = [
    { width: 390, height: 844 },
    { width: 1280, height: 860 },
  ];
  for (const [w, viewport] of widths.entries()) {
    const context = await browser.newContext({ viewport, locale: 'en-GB', baseURL: proxy.base });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const email = `e2e-tus-${w}-${Date.now()}@example.com`;
      const signup = await context.request.post('/v1/auth/signup', { data: { email, password: 'correct horse battery' } });
      check(signup.ok(), `sign up through the proxy (${signup.status()})`);

      // A file's PATCH bytes forwarded to the server, and its job's input compared with it.
      const checkJob = async (file, what) => {
        await page.waitForURL(/\/jobs\/[^/]+$/, { timeout: 60_000 });
        const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
        await page.locator('.job-page[data-status=done]').waitFor({ timeout: 60_000 });
        const bytes = fs.readFileSync(file);
        const source = await context.request.get(`/v1/jobs/${encodeURIComponent(id)}/images/0/source`);
        const kept = Buffer.from(await source.body());
        check(kept.equals(bytes), `${what}: the job's input is the file byte for byte (${kept.length} of ${bytes.length})`);
        const patches = proxy.stats.patches;
        if (!behindBalancer) {
          const sent = patches.reduce((sum, p) => sum + p.forwarded, 0);
          check(sent === bytes.length, `${what}: PATCH bytes forwarded to the server add up to the file (${sent} of ${bytes.length}: ${JSON.stringify(patches)})`);
        } else {
          // What the service kept of each PATCH is where the next one starts (its offset).
          const received = patches.reduce(
            (sum, p, i) => sum + (i + 1 < patches.length ? Number(patches[i + 1].offset) - Number(p.offset) : p.forwarded),
            0,
          );
          const resumedAt = patches.length > 1 ? Number(patches[patches.length - 1].offset) : 0;
          check(received === bytes.length && resumedAt > 0,
            `${what}: the service received the file's bytes once, resuming at ${resumedAt} (${received} of ${bytes.length}: ${JSON.stringify(patches)})`);
        }
        return id;
      };

      // --- A dropped connection: tus goes on from the offset the server kept.
      await page.goto('/convert');
      await page.getByRole('heading', { name: 'Convert images' }).waitFor();
      const cutFile = path.join(corpus, photos.cut[w]);
      const cutSize = fs.statSync(cutFile).size;
      proxy.stats.patches = [];
      proxy.stats.mode = { kind: 'cut', at: Math.floor(cutSize / 2) };
      await page.getByTestId('file-input').setInputFiles([cutFile]);
      await page.getByTestId('submit').click();
      await checkJob(cutFile, `cut at half, ${viewport.width} px`);
      check(proxy.stats.patches.length >= 2 && proxy.stats.patches[0].cut, `the first PATCH was cut, another went on (${proxy.stats.patches.length} PATCHes)`);
      check(proxy.stats.patches[0].forwarded === Math.floor(cutSize / 2), 'the cut PATCH forwarded half the file');
      log(`tus at ${viewport.width} px: a PATCH cut at ${Math.floor(cutSize / 2)} of ${cutSize} bytes resumed; the server got each byte once (${proxy.stats.patches.length} PATCHes)`);

      // --- A reload mid-upload: the page offers the remembered upload again.
      await page.goto('/convert');
      await page.getByRole('heading', { name: 'Convert images' }).waitFor();
      const heldFile = path.join(corpus, photos.reload[w]);
      const heldSize = fs.statSync(heldFile).size;
      const heldAt = Math.floor(heldSize * 0.4);
      proxy.stats.patches = [];
      proxy.stats.mode = { kind: 'hold', at: heldAt };
      await page.getByTestId('file-input').setInputFiles([heldFile]);
      await page.getByTestId('job-name').fill(`e2e resumed ${viewport.width}`);
      await page.getByTestId('submit').click();
      await waitFor('the PATCH to be held', () => proxy.stats.patches.some((p) => p.held), 20_000);
      const unloadShown = new Promise((resolve) => page.once('dialog', (d) => resolve(d)));
      const reloaded = page.reload();
      const unload = await unloadShown;
      check(unload.type() === 'beforeunload', `a reload while uploading asks first (${unload.type()})`);
      await unload.accept();
      await reloaded;
      proxy.stats.mode = { kind: 'pass' };
      const banner = page.getByTestId('resume-banner');
      await banner.waitFor();
      check(/Files: 1 \(/.test(await banner.textContent()), `the banner counts the remembered file (${await banner.textContent()})`);
      if (w === 0) {
        await shoot(page, '12-convert-resume');
        await checkTouchTargets(page, 'the resume banner');
      }
      await page.getByTestId('resume-upload').click();
      const resumedId = await checkJob(heldFile, `reloaded at 40%, ${viewport.width} px`);
      const resumedJob = await (await context.request.get(`/v1/jobs/${encodeURIComponent(resumedId)}`)).json();
      check(resumedJob.name === `e2e resumed ${viewport.width}`, `the resumed job keeps its settings (name ${resumedJob.name})`);
      // Made: nothing is offered any more.
      await page.goto('/convert');
      await page.getByRole('heading', { name: 'Convert images' }).waitFor();
      await page.waitForTimeout(300);
      check((await banner.count()) === 0, 'no resume offered once the job is made');
      log(`tus at ${viewport.width} px: reloaded at ${heldAt} of ${heldSize} bytes, resumed from IndexedDB; each byte sent once`);

      // --- Converting while uploading: the first photo is converted while the second arrives.
      if (!behindBalancer && w === 1) {
        const converted = async () => {
          const text = await (await context.request.get('/metrics')).text();
          let sum = 0;
          for (const m of text.matchAll(/^imagesprint_images_total\{[^}]*\} (\d+)/gm)) sum += Number(m[1]);
          return sum;
        };
        await page.goto('/convert');
        await page.getByRole('heading', { name: 'Convert images' }).waitFor();
        const pair = [path.join(corpus, photos.cut[0]), path.join(corpus, photos.reload[0])];
        const secondSize = fs.statSync(pair[1]).size;
        const before = await converted();
        proxy.stats.patches = [];
        proxy.stats.mode = { kind: 'hold', at: Math.floor(secondSize * 0.4), skip: 1 };
        await page.getByTestId('file-input').setInputFiles(pair);
        await page.getByTestId('submit').click();
        await waitFor('the second photo\'s PATCH to be held', () => proxy.stats.patches.some((p) => p.held), 20_000);
        const during = await waitFor('the first photo to be converted while the second uploads', async () => ((await converted()) > before ? await converted() : 0), 30_000);
        check(during > before, `the first photo was converted while the second was still uploading (${during - before} conversion(s))`);
        const held = proxy.stats.patches.find((p) => p.held);
        proxy.stats.mode = { kind: 'pass' };
        held.release();
        await page.waitForURL(/\/jobs\/[^/]+$/, { timeout: 60_000 });
        await page.locator('.job-page[data-status=done]').waitFor({ timeout: 60_000 });
        const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
        const job = await (await context.request.get(`/v1/jobs/${encodeURIComponent(id)}`)).json();
        check(job.total === 2 && job.done === 2, `the job of both photos is done (${job.done} of ${job.total})`);
        log(`tus at ${viewport.width} px: the first photo was converted while the second's upload was held at 40%; the job was made once both arrived`);
      }
    } finally {
      await context.close();
    }
  }
}
