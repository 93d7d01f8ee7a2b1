/// <reference types="node" />
// The message catalogue: every error code the server can send (read from its sources and its
// OpenAPI document, not only from our list) has a Korean and an English sentence, and every code
// an image can fail with has one worded for the job page. A code added on the server without
// texts here fails this test.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ERROR_CODES, IMAGE_ERROR_CODES, LABELLED_FIELDS, SERVER_ERROR_CODES } from './errorCodes';
import { ko } from './ko';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const src = path.join(repo, 'src');
const dictionaries = { en: en as Record<string, string>, ko: ko as Record<string, string> };

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(cpp|hpp)$/.test(e.name) ? [full] : [];
  });
}

/** The members of `enum class ErrorCode { ... }` (src/domain/error.hpp). */
export function enumCodes(header: string): string[] {
  const body = /enum class ErrorCode\s*\{([^}]*)\}/.exec(header)?.[1] ?? '';
  return [...body.replace(/\/\/[^\n]*/g, '').matchAll(/([a-z_]+)\s*(?:,|$)/g)].map((m) => m[1]!);
}

/** Codes written as literals where an error answer is made: HttpError(Status::x, "code", ...),
 * Response::error(Status::x, "code", ...),
 * error_json("code", ...), the status defaults (`return "code";` in default_error_code) and the
 * worker's record_failure(job, index, "code", ...). */
export function literalCodes(source: string): string[] {
  const patterns = [
    /HttpError\(\s*(?:http::)?Status::\w+,\s*"([a-z_]+)"/g,
    /Response::error\(\s*(?:http::)?Status::\w+,\s*"([a-z_]+)"/g,
    /error_json\(\s*"([a-z_]+)"/g,
    /record_failure\([^,()]+,[^,()]+,\s*"([a-z_]+)"/g,
  ];
  const found = patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]!));
  const defaults = /default_error_code\(Status status\)\s*\{([\s\S]*?)\n\}/.exec(source)?.[1];
  if (defaults) found.push(...[...defaults.matchAll(/return "([a-z_]+)";/g)].map((m) => m[1]!));
  return found;
}

describe('the scanners', () => {
  it('find codes in made-up source', () => {
    expect(enumCodes('enum class ErrorCode {\n  a_b,  // x, y\n  c,\n  d  // last\n};')).toEqual(['a_b', 'c', 'd']);
    expect(
      literalCodes(
        'throw HttpError(Status::gone, "brand_new", "x");\nco_return Response::error(Status::bad_request,\n "fifth", "m");\nerror_json("other", "m", "");\nrecord_failure(*job, task.image_index, "third",\nstd::string_view default_error_code(Status status) {\n  switch (status) {\n    case Status::x:\n      return "fourth";\n  }\n}',
      ).sort(),
    ).toEqual(['brand_new', 'fifth', 'fourth', 'other', 'third']);
  });
});

describe('every code the server can send', () => {
  const header = fs.readFileSync(path.join(src, 'domain/error.hpp'), 'utf8');
  const fromSources = new Set(sourceFiles(src).flatMap((f) => literalCodes(fs.readFileSync(f, 'utf8'))));
  const doc = JSON.parse(fs.readFileSync(path.join(src, 'adapters/http/api/openapi.json'), 'utf8'));
  const codeSchema = doc.components.schemas.Error.properties.error.properties.code;
  const imageCodeSchema = doc.components.schemas.ImageError.properties.code;

  it('the engine’s and use cases’ codes (ErrorCode) are the codes an image can fail with', () => {
    expect([...IMAGE_ERROR_CODES].sort()).toEqual(enumCodes(header).sort());
  });
  it('the codes written in the server’s sources are all listed', () => {
    expect(fromSources.size).toBeGreaterThan(10);
    expect([...fromSources].filter((c) => !SERVER_ERROR_CODES.includes(c))).toEqual([]);
  });
  it('the OpenAPI document’s enum of Error.code is exactly the codes the server sends', () => {
    expect([...(codeSchema.enum as string[])].sort()).toEqual([...SERVER_ERROR_CODES].sort());
    expect([...(imageCodeSchema.enum as string[])].sort()).toEqual([...IMAGE_ERROR_CODES].sort());
  });
  it('the codes written in the server’s sources are all in the OpenAPI document', () => {
    expect([...fromSources].filter((c) => !(codeSchema.enum as string[]).includes(c))).toEqual([]);
  });
});

describe('the catalogue', () => {
  it.each(Object.entries(dictionaries))('%s has a sentence for every error code', (_lang, dict) => {
    const missing = ERROR_CODES.filter((c) => !dict[`error.${c}`]?.trim());
    expect(missing).toEqual([]);
  });
  it.each(Object.entries(dictionaries))('%s has a job-page sentence for every code an image can fail with', (_lang, dict) => {
    expect(IMAGE_ERROR_CODES.filter((c) => !dict[`imageError.${c}`]?.trim())).toEqual([]);
  });
  it.each(Object.entries(dictionaries))('%s has a label for every field an error names', (_lang, dict) => {
    expect(LABELLED_FIELDS.filter((f) => !dict[`field.${f}`]?.trim())).toEqual([]);
  });
  it('Korean sentences are Korean (not English copied over)', () => {
    const codes = [...ERROR_CODES.map((c) => `error.${c}`), ...IMAGE_ERROR_CODES.map((c) => `imageError.${c}`)];
    expect(codes.filter((k) => !/[\uac00-\ud7a3]/.test(dictionaries.ko[k] ?? ''))).toEqual([]);
  });
  it('no sentence for a code that does not exist (a renamed code leaves no stale text)', () => {
    const helpers = ['error.title', 'error.login', 'error.field', 'error.aboutFile', 'error.serverSaid'];
    const stale = Object.keys(en).filter(
      (k) =>
        (k.startsWith('error.') && !helpers.includes(k) && !ERROR_CODES.includes(k.slice(6) as never)) ||
        (k.startsWith('imageError.') && !(IMAGE_ERROR_CODES as readonly string[]).includes(k.slice(11))),
    );
    expect(stale).toEqual([]);
  });
});
