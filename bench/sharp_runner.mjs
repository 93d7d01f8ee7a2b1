// The sharp side of the benchmark (driven by imagesprint-bench, see tool_sharp.cpp).
//
//   node bench/sharp_runner.mjs JOB.json   converts the job's items, `concurrency` at a time
//   node bench/sharp_runner.mjs --versions prints sharp.versions as JSON
//
// JOB.json: {concurrency (images in flight), threads (sharp.concurrency), width, height|null,
//            format: "jpeg"|"webp", quality, watermark: {text, fontFamily, opacity} | absent,
//            items: [{input, output, fontPx?, margin?, textWidth?}]}
// Prints one JSON line {ok, failed, seconds, errors} and exits 1 if any image failed.
//
// `sharp` resolves from the repository's node_modules (the package.json pin), found by walking
// up from this file, whatever the working directory.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

// No operation cache, as in sharp's own benchmark (test/bench/perf.js: "to ensure tests are as
// fair as they can be"). The libvips threads per image (sharp.concurrency) come with the job.
sharp.cache(false);

function escapeXml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
}

// A text overlay as SVG, `margin` pixels from the bottom-right corner once composited with
// gravity southeast: the canvas is the text box plus the margin, the text right-aligned on it.
function watermarkSvg(watermark, item) {
  const fontPx = item.fontPx;
  const width = Math.ceil(item.textWidth * 1.2) + item.margin;
  const height = Math.ceil(fontPx * 1.3) + item.margin;
  const baseline = height - item.margin - Math.round(fontPx * 0.25); // room for descenders
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="${width - item.margin}" y="${baseline}" text-anchor="end" ` +
      `font-family="${escapeXml(watermark.fontFamily)}" font-size="${fontPx.toFixed(2)}px" ` +
      `fill="#ffffff" fill-opacity="${watermark.opacity}">${escapeXml(watermark.text)}</text></svg>`,
  );
}

async function convertOne(job, item) {
  let pipeline = sharp(item.input, { autoOrient: true }).resize(job.width, job.height ?? null, {
    fit: 'inside',
    withoutEnlargement: true,
  });
  if (job.watermark) {
    pipeline = pipeline.composite([{ input: watermarkSvg(job.watermark, item), gravity: 'southeast' }]);
  }
  if (job.format === 'jpeg') {
    pipeline = pipeline.jpeg({ quality: job.quality });
  } else if (job.format === 'webp') {
    pipeline = pipeline.webp({ quality: job.quality });
  } else {
    throw new Error(`unsupported format ${job.format}`);
  }
  await pipeline.toFile(item.output);
}

async function run(jobFile) {
  const job = JSON.parse(await readFile(jobFile, 'utf8'));
  sharp.concurrency(job.threads ?? 1);
  const started = process.hrtime.bigint();
  let next = 0;
  let ok = 0;
  const errors = [];
  // `concurrency` workers, each taking the next item when its previous one is done.
  const worker = async () => {
    while (next < job.items.length) {
      const item = job.items[next++];
      try {
        await convertOne(job, item);
        ok += 1;
      } catch (err) {
        errors.push(`${item.input}: ${err.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, job.concurrency) }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`${JSON.stringify({ ok, failed: errors.length, seconds, errors })}\n`);
  for (const e of errors) process.stderr.write(`failed: ${e}\n`);
  return errors.length === 0 ? 0 : 1;
}

const arg = process.argv[2];
if (arg === '--versions') {
  process.stdout.write(`${JSON.stringify(sharp.versions)}\n`);
} else if (arg) {
  process.exitCode = await run(arg);
} else {
  process.stderr.write('usage: node sharp_runner.mjs JOB.json | --versions\n');
  process.exitCode = 2;
}
