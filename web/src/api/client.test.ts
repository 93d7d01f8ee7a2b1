// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, query, request, UNAUTHORIZED_EVENT } from './client';
import { ApiError } from './errors';

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body = '', headers: Record<string, string> = {}) {
  const fetchMock = vi.fn(async () => new Response(status === 204 ? null : body, { status, headers }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('request', () => {
  it('sends JSON with the session cookie and parses the answer', async () => {
    const fetchMock = answer(201, '{"id":7,"key":"isk_x"}');
    const key = await api.createApiKey('ci');
    expect(key).toEqual({ id: 7, key: 'isk_x' });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/v1/api-keys');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.body).toBe('{"name":"ci"}');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('cancel posts to the job and answers the canceled job', async () => {
    const fetchMock = answer(202, '{"id":"J 1","status":"canceled"}');
    const job = await api.cancelJob('J 1');
    expect(job.status).toBe('canceled');
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/v1/jobs/J%201/cancel');
    expect(init.method).toBe('POST');
  });

  it('204 is undefined', async () => {
    answer(204);
    await expect(api.deleteJob('J1')).resolves.toBeUndefined();
  });

  it('an error answer becomes an ApiError with the code and field', async () => {
    answer(409, '{"error":{"code":"conflict","message":"email: an account with this email exists","field":"email"}}');
    const e = await api.signup('a@b.c', 'password1').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).field).toBe('email');
  });

  it('a 401 outside /v1/auth tells the page the session ended; a failed login does not', async () => {
    const seen = vi.fn();
    window.addEventListener(UNAUTHORIZED_EVENT, seen);
    answer(401, '{"error":{"code":"unauthorized","message":"sign in"}}');
    await expect(request('GET', '/v1/jobs')).rejects.toBeInstanceOf(ApiError);
    expect(seen).toHaveBeenCalledTimes(1);
    answer(401, '{"error":{"code":"unauthorized","message":"wrong email or password"}}');
    await expect(api.login('a@b.c', 'nope')).rejects.toBeInstanceOf(ApiError);
    expect(seen).toHaveBeenCalledTimes(1);
    window.removeEventListener(UNAUTHORIZED_EVENT, seen);
  });

  it('a network failure is a network ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(api.me()).rejects.toMatchObject({ code: 'network', status: 0 });
  });

  it('query drops empty values and encodes the rest', () => {
    expect(query({ cursor: null, limit: 20, status: undefined })).toBe('?limit=20');
    expect(query({ cursor: 'a b&c' })).toBe('?cursor=a+b%26c');
    expect(query({})).toBe('');
    expect(api.imageUrl('a/b', 3)).toBe('/v1/jobs/a%2Fb/images/3');
    expect(api.imageUrl('a/b', 3, 256)).toBe('/v1/jobs/a%2Fb/images/3?size=256');
    expect(api.sourceUrl('J', 0, 'source', 256)).toBe('/v1/jobs/J/images/0/source?size=256');
  });
});
