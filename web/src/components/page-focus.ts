import { useEffect, useRef, type RefObject } from 'react';
import { lastNavigation } from '../router.tsx';

/**
 * Focus and scroll of a paged list (issue 16): after « Page suivante », a page number or a new filter (`key`
 * changes through a link), the list's results count gets the focus and the page scrolls to it; after the browser's
 * back or forward buttons, the page goes back to where it was once the list is loaded (`ready`).
 */
export function usePageFocus(target: RefObject<HTMLElement | null>, key: string, ready: boolean): void {
  const done = useRef<string | null>(null);
  const loading = useRef<string | null>(null);
  const first = useRef(true);
  useEffect(() => {
    // the list of this key has been loading: until then `ready` may still speak of the previous one
    if (!ready) { loading.current = key; return; }
    if (loading.current !== key || done.current === key) return;
    const wasFirst = first.current;
    first.current = false;
    done.current = key;
    const { move, scrollY } = lastNavigation();
    if (move === 'back') {
      if (scrollY !== undefined) window.scrollTo(0, scrollY);
    } else if (move === 'link' && !wasFirst) {
      target.current?.focus({ preventScroll: true });
      target.current?.scrollIntoView({ block: 'start' });
    }
  }, [key, ready, target]);
}
