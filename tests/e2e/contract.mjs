// The API contract, checked on the wire: every JSON body the end-to-end suite receives is
// validated against the schema that the server's own /openapi.json gives for that route,
// method and status (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses it).
//
// Closed objects: a field the server sends that the document does not list is a failure. The
// document says so itself (`additionalProperties: false` on its object schemas); any object
// schema left open by mistake is closed here too, so a forgotten one cannot hide a field. Only
// an explicit `additionalProperties: true` (the /openapi.json answer) stays open. A field the
// document lists as required and the server leaves out is a failure; so is a status, a route or
// a JSON body the document does not have.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(repo, 'package.json'));
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const DOC_ID = 'https://imagesprint.invalid/openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** OpenAPI's own keywords beside a JSON Schema: annotations to the validator. */
const OPENAPI_KEYWORDS = ['openapi', 'info', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs', 'jsonSchemaDialect'];
const SCHEMA_ANNOTATIONS = ['example', 'xml', 'discriminator'];

const escapePointer = (part) => part.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * A deep copy of the document in which every object schema that lists `properties` and says
 * nothing about extra ones is closed. Schemas combined with allOf are left as they are (closing
 * each part would refuse the other parts' fields); the document names its shapes instead.
 */
export function closeObjectSchemas(doc) {
  const copy = structuredClone(doc);
  const visit = (node, inAllOf) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, inAllOf);
      return;
    }
    if (!node || typeof node !== 'object') return;
    if (
      node.properties &&
      typeof node.properties === 'object' &&
      !inAllOf &&
      !('additionalProperties' in node) &&
      !('unevaluatedProperties' in node) &&
      !node.allOf
    ) {
      node.additionalProperties = false;
    }
    for (const [key, value] of Object.entries(node)) {
      // `properties` maps names to schemas: a property called "properties" is not a keyword.
      if (key === 'properties' && value && typeof value === 'object') {
        for (const schema of Object.values(value)) visit(schema, false);
      } else {
        visit(value, key === 'allOf');
      }
    }
  };
  visit(copy, false);
  return copy;
}

/** The operation a request path and method reach: literal segments win over templated ones. */
function routeTable(doc) {
  const routes = [];
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    const parts = template.split('/');
    const pattern = new RegExp(`^${parts.map((p) => (/^\{[^}]+\}$/.test(p) ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
    const literal = parts.filter((p) => !p.startsWith('{')).length;
    routes.push({ template, item, pattern, literal });
  }
  routes.sort((a, b) => b.literal - a.literal);
  return routes;
}

/**
 * contract.check(method, url, status, contentType, bodyText) -> list of problems (empty: fine).
 * contract.stats: how many JSON bodies were checked, per operation and status.
 */
export function createContract(doc, { close = true } = {}) {
  const checked = close ? closeObjectSchemas(doc) : structuredClone(doc);
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  // OpenAPI's formats for file bodies and numbers (annotations: no check).
  for (const format of ['binary', 'byte', 'int32', 'int64', 'float', 'double', 'password']) ajv.addFormat(format, true);
  ajv.addVocabulary([...OPENAPI_KEYWORDS, ...SCHEMA_ANNOTATIONS]);
  ajv.addSchema({ ...checked, $id: DOC_ID });
  const routes = routeTable(checked);
  const validators = new Map();
  const stats = new Map();

  function validatorFor(pointer) {
    if (!validators.has(pointer)) validators.set(pointer, ajv.compile({ $ref: `${DOC_ID}#${pointer}` }));
    return validators.get(pointer);
  }

  function check(method, url, status, contentType, bodyText) {
    const m = method.toLowerCase();
    const { pathname } = new URL(url, 'http://127.0.0.1');
    const where = `${method.toUpperCase()} ${pathname} ${status}`;
    const route = routes.find((r) => r.pattern.test(pathname));
    if (!route) return [`${where}: answered JSON on a route the document does not have`];
    const operation = route.item[m];
    if (!operation || !METHODS.includes(m)) return [`${where}: ${method.toUpperCase()} ${route.template} is not in the document`];
    const responses = operation.responses ?? {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses) ?? null;
    const label = `${operation.operationId ?? `${m} ${route.template}`} ${status}`;
    if (key === null) return [`${where}: status ${status} is not documented for ${operation.operationId ?? route.template}`];
    const isJson = /^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? '');
    if (!isJson) return [];
    const content = responses[key].content ?? {};
    const mediaType = Object.keys(content).find((t) => /^application\/([\w.+-]*\+)?json$/i.test(t));
    if (!mediaType) return bodyText ? [`${where}: a JSON body where the document (${label}) has none`] : [];
    let body;
    try {
      body = JSON.parse(bodyText);
    } catch (e) {
      return [`${where}: the body is not JSON (${e.message})`];
    }
    const pointer = ['', 'paths', route.template, m, 'responses', key, 'content', mediaType, 'schema'].map(escapePointer).join('/');
    const validate = validatorFor(pointer);
    stats.set(label, (stats.get(label) ?? 0) + 1);
    if (validate(body)) return [];
    return validate.errors.map((e) => {
      const extra = e.params?.additionalProperty ? `: "${e.params.additionalProperty}"` : '';
      return `${where} (${label}): ${e.instancePath || '(body)'} ${e.message}${extra}`;
    });
  }

  return { check, stats };
}

