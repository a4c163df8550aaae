import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, get } from './api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/** GETs an API path (skipped when null); reloads when the path changes. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoading(true);
    setError(undefined);
    get<T>(path)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(errorMessage(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** A polite live region message that can repeat the same text. */
export function useAnnouncer(): [string, (msg: string) => void] {
  const [msg, setMsg] = useState('');
  const n = useRef(0);
  const announce = useCallback((m: string) => {
    n.current++;
    // a trailing non-breaking space toggles so screen readers re-read identical messages
    setMsg(m + (n.current % 2 ? '' : '\u00a0'));
  }, []);
  return [msg, announce];
}
