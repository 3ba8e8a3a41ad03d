import { describe, expect, it } from 'vitest';
import { type WorkContext, WorkQueue } from '../src/main/base/work-queue';

/** An item the test finishes by hand, recording that it started and what its signal says. */
function controlled() {
  const started: string[] = [];
  const contexts = new Map<string, WorkContext<number>>();
  const finishers = new Map<string, { resolve(): void; reject(error: unknown): void }>();
  const item = (key: string) => (context: WorkContext<number>) =>
    new Promise<void>((resolve, reject) => {
      started.push(key);
      contexts.set(key, context);
      finishers.set(key, { resolve, reject });
      context.signal.addEventListener('abort', () => reject(new Error(`${key} aborted`)));
    });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { started, contexts, finishers, item, settle };
}

describe('WorkQueue', () => {
  it('runs at most `concurrency` items, in the order they were added', async () => {
    const { started, finishers, item, settle } = controlled();
    const queue = new WorkQueue<string, number>({ concurrency: 2 });
    for (const key of ['a', 'b', 'c', 'd']) queue.add(key, item(key));
    await settle();
    expect(started).toEqual(['a', 'b']);
    finishers.get('b')?.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    finishers.get('a')?.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.size).toBe(2);
  });

  it('adds a key once while it waits or runs, and again after it finished', async () => {
    const { started, finishers, item, settle } = controlled();
    const queue = new WorkQueue<string, number>({ concurrency: 1 });
    expect(queue.add('a', item('a'))).toBe(true);
    expect(queue.add('b', item('b'))).toBe(true);
    expect(queue.add('a', item('a'))).toBe(false);
    expect(queue.add('b', item('b'))).toBe(false);
    await settle();
    finishers.get('a')?.resolve();
    await settle();
    expect(queue.add('a', item('a'))).toBe(true);
    finishers.get('b')?.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'a']);
  });

  it('cancel drops a waiting item and aborts a running one, resolving once it settled', async () => {
    const { started, contexts, item, settle } = controlled();
    const errors: string[] = [];
    const queue = new WorkQueue<string, number>({
      concurrency: 1,
      onError: (key, error) => errors.push(`${key}: ${(error as Error).message}`),
    });
    queue.add('a', item('a'));
    queue.add('b', item('b'));
    queue.add('c', item('c'));
    await settle();
    expect(await queue.cancel('b')).toBe(true);
    expect(await queue.cancel('a')).toBe(true);
    expect(contexts.get('a')?.signal.aborted).toBe(true);
    expect(queue.isRunning('a')).toBe(false);
    await settle();
    expect(started).toEqual(['a', 'c']);
    expect(errors).toEqual(['a: a aborted']);
    expect(await queue.cancel('nothing')).toBe(false);
  });

  it('passes progress on with the key, and keeps going after an item fails', async () => {
    const { started, contexts, finishers, item, settle } = controlled();
    const progress: [string, number][] = [];
    const errors: string[] = [];
    const queue = new WorkQueue<string, number>({
      concurrency: 1,
      onProgress: (key, value) => progress.push([key, value]),
      onError: (key) => errors.push(key),
    });
    queue.add('a', item('a'));
    queue.add('b', item('b'));
    await settle();
    contexts.get('a')?.report(0.5);
    finishers.get('a')?.reject(new Error('disk full'));
    await settle();
    contexts.get('b')?.report(1);
    expect(progress).toEqual([
      ['a', 0.5],
      ['b', 1],
    ]);
    expect(errors).toEqual(['a']);
    expect(started).toEqual(['a', 'b']);
  });

  it('onSettled runs once the item left the running set and before the next starts, so it can add the key again', async () => {
    const { started, finishers, item, settle } = controlled();
    const seen: string[] = [];
    const queue: WorkQueue<string, number> = new WorkQueue<string, number>({
      concurrency: 1,
      onSettled: (key) => {
        seen.push(`${key} settled, running: ${queue.isRunning(key)}, started: ${started.join(',')}`);
        if (key === 'a' && seen.length === 1) expect(queue.add('a', item('a'))).toBe(true);
      },
    });
    queue.add('a', item('a'));
    queue.add('b', item('b'));
    await settle();
    finishers.get('a')?.resolve();
    await settle();
    expect(seen).toEqual(['a settled, running: false, started: a']);
    finishers.get('b')?.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'a']);
  });

  it('idle resolves when the last item settles; close aborts what runs and refuses new work', async () => {
    const { contexts, finishers, item, settle } = controlled();
    const queue = new WorkQueue<string, number>({ concurrency: 1 });
    await queue.idle();
    queue.add('a', item('a'));
    queue.add('b', item('b'));
    let idle = false;
    const whenIdle = queue.idle().then(() => {
      idle = true;
    });
    await settle();
    finishers.get('a')?.resolve();
    await settle();
    expect(idle).toBe(false);
    await queue.close();
    await whenIdle;
    expect(idle).toBe(true);
    expect(contexts.get('b')?.signal.aborted).toBe(true);
    expect(queue.add('c', item('c'))).toBe(false);
    expect(queue.size).toBe(0);
  });

  it('setConcurrency starts waiting items when the limit grows and never stops running ones when it shrinks', async () => {
    const { started, contexts, finishers, item, settle } = controlled();
    const queue = new WorkQueue<string, number>({ concurrency: 1 });
    for (const key of ['a', 'b', 'c', 'd']) queue.add(key, item(key));
    await settle();
    expect(started).toEqual(['a']);
    queue.setConcurrency(3);
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    queue.setConcurrency(1);
    finishers.get('a')?.resolve();
    finishers.get('b')?.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(contexts.get('c')?.signal.aborted).toBe(false);
    finishers.get('c')?.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
  });
});
