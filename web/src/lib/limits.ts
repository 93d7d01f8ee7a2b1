// The server's upload limits, in one place. The API has no route that tells a client its limits
// (they are settings of the server: --max-files, --max-file-bytes, --max-pixels ...), so these are
// its documented defaults (README "Limits"; src/main/service_config.hpp, src/imaging/engine.hpp).
// A server set up otherwise still refuses by its own limits, and the app shows that answer.

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
