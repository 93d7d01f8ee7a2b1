// "Never lose an upload silently": while `active`, leaving the page asks first. Closing the tab
// or reloading gets the browser's own beforeunload prompt; a link or navigate() inside the app
// (and the back button) is held by the router's blocker and confirmed with `message`.
import { useCallback, useEffect, useRef } from 'react';
import { useBlocker, type BlockerFunction } from 'react-router';

export interface LeaveGuard {
  /** Let the next navigation through without asking (the upload finished: on to its job). */
  release: () => void;
}

/** The guards of the mounted pages, for actions that end the page without a navigation first. */
const guards = new Set<{ current: boolean }>();

/**
 * For an action that would lose the upload before any navigation (logging out): true when no
 * upload runs or the person confirms; then the guards let the navigation after it through.
 */
export function confirmLeave(message: string): boolean {
  if (![...guards].some((g) => g.current)) return true;
  if (!window.confirm(message)) return false;
  for (const g of guards) g.current = false;
  return true;
}

export function useLeaveGuard(active: boolean, message: string): LeaveGuard {
  const guarding = useRef(active);
  useEffect(() => {
    guarding.current = active;
  }, [active]);
  useEffect(() => {
    guards.add(guarding);
    return () => {
      guards.delete(guarding);
    };
  }, []);

  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!guarding.current) return;
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set (the text is their own).
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);

  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) =>
      guarding.current && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
    [],
  );
  const blocker = useBlocker(shouldBlock);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(message)) blocker.proceed();
    else blocker.reset();
  }, [blocker, message]);

  return {
    release: useCallback(() => {
      guarding.current = false;
    }, []),
  };
}
