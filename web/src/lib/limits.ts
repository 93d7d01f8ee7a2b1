// The server's upload limits, in one place. The server says its own (GET /v1/limits: its settings
// --max-files, --max-file-bytes, --max-pixels ...); until that answer is in, or when it fails, the
// app checks against the documented defaults below (README "Limits"; src/main/service_config.hpp,
// src/imaging/engine.hpp). The server refuses by its own limits anyway, and the app shows that.
import type { ServerLimits } from '../api/client';

export interface Limits {
  /** files in one job (`max_files`); default 50 */
  maxFiles: number;
  /** bytes of one uploaded image (`max_file_bytes`); default 20 MiB */
  maxFileBytes: number;
  /** bytes of the logo of an image watermark (`max_watermark_bytes`); default 5 MiB */
  maxLogoBytes: number;
  /** pixels of one input, width × height from its header (`max_pixels`); default 100 million */
  maxPixels: number;
  /** pixels of a progressive JPEG, which libjpeg decodes whole (the engine's
   * `max_interlaced_pixels`); default 50 million */
  maxProgressivePixels: number;
}

export const SERVER_LIMITS: Limits = {
  maxFiles: 50,
  maxFileBytes: 20 * 1024 * 1024,
  maxLogoBytes: 5 * 1024 * 1024,
  maxPixels: 100_000_000,
  maxProgressivePixels: 50_000_000,
};

/** The limits a server announced (GET /v1/limits), in the app's terms. */
export function limitsFromServer(server: ServerLimits): Limits {
  return {
    maxFiles: server.max_files,
    maxFileBytes: server.max_file_bytes,
    maxLogoBytes: server.max_watermark_bytes,
    maxPixels: server.max_pixels,
    maxProgressivePixels: server.max_progressive_pixels,
  };
}
