// Which optional routes this server has, read once from its API document (/openapi.json):
// the preview, webhooks and source thumbnails arrived after the first API.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client';

export interface Capabilities {
  loaded: boolean;
  preview: boolean;
  webhooks: boolean;
  /** the last path segment of the source-image route ("source"), null when absent */
  sourceImages: string | null;
}

export function capabilitiesFrom(paths: Record<string, unknown>): Capabilities {
  const has = (p: string) => Object.prototype.hasOwnProperty.call(paths, p);
  return {
    loaded: true,
    preview: has('/v1/preview'),
    webhooks: has('/v1/webhooks'),
    sourceImages:
      Object.keys(paths)
        .map((p) => /^\/v1\/jobs\/\{[^}]+\}\/images\/\{[^}]+\}\/(source|input|original|thumbnail)$/.exec(p)?.[1])
        .find((s) => s !== undefined) ?? null,
  };
}

const NONE: Capabilities = { loaded: false, preview: false, webhooks: false, sourceImages: null };
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
