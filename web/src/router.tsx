import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/** A tiny client-side router on the History API. */

type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', () => { focusPending = true; lastMove = 'back'; notify(); });

let focusPending = false;
let lastMove: 'link' | 'back' | 'load' = 'load';

/**
 * How the current address was reached: a link (navigate), the browser's back or forward buttons, or the page's
 * load; with the scroll position the page had when it was left (kept in the history entry by navigate).
 */
export function lastNavigation(): { move: 'link' | 'back' | 'load'; scrollY: number | undefined } {
  const y = (history.state as { scrollY?: unknown } | null)?.scrollY;
  return { move: lastMove, scrollY: typeof y === 'number' ? y : undefined };
}

/** True once after a client-side navigation: the new page then moves focus to its heading. */
export function takeFocusRequest(): boolean {
  const v = focusPending;
  focusPending = false;
  return v;
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  // the position of the page left, for the back button (lastNavigation)
  if (!opts.replace) history.replaceState({ ...(history.state as object | null), scrollY: window.scrollY }, '');
  lastMove = 'link';
  const newPath = new URL(to, location.href).pathname;
  if (newPath !== location.pathname) {
    focusPending = !opts.replace;
    window.scrollTo(0, 0);
  }
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

function subscribe(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function snapshot(): string {
  return location.pathname + location.search;
}

/** The current path and query string; re-renders on navigation. */
export function useLocation(): { path: string; query: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot, snapshot);
  const i = href.indexOf('?');
  const path = i < 0 ? href : href.slice(0, i);
  const query = new URLSearchParams(i < 0 ? '' : href.slice(i + 1));
  return { path, query, href };
}

/** Matches `/consultations/:slug` against a path; returns the decoded params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.replace(/\/+$/, '').split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    const val = s[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(val);
    else if (seg !== val) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children?: ReactNode };

/** An <a> that navigates without reloading for same-origin application paths. */
export function Link({ href, onClick, target, children, ...rest }: LinkProps) {
  const internal = href.startsWith('/') && !href.startsWith('/api/') && !target && !rest.download;
  function handle(e: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(e);
    if (e.defaultPrevented || !internal) return;
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  }
  return (
    <a href={href} target={target} onClick={handle} {...rest}>
      {children}
    </a>
  );
}

/** Sets the document title and moves focus to the main heading after a route change. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – Fabrique`;
  }, [title]);
}
