// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { I18nProvider } from '../i18n/I18n';
import { ko } from '../i18n/ko';
import { ErrorBox } from './ErrorBox';
import { ImageFailure } from './ImageFailure';

beforeEach(() => localStorage.setItem('imagesprint.lang', 'ko'));
afterEach(cleanup);

const inKorean = (ui: ReactNode) => render(<I18nProvider>{ui}</I18nProvider>);

describe('ImageFailure', () => {
  it('the Korean sentence for the code first; the server’s English folded away under it', () => {
    inKorean(<ImageFailure error={{ code: 'corrupt_image', message: 'VipsJpeg: premature end of JPEG image' }} />);
    const sentence = screen.getByTestId('image-error');
    expect(sentence.textContent).toBe(ko['imageError.corrupt_image']);
    expect(sentence.dataset.code).toBe('corrupt_image');
    const details = screen.getByTestId('image-error-detail').closest('details');
    expect(details?.open).toBe(false);
    expect(details?.querySelector('summary')?.textContent).toBe(ko['error.serverSaid']);
    expect(screen.getByTestId('image-error-detail').textContent).toBe('VipsJpeg: premature end of JPEG image');
  });
  it('no folded part when the server said nothing more', () => {
    inKorean(<ImageFailure error={{ code: 'timeout', message: '' }} />);
    expect(screen.getByTestId('image-error').textContent).toBe(ko['imageError.timeout']);
    expect(screen.queryByTestId('image-error-detail')).toBeNull();
  });
});

describe('ErrorBox', () => {
  it('a refused upload in Korean: the file, the sentence, then the server’s message', () => {
    inKorean(<ErrorBox error={new ApiError(413, 'too_large', '"big.jpg": larger than the limit of 20971520 bytes', 'files')} />);
    const box = screen.getByRole('alert');
    expect(box.querySelector('strong')?.textContent).toBe(`“big.jpg”: ${ko['error.too_large']}`);
    expect(box.querySelector('.error-detail')?.textContent).toBe('"big.jpg": larger than the limit of 20971520 bytes');
    expect(box.dataset.code).toBe('too_large');
  });
  it('an option error names the field in Korean', () => {
    inKorean(<ErrorBox error={new ApiError(422, 'invalid_option', 'quality: expected an integer from 1 to 100, got 150', 'quality')} />);
    expect(screen.getByRole('alert').querySelector('.error-field')?.textContent).toBe('항목: 품질');
  });
});
