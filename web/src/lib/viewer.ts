// Pure parts of the full-size viewer: which URL shows a file, the before/after divider and the
// zoom steps, the pan limits.

/** Zoom factors relative to "the whole image fits the screen" (1). */
export const ZOOM_STEPS = [1, 1.5, 2, 3, 4, 6, 8] as const;
export const MIN_ZOOM = ZOOM_STEPS[0];
export const MAX_ZOOM = ZOOM_STEPS[ZOOM_STEPS.length - 1]!;

/** The next zoom step in (+1) or out (-1) from `zoom`, which may lie between steps (wheel). */
export function stepZoom(zoom: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOM_STEPS.find((z) => z > zoom + 1e-6) ?? MAX_ZOOM;
  return [...ZOOM_STEPS].reverse().find((z) => z < zoom - 1e-6) ?? MIN_ZOOM;
}

/** A continuous zoom (wheel, pinch) kept within the steps' range. */
export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The divider's position (0 = all "after", 100 = all "before") after a key; null if not ours. */
export function moveDivider(position: number, key: string, fine = false): number | null {
  const step = fine ? 1 : 5;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return Math.max(0, position - step);
    case 'ArrowRight':
    case 'ArrowUp':
      return Math.min(100, position + step);
    case 'Home':
      return 0;
    case 'End':
      return 100;
    default:
      return null;
  }
}

/**
 * The pan offset (px, from the centre) kept so the zoomed picture still covers the middle of
 * the view: at zoom z a box of width w reaches (z - 1) * w / 2 past each edge.
 */
export function clampPan(offset: { x: number; y: number }, zoom: number, view: { width: number; height: number }) {
  const maxX = ((zoom - 1) * view.width) / 2;
  const maxY = ((zoom - 1) * view.height) / 2;
  return { x: Math.max(-maxX, Math.min(maxX, offset.x)), y: Math.max(-maxY, Math.min(maxY, offset.y)) };
}

/** File types a browser cannot draw: the viewer shows the server's largest thumbnail instead. */
const UNDRAWABLE = new Set(['heic', 'heif', 'tif', 'tiff']);

/** Whether a browser can show a file of this name or format ("photo.HEIC", "tiff", "webp"). */
export function browserCanShow(nameOrFormat: string): boolean {
  const dot = nameOrFormat.lastIndexOf('.');
  const ext = (dot < 0 ? nameOrFormat : nameOrFormat.slice(dot + 1)).toLowerCase();
  return !UNDRAWABLE.has(ext);
}
