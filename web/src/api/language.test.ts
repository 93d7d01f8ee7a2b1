// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { acceptLanguage } from './language';

afterEach(() => {
  document.documentElement.lang = '';
});

describe('acceptLanguage', () => {
  it('asks the server for the language the app is shown in, English after it', () => {
    document.documentElement.lang = 'ko';
    expect(acceptLanguage()).toBe('ko, en;q=0.5');
    document.documentElement.lang = 'en';
    expect(acceptLanguage()).toBe('en');
    document.documentElement.lang = '';
    expect(acceptLanguage()).toBe('en');
  });
});
