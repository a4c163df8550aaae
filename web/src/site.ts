/** The site's legal settings (`GET /api/site`), fetched once per page load and shared by the footer and the legal pages. */
import { useEffect, useState } from 'react';
import { errorMessage, get } from './api.ts';
import type { PublicSite } from '../../src/domain/site.ts';

let pending: Promise<PublicSite> | undefined;

function load(): Promise<PublicSite> {
  pending ??= get<PublicSite>('/site').catch((e: unknown) => {
    pending = undefined;
    throw e;
  });
  return pending;
}

export function useSite(): { site: PublicSite | undefined; error: string | undefined } {
  const [site, setSite] = useState<PublicSite>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    load().then((s) => live && setSite(s)).catch((e: unknown) => live && setError(errorMessage(e)));
    return () => { live = false; };
  }, []);
  return { site, error };
}
