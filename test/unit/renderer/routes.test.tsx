// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { hashOf, parseHash } from '../../../renderer/src/routes.ts';
import { App } from '../../../renderer/src/App.tsx';
import { fakeClient } from './fake-client.ts';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('hash routes', () => {
  it('parse and print screens and finding deep links; anything else is the overview', () => {
    expect(parseHash('#/pst')).toEqual({ screen: 'pst', finding: null });
    expect(parseHash('#/finding/smtp.port-blocked.25')).toEqual({ screen: 'overview', finding: 'smtp.port-blocked.25' });
    expect(parseHash('#/finding/a%2Fb')).toEqual({ screen: 'overview', finding: 'a/b' });
    expect(parseHash('#/finding/%E0%A4%A')).toEqual({ screen: 'overview', finding: '%E0%A4%A' });
    for (const h of ['', '#', '#token=abc', '#/nope', '#/__proto__']) expect(parseHash(h)).toEqual({ screen: 'overview', finding: null });
    expect(hashOf({ screen: 'overview', finding: 'a/b' })).toBe('#/finding/a%2Fb');
    expect(parseHash(hashOf({ screen: 'fixes', finding: null }))).toEqual({ screen: 'fixes', finding: null });
  });

  it('the nav marks the open screen and switches on hash change', async () => {
    render(<App client={fakeClient({ fixList: () => ({ fixes: [] }), fixHistory: () => ({ entries: [] }) })} />);
    expect(screen.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    await act(async () => {
      window.location.hash = '#/explain';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(screen.getByRole('heading', { level: 2, name: 'Explain an error' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Explain an error' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBeNull();
    await act(async () => {
      window.location.hash = '#/fixes';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(await screen.findByText('No fixes have been applied yet.')).toBeTruthy();
  });
});

describe('screens keep their state', () => {
  it('text typed on one screen is still there after a look at another', async () => {
    render(<App client={fakeClient({ fixList: () => ({ fixes: [] }), fixHistory: () => ({ entries: [] }) })} />);
    const go = async (hash: string) =>
      act(async () => {
        window.location.hash = hash;
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      });
    await go('#/explain');
    fireEvent.change(screen.getByLabelText('Error message'), { target: { value: '550 5.7.1 relaying denied' } });
    await go('#/fixes');
    expect(screen.queryByRole('heading', { name: 'Explain an error' })).toBeNull();
    await go('#/explain');
    expect((screen.getByLabelText('Error message') as HTMLTextAreaElement).value).toBe('550 5.7.1 relaying denied');
    expect(document.activeElement?.id).toBe('explain-title');
  });
});
