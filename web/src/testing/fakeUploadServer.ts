// For the upload tests: the server's side of resumable uploads, in memory. The tus routes reach it
// through tus-js-client's own HttpStack interface (POST, HEAD, PATCH, DELETE) or through fetch
// (the app's own creation and upload check), and so does POST /v1/jobs; every request is written to `log` in the order it
// arrived, so a test can tell what was sent before what. POST /v1/jobs answers as the server's
// contract says: with `await_uploads` it takes the watermark and then the images, each once it is
// complete, and answers 201 after the last; without it an unfinished upload is a 409.
// install() puts it in place of fetch and of tus-js-client's HTTP stack and file reader (Node's
// build reads no Blob); uninstall() puts them back.
import type { HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';
import { jsonResponse as json } from './jsonResponse';

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
  field: string;
}

interface FakeUpload {
  id: string;
  name: string;
  length: number;
  offset: number;
}

/** Waits until `ready()` holds; `changed()` wakes the waiters to look again. */
class Changes {
  private waiters: (() => void)[] = [];
  changed(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
  async until(ready: () => boolean, signal?: AbortSignal | null): Promise<void> {
    while (!ready()) {
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
}

function errorResponse(e: ErrorBody): Response {
  return json(e.status, { error: { code: e.code, message: e.message, field: e.field } });
}

function header(headers: HeadersInit | undefined, name: string): string | null {
  return new Headers(headers).get(name);
}

function decodeMetadata(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const [key, encoded] = pair.trim().split(' ');
    const bytes = Uint8Array.from(atob(encoded ?? ''), (c) => c.charCodeAt(0));
    out[key ?? ''] = new TextDecoder().decode(bytes);
  }
  return out;
}

const ORIGIN = 'http://127.0.0.1';

export class FakeUploadServer {
  /**
   * Every request as "METHOD what", in the order it arrived; "abort ..." when the client gave up
   * on one; "took all /v1/jobs" and "201 /v1/jobs" when a job took its last upload and answered.
   */
  readonly log: string[] = [];
  /** The JSON bodies of POST /v1/jobs, in order. */
  readonly jobBodies: Record<string, unknown>[] = [];
  /** The headers of each creation request, in order. */
  readonly creations: Record<string, string>[] = [];
  readonly uploads = new Map<string, FakeUpload>();
  /** A refusal of the creation of a file by name (a too large one). */
  refuseCreation: (name: string, length: number) => ErrorBody | null = () => null;
  /** A refusal of an upload when the job takes it (a bad file); it may take its time (checking). */
  refuseUpload: (id: string) => ErrorBody | null | Promise<ErrorBody | null> = () => null;
  /** The waiting job's answer when it would wait for `id` (not complete yet): a 409 to ask later, or a lost connection. */
  giveUp: (id: string) => ErrorBody | 'network' | null = () => null;
  /** A refusal of a PATCH of upload `id` (one that expired meanwhile). */
  refusePatch: (id: string) => ErrorBody | null = () => null;
  /** The Idempotency-Key of each POST /v1/jobs, in order. */
  readonly jobKeys: (string | null)[] = [];
  /** While true, a job that took every upload holds its answer (the server checks the last image). */
  holdJobAnswer = false;
  private held = new Set<string>();
  private changes = new Changes();
  private next = 1;
  private saved: { fetch: typeof fetch; httpStack: unknown; fileReader: unknown } | null = null;

  /** An upload made earlier (a resumed one), with `offset` of its bytes already there. */
  add(name: string, length: number, offset: number): string {
    const id = `u${this.next++}`;
    this.uploads.set(id, { id, name, length, offset });
    return `${ORIGIN}/v1/uploads/${id}`;
  }

  /** PATCHes of upload `id` wait until release(id) (or until the client aborts them). */
  hold(id: string): void {
    this.held.add(id);
  }
  release(id: string): void {
    this.held.delete(id);
    this.changes.changed();
  }

  /** Resolves once the log has an entry starting with `prefix`. */
  async seen(prefix: string): Promise<void> {
    await this.changes.until(() => this.log.some((entry) => entry.startsWith(prefix)));
  }

  complete(id: string): boolean {
    const upload = this.uploads.get(id);
    return upload !== undefined && upload.offset === upload.length;
  }

  private record(entry: string): void {
    this.log.push(entry);
    this.changes.changed();
  }

  async install(): Promise<void> {
    const tus = await import('tus-js-client');
    this.saved = { fetch: globalThis.fetch, httpStack: tus.defaultOptions.httpStack, fileReader: tus.defaultOptions.fileReader };
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => this.fetch(String(input), init ?? {})) as typeof fetch;
    tus.defaultOptions.httpStack = this.httpStack();
    tus.defaultOptions.fileReader = {
      openFile: async (input: Blob) => ({
        size: input.size,
        slice: async (start: number, end: number) => ({ value: input.slice(start, end), done: end >= input.size }),
        close: () => {},
      }),
    };
  }

  async uninstall(): Promise<void> {
    if (!this.saved) return;
    const tus = await import('tus-js-client');
    globalThis.fetch = this.saved.fetch;
    tus.defaultOptions.httpStack = this.saved.httpStack as HttpStack;
    tus.defaultOptions.fileReader = this.saved.fileReader as typeof tus.defaultOptions.fileReader;
    this.saved = null;
  }

  private idOf(url: string): string {
    return url.slice(url.lastIndexOf('/') + 1);
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    const method = init.method ?? 'GET';
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    if (method === 'POST' && url === '/v1/uploads') return this.create(init);
    if (method === 'HEAD' && url.includes('/v1/uploads/')) {
      const upload = this.uploads.get(this.idOf(url));
      this.record(`HEAD ${this.idOf(url)} (check)`);
      return new Response(null, { status: upload ? 200 : 404 });
    }
    if (method === 'POST' && url === '/v1/jobs') return this.job(init);
    return json(404, { error: { code: 'not_found', message: `${method} ${url}` } });
  }

  /** The tus creation (through fetch or tus-js-client's stack): the status, and the URL or the refusal. */
  private created(headers: Headers): { status: number; location?: string; error?: ErrorBody } {
    const all: Record<string, string> = {};
    headers.forEach((value, key) => (all[key] = value));
    this.creations.push(all);
    const length = Number(headers.get('Upload-Length'));
    const { filename = '' } = decodeMetadata(headers.get('Upload-Metadata') ?? '');
    this.record(`POST /v1/uploads ${filename}`);
    if (headers.get('Tus-Resumable') !== '1.0.0') {
      return { status: 412, error: { status: 412, code: 'unsupported_version', message: 'Tus-Resumable', field: 'Tus-Resumable' } };
    }
    const refusal = this.refuseCreation(filename, length);
    if (refusal) return { status: refusal.status, error: refusal };
    return { status: 201, location: this.add(filename, length, 0) };
  }

  private create(init: RequestInit): Response {
    const { status, location, error } = this.created(new Headers(init.headers));
    if (error) return errorResponse(error);
    return new Response(null, { status, headers: { Location: location ?? '', 'Tus-Resumable': '1.0.0' } });
  }

  private async job(init: RequestInit): Promise<Response> {
    const body = JSON.parse(String(init.body)) as { uploads: string[]; watermark_upload?: string; await_uploads?: boolean };
    this.jobBodies.push(body);
    this.jobKeys.push(header(init.headers, 'Idempotency-Key'));
    const waits = body.await_uploads === true;
    this.record(`POST /v1/jobs${waits ? ' await' : ''}`);
    const named = body.watermark_upload ? [body.watermark_upload, ...body.uploads] : body.uploads;
    try {
      for (const id of named) {
        if (!this.uploads.has(id)) return json(404, { error: { code: 'not_found', message: `${id}: no such upload`, field: 'uploads' } });
        if (!this.complete(id)) {
          if (!waits) return json(409, { error: { code: 'conflict', message: `${id}: unfinished`, field: 'uploads' } });
          const given = this.giveUp(id);
          if (given === 'network') throw new TypeError('fetch failed');
          if (given) return errorResponse(given);
          await this.changes.until(() => this.complete(id), init.signal);
        }
        const refusal = await this.refuseUpload(id);
        if (refusal) return errorResponse(refusal);
      }
      this.record(`took all /v1/jobs`);
      await this.changes.until(() => !this.holdJobAnswer, init.signal);
    } catch (e) {
      if ((e as Error).name === 'AbortError') this.record(`abort POST /v1/jobs${waits ? ' await' : ''}`);
      throw e;
    }
    this.record(`201 /v1/jobs`);
    return json(201, { id: 'J1', status: 'queued', total: body.uploads.length });
  }

  private httpStack(): HttpStack {
    return { getName: () => 'FakeUploadServer', createRequest: (method, url) => this.tusRequest(method, url) };
  }

  private tusRequest(method: string, url: string): HttpRequest {
    const headers = new Map<string, string>();
    const id = this.idOf(url);
    // An abort counts (is logged) while the request waits for its answer.
    let abortWaiting: (() => void) | null = null;
    const response = (status: number, extra: Record<string, string> = {}, body = ''): HttpResponse => {
      const h = new Map(Object.entries({ 'Tus-Resumable': '1.0.0', ...extra }).map(([k, v]) => [k.toLowerCase(), v]));
      return { getStatus: () => status, getHeader: (n) => h.get(n.toLowerCase()), getBody: () => body, getUnderlyingObject: () => null };
    };
    const send = async (body: unknown): Promise<HttpResponse> => {
      if (method === 'POST') {
        const { status, location, error } = this.created(new Headers([...headers.entries()]));
        if (error) return response(status, {}, JSON.stringify({ error: { code: error.code, message: error.message, field: error.field } }));
        return response(status, { Location: location ?? '' });
      }
      const upload = this.uploads.get(id);
      if (method === 'HEAD') {
        this.record(`HEAD ${id}`);
        if (!upload) return response(404);
        return response(200, { 'Upload-Offset': String(upload.offset), 'Upload-Length': String(upload.length) });
      }
      if (method === 'DELETE') {
        this.record(`DELETE ${id}`);
        if (!upload) return response(404);
        this.uploads.delete(id);
        this.changes.changed();
        return response(204);
      }
      if (method !== 'PATCH') return response(405);
      const offset = Number(headers.get('upload-offset'));
      const size = body instanceof Blob ? body.size : 0;
      this.record(`PATCH ${id} ${offset}+${size}`);
      if (!upload) return response(404);
      const refusal = this.refusePatch(id);
      if (refusal) {
        return response(refusal.status, {}, JSON.stringify({ error: { code: refusal.code, message: refusal.message, field: refusal.field } }));
      }
      if (offset !== upload.offset) return response(409);
      await new Promise<void>((resolve, reject) => {
        abortWaiting = () => reject(new Error('request aborted'));
        void this.changes.until(() => !this.held.has(id)).then(resolve);
      });
      abortWaiting = null;
      upload.offset += size;
      this.changes.changed();
      return response(204, { 'Upload-Offset': String(upload.offset) });
    };
    return {
      getMethod: () => method,
      getURL: () => url,
      setHeader: (name, value) => headers.set(name.toLowerCase(), value),
      getHeader: (name) => headers.get(name.toLowerCase()),
      setProgressHandler: () => {},
      send,
      abort: async () => {
        if (!abortWaiting) return;
        this.record(`abort ${method} ${id}`);
        abortWaiting();
        abortWaiting = null;
      },
      getUnderlyingObject: () => null,
    };
  }
}
