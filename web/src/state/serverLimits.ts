// The signed-in user's server's upload limits (GET /v1/limits), asked once per page that checks
// files; the documented defaults until the answer is in, and if the server cannot be asked.
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { limitsFromServer, SERVER_LIMITS, type Limits } from '../lib/limits';

export function useServerLimits(): Limits {
  const [limits, setLimits] = useState<Limits>(SERVER_LIMITS);
  useEffect(() => {
    const abort = new AbortController();
    api.limits(abort.signal).then(
      (server) => setLimits(limitsFromServer(server)),
      () => undefined, // the defaults stay; the server still refuses by its own limits
    );
    return () => abort.abort();
  }, []);
  return limits;
}
