import { describe, expect, it } from 'vitest';
import { browserCanShow, clampPan, clampZoom, moveDivider, stepZoom } from './viewer';

describe('viewer', () => {
  it('zooms in and out by steps, from anywhere between them', () => {
    expect(stepZoom(1, 1)).toBe(1.5);
    expect(stepZoom(1.5, 1)).toBe(2);
    expect(stepZoom(8, 1)).toBe(8);
    expect(stepZoom(2, -1)).toBe(1.5);
    expect(stepZoom(1, -1)).toBe(1);
    expect(stepZoom(1.7, 1)).toBe(2);
    expect(stepZoom(1.7, -1)).toBe(1.5);
    expect(clampZoom(0.2)).toBe(1);
    expect(clampZoom(20)).toBe(8);
  });
  it('arrows move the divider by 5 (1 with Shift), Home and End to the ends, within 0-100', () => {
    expect(moveDivider(50, 'ArrowLeft')).toBe(45);
    expect(moveDivider(50, 'ArrowRight', true)).toBe(51);
    expect(moveDivider(2, 'ArrowLeft')).toBe(0);
    expect(moveDivider(98, 'ArrowUp')).toBe(100);
    expect(moveDivider(40, 'Home')).toBe(0);
    expect(moveDivider(40, 'End')).toBe(100);
    expect(moveDivider(40, 'Enter')).toBeNull();
  });
  it('keeps a zoomed picture over the middle of the view', () => {
    const view = { width: 400, height: 300 };
    expect(clampPan({ x: 1000, y: -1000 }, 2, view)).toEqual({ x: 200, y: -150 });
    expect(clampPan({ x: 50, y: 20 }, 2, view)).toEqual({ x: 50, y: 20 });
    expect(clampPan({ x: 50, y: 20 }, 1, view)).toEqual({ x: 0, y: 0 });
  });
  it('knows which files a browser cannot draw', () => {
    expect(browserCanShow('IMG_0001.HEIC')).toBe(false);
    expect(browserCanShow('scan.tif')).toBe(false);
    expect(browserCanShow('tiff')).toBe(false);
    expect(browserCanShow('photo.jpg')).toBe(true);
    expect(browserCanShow('webp')).toBe(true);
    expect(browserCanShow('avif')).toBe(true);
  });
});
