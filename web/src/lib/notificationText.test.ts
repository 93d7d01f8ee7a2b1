import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/translate';
import { formatDuration } from './format';
import { notificationText } from './notificationText';

const inKo = (key: string, vars?: Record<string, string | number>) => translate('ko', key, vars);
const inEn = (key: string, vars?: Record<string, string | number>) => translate('en', key, vars);

describe('notificationText', () => {
  it('words a notification from its type and parameters in the reader’s language', () => {
    const n = { type: 'JOB_PARTIAL' as const, message: 'Job "Trip" finished with 2 of 1200 images failed', params: { name: 'Trip', done: 1198, failed: 2, total: 1200 } };
    expect(notificationText(n, inKo, (ms) => formatDuration(ms, 'ko-KR'))).toBe('작업 "Trip" 종료: 이미지 1,200장 중 2장 실패');
    expect(notificationText(n, inEn, (ms) => formatDuration(ms, 'en-GB'))).toBe('Job "Trip" finished with 2 of 1,200 images failed');
  });
  it('says how long until the results go, in words', () => {
    const n = { type: 'RESULT_EXPIRING' as const, message: 'english', params: { name: 'Trip', remaining: 7200, expires_at: '2026-12-02T12:00:00.000Z' } };
    expect(notificationText(n, inKo, (ms) => formatDuration(ms, 'ko-KR'))).toBe('작업 "Trip"의 결과가 2시간 후 삭제됩니다. 그 전에 내려받으세요');
    expect(notificationText(n, inEn, (ms) => formatDuration(ms, 'en-GB'))).toBe('The results of job "Trip" will be deleted in 2 hours; download them before then');
  });
  it('a variant of a type has its own sentence', () => {
    const n = { type: 'JOB_FAILED' as const, message: 'english', params: { name: 'Trip', variant: 'archive', error: 'disk full' } };
    expect(notificationText(n, inKo, String)).toBe('작업 "Trip" 실패: 결과를 하나로 묶을 수 없었습니다 (disk full)');
  });
  it('keeps the server’s text for an old record, or when a parameter is missing', () => {
    expect(notificationText({ type: 'JOB_DONE', message: 'server text', params: {} }, inKo, String)).toBe('server text');
    expect(notificationText({ type: 'JOB_DONE', message: 'server text', params: { name: 'x' } }, inKo, String)).toBe('server text');
  });
});
