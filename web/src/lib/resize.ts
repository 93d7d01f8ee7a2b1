// What a resize does to one image, computed in the browser the way the server's engine does it
// (src/domain/resize_plan.cpp), so the page can say what will happen before an upload and what
// was left alone after it, without asking the server.
import type { ConversionOptions, Fit } from '../api/client';

export interface Size {
  width: number;
  height: number;
}

function scaled(size: number, scale: number): number {
  return Math.max(1, Math.round(size * scale));
}

/**
 * The output size of an upright image of `input` size with `options` (width, height, fit,
 * enlarge), as plan_resize() computes it: one side scales the other by the image's own ratio;
 * two sides meet by `fit`; without `enlarge` nothing grows; `cover` crops to the box.
 */
export function planResize(input: Size, options: Pick<ConversionOptions, 'width' | 'height' | 'fit' | 'enlarge'>): Size {
  const { width: w, height: h } = options;
  if (!w && !h) return { ...input };
  const cap = (s: number) => (options.enlarge ? s : Math.min(s, 1));
  const sx = w ? w / input.width : 0;
  const sy = h ? h / input.height : 0;
  let rw: number;
  let rh: number;
  const fit: Fit = options.fit ?? 'contain';
  if (!w || !h) {
    const s = cap(w ? sx : sy);
    rw = w && s === sx ? w : scaled(input.width, s);
    rh = h && s === sy ? h : scaled(input.height, s);
  } else if (fit === 'fill') {
    rw = scaled(input.width, cap(sx));
    rh = scaled(input.height, cap(sy));
  } else {
    const covering = fit === 'outside' || fit === 'cover';
    const s = cap(covering ? Math.max(sx, sy) : Math.min(sx, sy));
    // The side that decided the scale gets exactly the asked size (no rounding drift).
    rw = s === sx ? w : scaled(input.width, s);
    rh = s === sy ? h : scaled(input.height, s);
  }
  if (fit === 'cover' && w && h) return { width: Math.min(rw, w), height: Math.min(rh, h) };
  return { width: rw, height: rh };
}

/**
 * "Say what was left alone": the size an image was kept at when a resize was asked but the
 * image is smaller than asked and enlarging was off, so the output has the input's size. Null
 * when the output differs from the input, when nothing was asked, when enlarging was on, or
 * when the image already had exactly the asked size.
 *
 * `input` is the size as stored in the file: an EXIF quarter turn swaps width and height in
 * the upright output, so a swapped output counts as the same size.
 */
export function keptSize(options: ConversionOptions, input: Size, output: Size | null): Size | null {
  if (!output || (!options.width && !options.height) || options.enlarge) return null;
  if (input.width <= 0 || input.height <= 0) return null;
  let upright: Size;
  if (output.width === input.width && output.height === input.height) upright = input;
  else if (output.width === input.height && output.height === input.width) upright = { width: input.height, height: input.width };
  else return null;
  // Had enlarging been on, would it have come out another size? Then it was left alone.
  const enlarged = planResize(upright, { ...options, enlarge: true });
  if (enlarged.width === upright.width && enlarged.height === upright.height) return null;
  return upright;
}
