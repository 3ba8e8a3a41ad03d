import { describe, expect, it } from 'vitest';
import { type AppNotification, createNotify, type NotificationHost } from '../src/main/shell/notifications';

function fakeHost() {
  const state = {
    focused: false,
    shown: [] as { notification: AppNotification; click(): void }[],
    focusedApp: 0,
  };
  const host: NotificationHost = {
    isAppFocused: () => state.focused,
    show: (notification, events) => {
      const shown = { notification, click: events.onClick };
      state.shown.push(shown);
      return shown;
    },
    focusApp: () => {
      state.focusedApp += 1;
    },
  };
  return { state, notify: createNotify(host) };
}

describe('OS notifications', () => {
  it('stay silent while a HubDesk window has the focus', () => {
    const { state, notify } = fakeHost();
    state.focused = true;
    notify({ title: 'Sora video ready', body: 'A cat on a skateboard' });
    expect(state.shown).toEqual([]);
  });

  it('show the title and body when the user is in another app, and a click brings HubDesk back', () => {
    const { state, notify } = fakeHost();
    notify({ title: 'Transcript ready', body: 'interview.mp3' });
    notify({ title: 'Video failed', body: 'The vendor refused the prompt.' });
    expect(state.shown.map((shown) => shown.notification)).toEqual([
      { title: 'Transcript ready', body: 'interview.mp3' },
      { title: 'Video failed', body: 'The vendor refused the prompt.' },
    ]);
    expect(state.focusedApp).toBe(0);
    state.shown[0]?.click();
    expect(state.focusedApp).toBe(1);
  });
});
