/**
 * A video still being made is asked about by one computer only (issue 19): the one that sent it to the vendor. The
 * other, which has the job by sync, shows it as being made elsewhere, never asks its own proxy (which does not know
 * the job), and gets the finished video's state by sync. Two cores, two data folders, two fake proxies.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { type Computer, computer, removeTempFolders, tempFolder } from './support/sync-computers';

const PASSPHRASE = 'the keeper logs every ship';
const timing = { videoTiming: { firstPollMs: 100, maxPollMs: 200, downloadRetryMs: 100 } };

const machines: Computer[] = [];
const proxies: FakeProxy[] = [];

afterEach(async () => {
  await Promise.all(machines.splice(0).map((machine) => machine.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await removeTempFolders();
});

/** A computer with its own proxy (its own account's view of the vendors), synced through `remote`. */
async function machine(name: string, remote: string, speed: number) {
  const proxy = await startFakeProxy({ speed });
  proxies.push(proxy);
  const made = await computer(name, timing);
  machines.push(made);
  const connect = async () => {
    const profile = made.core.settings.activeProfile();
    made.core.settings.updateProfile(profile.id, { baseUrl: proxy.url });
    await made.core.settings.setToken(profile.id, proxy.token, 'session');
  };
  await connect();
  await made.core.sync.setup({ kind: 'folder', path: remote }, '', PASSPHRASE);
  return { machine: made, proxy, connect };
}

const videoRequests = (proxy: FakeProxy) =>
  proxy.requests.filter((request) => request.path.includes('video'));

describe('a video being made, with two computers in one sync library', { timeout: 60_000 }, () => {
  it('only the computer that sent it asks the vendor; the other gets the result by sync', async () => {
    const remote = await tempFolder('remote');
    // The laptop's vendor takes its time until the test says; the desktop's proxy never saw the job.
    const laptop = await machine('laptop', remote, 0.0001);
    const desktop = await machine('desktop', remote, 1);

    const job = await laptop.machine.core.videos.create({
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'A lighthouse keeper winding the clockwork at dawn',
      options: {},
    });
    await expect.poll(() => laptop.machine.core.videos.get(job.id).remoteId).not.toBeNull();
    await expect.poll(() => videoRequests(laptop.proxy).length).toBeGreaterThan(1);
    expect(laptop.machine.core.videos.get(job.id).madeElsewhere).toBeUndefined();
    await laptop.machine.core.sync.now();
    await desktop.machine.core.sync.now();

    const there = desktop.machine.core.videos.get(job.id);
    expect(there).toMatchObject({ status: 'queued', madeElsewhere: true });
    // Asking now, and a restart (which picks up open jobs), leave the vendor to the laptop.
    expect(await desktop.machine.core.videos.refresh(job.id)).toMatchObject({ status: 'queued' });
    await desktop.machine.reopen();
    await desktop.connect();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(videoRequests(desktop.proxy)).toEqual([]);
    expect(desktop.machine.core.videos.get(job.id)).toMatchObject({ status: 'queued', madeElsewhere: true });

    // The vendor finishes; the laptop hears of it and syncs; the desktop has it by sync.
    laptop.proxy.setSpeed(1000);
    await expect
      .poll(() => laptop.machine.core.videos.get(job.id).status, { timeout: 15_000 })
      .toBe('succeeded');
    await laptop.machine.core.sync.now();
    await desktop.machine.core.sync.now();
    const finished = desktop.machine.core.videos.get(job.id);
    expect(finished.status).toBe('succeeded');
    expect(finished.madeElsewhere).toBeUndefined();
    expect(
      videoRequests(desktop.proxy).filter(
        (request) => request.method === 'GET' && !request.path.includes('content'),
      ),
    ).toEqual([]);
  });
});
