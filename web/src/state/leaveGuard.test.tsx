// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, Link, RouterProvider, useNavigate } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { confirmLeave, useLeaveGuard, type LeaveGuard } from './leaveGuard';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

let guard: LeaveGuard | null = null;

function Uploading({ active }: { active: boolean }) {
  guard = useLeaveGuard(active, 'The upload is still running.');
  const navigate = useNavigate();
  return (
    <>
      <h1>convert</h1>
      <Link to="/jobs">Jobs</Link>
      <button type="button" onClick={() => navigate('/jobs/1')}>
        done
      </button>
    </>
  );
}

function setup(active: boolean) {
  const router = createMemoryRouter(
    [
      { path: '/convert', element: <Uploading active={active} /> },
      { path: '/jobs', element: <h1>jobs</h1> },
      { path: '/jobs/1', element: <h1>job</h1> },
    ],
    { initialEntries: ['/convert'] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

describe('useLeaveGuard', () => {
  it('asks before an in-app link while active; "cancel" stays, the upload page is kept', () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    const router = setup(true);
    fireEvent.click(screen.getByRole('link', { name: 'Jobs' }));
    expect(confirm).toHaveBeenCalledWith('The upload is still running.');
    expect(router.state.location.pathname).toBe('/convert');
    expect(screen.getByRole('heading').textContent).toBe('convert');
  });

  it('"OK" leaves', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const router = setup(true);
    await act(async () => {
      fireEvent.click(screen.getByRole('link', { name: 'Jobs' }));
    });
    expect(router.state.location.pathname).toBe('/jobs');
  });

  it('the back button is held too', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    const router = createMemoryRouter(
      [
        { path: '/jobs', element: <h1>jobs</h1> },
        { path: '/convert', element: <Uploading active /> },
      ],
      { initialEntries: ['/jobs', '/convert'], initialIndex: 1 },
    );
    render(<RouterProvider router={router} />);
    await act(async () => {
      await router.navigate(-1);
    });
    expect(confirm).toHaveBeenCalled();
    expect(router.state.location.pathname).toBe('/convert');
  });

  it('released (the upload finished), the way to the job is free', async () => {
    const confirm = vi.spyOn(window, 'confirm');
    const router = setup(true);
    guard!.release();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'done' }));
    });
    expect(confirm).not.toHaveBeenCalled();
    expect(router.state.location.pathname).toBe('/jobs/1');
  });

  it('inactive, nothing is asked', async () => {
    const confirm = vi.spyOn(window, 'confirm');
    const router = setup(false);
    await act(async () => {
      fireEvent.click(screen.getByRole('link', { name: 'Jobs' }));
    });
    expect(confirm).not.toHaveBeenCalled();
    expect(router.state.location.pathname).toBe('/jobs');
  });

  it('logging out asks too, and once confirmed the navigation after it is not asked again', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    const router = setup(true);
    expect(confirmLeave('The upload is still running.')).toBe(false);
    confirm.mockReturnValue(true);
    expect(confirmLeave('The upload is still running.')).toBe(true);
    expect(confirm).toHaveBeenCalledTimes(2);
    await act(async () => {
      fireEvent.click(screen.getByRole('link', { name: 'Jobs' }));
    });
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(router.state.location.pathname).toBe('/jobs');
    // no upload page, nothing to ask
    expect(confirmLeave('x')).toBe(true);
    expect(confirm).toHaveBeenCalledTimes(2);
  });

  it('closing or reloading the tab gets the browser\'s prompt while active, not after', () => {
    vi.spyOn(window, 'confirm').mockReturnValue(false);
    setup(true);
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    cleanup();
    setup(false);
    const later = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(later);
    expect(later.defaultPrevented).toBe(false);
  });
});
