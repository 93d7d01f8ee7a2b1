// schema.d.ts is generated from the server's OpenAPI document (scripts/gen-api-types.mjs, run by
// `npm run build`); this fails when the committed file is not what the document produces.
/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { api, type CreatedApiKey, type Job, type NotificationPage, type WebhookTestResult } from './client';

const web = fileURLToPath(new URL('../..', import.meta.url));
const documentFile = path.resolve(web, '../src/adapters/http/api/openapi.json');

function check(...extra: string[]) {
  return spawnSync(process.execPath, ['scripts/gen-api-types.mjs', '--check', ...extra], { cwd: web, encoding: 'utf8' });
}

describe('generated API types', () => {
  // No time limit: generating takes seconds on a loaded machine.
  it('src/api/schema.d.ts is what the OpenAPI document produces', { timeout: 0 }, () => {
    const run = check();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('a change to the document makes the check fail', { timeout: 0 }, () => {
    const doc = JSON.parse(fs.readFileSync(documentFile, 'utf8'));
    doc.components.schemas.Job.properties.added_in_the_document = { type: 'string' };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagesprint-schema-'));
    try {
      const changed = path.join(dir, 'openapi.json');
      fs.writeFileSync(changed, JSON.stringify(doc));
      const run = check('--doc', changed);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/schema\.d\.ts is stale/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Compile-time (tsc, in `npm run build`): the client's answers are the document's schemas, so
// an operation whose types did not resolve (never) cannot pass unnoticed.
describe('the client takes its types from the document', () => {
  it('answers with the generated shapes', () => {
    expectTypeOf<Awaited<ReturnType<typeof api.job>>>().toEqualTypeOf<Job>();
    expectTypeOf<Awaited<ReturnType<typeof api.jobs>>>().toEqualTypeOf<{ items: Job[]; next_cursor: string | null }>();
    expectTypeOf<Awaited<ReturnType<typeof api.createApiKey>>>().toEqualTypeOf<CreatedApiKey>();
    expectTypeOf<Awaited<ReturnType<typeof api.notifications>>>().toEqualTypeOf<NotificationPage>();
    expectTypeOf<Awaited<ReturnType<typeof api.testWebhook>>>().toEqualTypeOf<WebhookTestResult>();
    expectTypeOf<Awaited<ReturnType<typeof api.deleteJob>>>().toEqualTypeOf<void>();
  });
});
