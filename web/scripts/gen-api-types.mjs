#!/usr/bin/env node
// Generates src/api/schema.d.ts, the TypeScript types of the API, from the server's OpenAPI
// document (src/adapters/http/api/openapi.json, the one embedded in the binary) with
// openapi-typescript. `npm run build` runs it first; `--check` writes nothing and exits 1 when
// the committed file differs from what the document produces (a Vitest runs that).
// Usage: node scripts/gen-api-types.mjs [--check] [--doc FILE] [--out FILE]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? path.resolve(args[i + 1]) : fallback;
};
const docFile = option('--doc', path.resolve(web, '../src/adapters/http/api/openapi.json'));
const outFile = option('--out', path.join(web, 'src/api/schema.d.ts'));
const check = args.includes('--check');

const HEADER = `// Generated from src/adapters/http/api/openapi.json by web/scripts/gen-api-types.mjs
// (openapi-typescript). Do not edit: change the document, then \`npm run build\` (or
// \`node scripts/gen-api-types.mjs\`) in web/. A test fails when this file is stale.

`;

const doc = JSON.parse(fs.readFileSync(docFile, 'utf8'));
const generated = HEADER + astToString(await openapiTS(doc, { defaultNonNullable: false }));
const current = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : null;
const relative = path.relative(process.cwd(), outFile);

if (check) {
  if (current !== generated) {
    console.error(`${relative} is stale: it differs from what ${path.relative(process.cwd(), docFile)} produces; run \`npm run build\` in web/ and commit it`);
    process.exit(1);
  }
  console.log(`${relative} is up to date`);
} else if (current !== generated) {
  fs.writeFileSync(outFile, generated);
  console.log(`wrote ${relative}`);
}
