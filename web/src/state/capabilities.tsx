// Which optional routes this server has, read once from its API document (/openapi.json):
// the preview, webhooks, source thumbnails, presets and redelivery arrived after the first API.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client';

export interface Capabilities {
  loaded: boolean;
  preview: boolean;
  webhooks: boolean;
  /** named presets (/v1/presets): the Convert page's picker and the Settings list */
  presets: boolean;
  /** sending a webhook delivery again (…/deliveries/{delivery}/redeliver) */
  redeliver: boolean;
  /** the last path segment of the source-image route ("source"), null when absent */
  sourceImages: string | null;
  /** the largest thumbnail (?size=, px) the image routes offer: what the viewer shows of a
   * file the browser cannot decode (HEIC, TIFF) */
  largestThumbnail: number;
}

/** The thumbnail size every server with thumbnails offers. */
export const DEFAULT_LARGEST_THUMBNAIL = 1024;

/** The largest value in the `size` query parameter's enum of an image route, if it has one. */
function largestSize(route: unknown): number | null {
  const parameters = (route as { get?: { parameters?: unknown } } | undefined)?.get?.parameters;
  if (!Array.isArray(parameters)) return null;
  const size = parameters.find((p: { name?: unknown; in?: unknown }) => p?.name === 'size' && p?.in === 'query') as
    | { schema?: { enum?: unknown[]; maximum?: unknown } }
    | undefined;
  const offered = (size?.schema?.enum ?? []).filter((v): v is number => typeof v === 'number' && v > 0);
  if (offered.length > 0) return Math.max(...offered);
  return typeof size?.schema?.maximum === 'number' ? size.schema.maximum : null;
}

export function capabilitiesFrom(paths: Record<string, unknown>): Capabilities {
  const has = (p: string) => Object.prototype.hasOwnProperty.call(paths, p);
  const sourceRoute = Object.keys(paths).find((p) => /^\/v1\/jobs\/\{[^}]+\}\/images\/\{[^}]+\}\/(source|input|original|thumbnail)$/.test(p));
  const outputRoute = Object.keys(paths).find((p) => /^\/v1\/jobs\/\{[^}]+\}\/images\/\{[^}]+\}$/.test(p));
  return {
    loaded: true,
    preview: has('/v1/preview'),
    webhooks: has('/v1/webhooks'),
    presets: has('/v1/presets'),
    redeliver: Object.keys(paths).some((p) => /^\/v1\/webhooks\/\{[^}]+\}\/deliveries\/\{[^}]+\}\/redeliver$/.test(p)),
    sourceImages: sourceRoute ? (sourceRoute.split('/').pop() ?? null) : null,
    largestThumbnail:
      (sourceRoute && largestSize(paths[sourceRoute])) || (outputRoute && largestSize(paths[outputRoute])) || DEFAULT_LARGEST_THUMBNAIL,
  };
}

const NONE: Capabilities = {
  loaded: false,
  preview: false,
  webhooks: false,
  presets: false,
  redeliver: false,
  sourceImages: null,
  largestThumbnail: DEFAULT_LARGEST_THUMBNAIL,
};
const Context = createContext<Capabilities>(NONE);

export function CapabilitiesProvider({ children }: { children: ReactNode }) {
  const [caps, setCaps] = useState<Capabilities>(NONE);
  useEffect(() => {
    const probe = async (): Promise<Capabilities> => {
      const caps = capabilitiesFrom((await api.openapi()).paths ?? {});
      if (!caps.webhooks) {
        // A route may be served before the document lists it: an existing route answers
        // 401/200, a missing one 404.
        const r = await fetch('/v1/webhooks', { credentials: 'same-origin' });
        caps.webhooks = r.status !== 404;
      }
      return caps;
    };
    probe().then(setCaps, () => setCaps({ ...NONE, loaded: true }));
  }, []);
  return <Context.Provider value={caps}>{children}</Context.Provider>;
}

export function useCapabilities(): Capabilities {
  return useContext(Context);
}