/**
 * Proof that the check can fail: real answers of the running server, checked against documents
 * made wrong on purpose, must be refused; and against the real document, a body with a field
 * added or a required field taken away must be refused too. Throws when any slips through.
 */
export function selfTest(doc, samples) {
  const { health, job } = samples;
  const outcomes = [];
  const expectRefused = (what, contract, method, url, status, body) => {
    const problems = contract.check(method, url, status, 'application/json', JSON.stringify(body));
    if (problems.length === 0) throw new Error(`contract self-test: ${what} was not caught`);
    outcomes.push(`${what}: ${problems[0]}`);
  };
  const expectAccepted = (what, contract, method, url, status, body) => {
    const problems = contract.check(method, url, status, 'application/json', JSON.stringify(body));
    if (problems.length) throw new Error(`contract self-test: ${what} was refused: ${problems.join('; ')}`);
  };
  const real = createContract(doc);
  expectAccepted('the real /healthz answer', real, 'GET', '/healthz', 200, health);
  expectAccepted('the real job', real, 'GET', `/v1/jobs/${job.id}`, 200, job);

  // 1. A schema that lacks a field the server sends (the document made too small).
  const lacking = structuredClone(doc);
  delete lacking.components.schemas.Job.properties.bytes_out;
  lacking.components.schemas.Job.required = lacking.components.schemas.Job.required.filter((k) => k !== 'bytes_out');
  expectRefused('a field the document lacks (Job.bytes_out removed from the schema)', createContract(lacking), 'GET', `/v1/jobs/${job.id}`, 200, job);
  // ... even when the document forgot additionalProperties: the validator closes it.
  const open = structuredClone(lacking);
  delete open.components.schemas.Job.additionalProperties;
  expectRefused('a field an open schema lacks (additionalProperties left out)', createContract(open), 'GET', `/v1/jobs/${job.id}`, 200, job);
  // 2. A schema that requires a field the server does not send.
  const demanding = structuredClone(doc);
  demanding.components.schemas.Health.properties.version = { type: 'string' };
  demanding.components.schemas.Health.required = [...demanding.components.schemas.Health.required, 'version'];
  expectRefused('a required field the server does not send (Health.version)', createContract(demanding), 'GET', '/healthz', 200, health);
  // 3. A wrong type.
  const typed = structuredClone(doc);
  typed.components.schemas.Job.properties.total = { type: 'string' };
  expectRefused('a wrong type (Job.total as a string)', createContract(typed), 'GET', `/v1/jobs/${job.id}`, 200, job);
  // 4. The real document, bodies made wrong: a field added deep inside, a required one removed.
  const extra = structuredClone(job);
  extra.images[0].input.colour_space = 'srgb';
  expectRefused('an undocumented field deep in a body (images[0].input.colour_space)', real, 'GET', `/v1/jobs/${job.id}`, 200, extra);
  const missing = structuredClone(job);
  delete missing.status;
  expectRefused('a required field missing from a body (status)', real, 'GET', `/v1/jobs/${job.id}`, 200, missing);
  expectRefused('an undocumented status', real, 'GET', '/healthz', 418, health);
  expectRefused('an error body that is not the Error schema', real, 'GET', `/v1/jobs/${job.id}`, 404, { message: 'no such job' });
  return outcomes;
}

/**
 * Checks every JSON answer the browser context receives from `base` (the web app's own API
 * calls, Redoc's fetch of the document). settle() waits for the bodies still being read and
 * returns { checked, problems, unread }; a body the browser dropped before it could be read (a
 * navigation away) is counted as unread, not checked.
 */
export function recordResponses(context, base, contract) {
  const problems = [];
  const unread = [];
  const pending = new Set();
  let checked = 0;
  context.on('response', (response) => {
    const url = response.url();
    const type = response.headers()['content-type'] ?? '';
    if (!url.startsWith(base) || !/json/i.test(type)) return;
    const method = response.request().method();
    const status = response.status();
    const reading = response.text().then(
      (text) => {
        checked += 1;
        problems.push(...contract.check(method, url, status, type, text));
      },
      (e) => unread.push(`${method} ${url.slice(base.length)} ${status}: ${e.message.split('\n')[0]}`),
    );
    pending.add(reading);
    void reading.finally(() => pending.delete(reading));
  });
  return {
    async settle() {
      while (pending.size) await Promise.all([...pending]);
      return { checked, problems: [...problems], unread: [...unread] };
    },
  };
}
