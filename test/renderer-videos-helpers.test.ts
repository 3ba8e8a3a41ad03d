import { describe, expect, it } from 'vitest';
import { i18next } from '../src/renderer/src/i18n';
import { inputIssueText } from '../src/renderer/src/ui/errors';
import { formatBytes } from '../src/renderer/src/ui/format';
import {
  buildCreateRequest,
  carryOptionValues,
  defaultOptionValues,
  optionProblem,
  optionValuesFromParams,
  refusalProblems,
  visibleOptions,
} from '../src/renderer/src/videos/create-form';
import { paramRows, splitLabel } from '../src/renderer/src/videos/display-text';
import {
  deleteSummary,
  isGenerating,
  jobActions,
  problemText,
  remoteDeleteState,
  statusLine,
} from '../src/renderer/src/videos/job-status';
import { buildLineage, filterJobs, lineageFromLibrary, newerJob } from '../src/renderer/src/videos/library';
import type { VideoJob, VideoVendor } from '../src/shared/videos/job';
import { createRequestOf, videoFileName } from '../src/shared/videos/reuse';
import { type VideoVendorSpec, videoVendorSpecs } from '../src/shared/videos/vendor-specs';

function vendor(name: VideoVendor): VideoVendorSpec {
  const spec = videoVendorSpecs.find((candidate) => candidate.vendor === name);
  if (!spec) throw new Error(`no spec for ${name}`);
  return spec;
}

function model(name: VideoVendor, id: string) {
  const spec = vendor(name).models.find((candidate) => candidate.id === id);
  if (!spec) throw new Error(`no model ${id}`);
  return spec;
}

let counter = 0;
function job(over: Partial<VideoJob> = {}): VideoJob {
  counter += 1;
  return {
    id: `job-${counter}`,
    vendor: 'sora',
    remoteId: `video_${counter}`,
    model: 'sora-2',
    prompt: 'a paper boat in the rain',
    params: {},
    status: 'queued',
    progress: null,
    error: null,
    remoteUrl: null,
    download: 'none',
    downloadedBytes: 0,
    downloadTotal: null,
    downloadError: null,
    localFile: null,
    thumbnail: null,
    fileSize: null,
    parentId: null,
    remoteDeleted: false,
    createdAt: 1_700_000_000_000 + counter,
    updatedAt: 1_700_000_000_000 + counter,
    submittedAt: null,
    completedAt: null,
    expiresAt: null,
    checkedAt: null,
    deletedAt: null,
    ...over,
  };
}

describe('the create form checks a request before it is sent', () => {
  it('sends the chosen Sora options and a first-frame path', () => {
    const sora = model('sora', 'sora-2');
    const result = buildCreateRequest(
      {
        vendor: 'sora',
        model: 'sora-2',
        prompt: '  a fox in the snow ',
        values: { ...defaultOptionValues(sora), seconds: '8', size: '1280x720' },
        imagePath: '/home/me/first.png',
      },
      vendor('sora'),
    );
    expect(result.problems).toBeNull();
    expect(result.request).toEqual({
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'a fox in the snow',
      options: { seconds: '8', size: '1280x720' },
      imagePath: '/home/me/first.png',
    });
  });

  it('refuses an empty prompt and one longer than the vendor takes', () => {
    const kling = model('kling', 'kling-v2-6');
    const empty = buildCreateRequest(
      { vendor: 'kling', model: kling.id, prompt: '   ', values: defaultOptionValues(kling) },
      vendor('kling'),
    );
    expect(empty.problems?.prompt).toMatch(/describe/i);
    const long = buildCreateRequest(
      { vendor: 'kling', model: kling.id, prompt: 'x'.repeat(2501), values: defaultOptionValues(kling) },
      vendor('kling'),
    );
    expect(long.problems?.prompt).toContain('2,500');
  });

  it('checks numbers against the model’s own range and allowed values', () => {
    const seedance15 = model('seedance', 'doubao-seedance-1-5-pro-251215');
    const tooShort = buildCreateRequest(
      {
        vendor: 'seedance',
        model: seedance15.id,
        prompt: 'clouds',
        values: { ...defaultOptionValues(seedance15), duration: '3' },
      },
      vendor('seedance'),
    );
    expect(tooShort.problems?.duration).toBe('Must be between 4 and 12.');

    const seedance10 = model('seedance', 'doubao-seedance-1-0-pro-250528');
    const fine = buildCreateRequest(
      {
        vendor: 'seedance',
        model: seedance10.id,
        prompt: 'clouds',
        values: { ...defaultOptionValues(seedance10), duration: '3' },
      },
      vendor('seedance'),
    );
    expect(fine.problems).toBeNull();
    expect(fine.request?.options).toMatchObject({ duration: 3, ratio: '16:9', watermark: false });

    const veo3 = model('veo', 'veo-3.0-generate-001');
    expect(optionProblem(veo3.options.find((spec) => spec.key === 'durationSeconds')!, '5')).toBe(
      'Must be 4, 6 or 8.',
    );
    expect(optionProblem(veo3.options.find((spec) => spec.key === 'durationSeconds')!, '4.5')).toBe(
      'Enter a whole number.',
    );
  });

  it('leaves an empty optional field to the vendor instead of sending it', () => {
    const veo2 = model('veo', 'veo-2.0-generate-001');
    const result = buildCreateRequest(
      { vendor: 'veo', model: veo2.id, prompt: 'a lighthouse', values: defaultOptionValues(veo2) },
      vendor('veo'),
    );
    expect(result.request?.options).not.toHaveProperty('seed');
    expect(result.request?.options).not.toHaveProperty('negativePrompt');
    expect(result.request?.options).not.toHaveProperty('resolution');
  });

  it('hides Kling’s aspect ratio once an image decides it, and does not send it', () => {
    const kling = model('kling', 'kling-v2-6');
    expect(visibleOptions('kling', kling, false).map((spec) => spec.key)).toContain('aspectRatio');
    expect(visibleOptions('kling', kling, true).map((spec) => spec.key)).not.toContain('aspectRatio');
    const result = buildCreateRequest(
      {
        vendor: 'kling',
        model: kling.id,
        prompt: 'the cat turns its head',
        values: defaultOptionValues(kling),
        imagePath: '/tmp/cat.jpg',
      },
      vendor('kling'),
    );
    expect(result.request?.options).not.toHaveProperty('aspectRatio');
    expect(result.request?.imagePath).toBe('/tmp/cat.jpg');
  });

  it('refuses an end frame where the vendor takes none', () => {
    const sora = model('sora', 'sora-2');
    const result = buildCreateRequest(
      {
        vendor: 'sora',
        model: sora.id,
        prompt: 'x',
        values: defaultOptionValues(sora),
        imageTailPath: '/tmp/end.png',
      },
      vendor('sora'),
    );
    expect(result.problems?.imageTail).toMatch(/end frame/);
  });

  it('keeps what the user chose when switching to a model that accepts it', () => {
    const pro = model('sora', 'sora-2-pro');
    const plain = model('sora', 'sora-2');
    const chosen = { ...defaultOptionValues(pro), seconds: '12', size: '1792x1024' };
    // sora-2 has no 1792x1024: that one falls back to its default, the seconds stay.
    expect(carryOptionValues(plain, chosen)).toEqual({ seconds: '12', size: '720x1280' });
  });

  it('marks the field of a request main refused, without the path in front of the message', () => {
    expect(
      refusalProblems({ field: 'options.duration', message: 'options.duration must be 4–12 seconds.' }),
    ).toEqual({ duration: 'must be 4–12 seconds.' });
    expect(refusalProblems({ field: 'imagePath', message: 'The image is 10x10.' })).toEqual({
      image: 'The image is 10x10.',
    });
    expect(refusalProblems({ message: 'No token.' })).toBeNull();
  });

  it("words a refusal main sent as a code and values in the window's language, with the allowed values", async () => {
    const refusal = {
      field: 'options.duration',
      message: 'Duration must be 5 or 10; you gave 7.',
      input: { code: 'oneOf' as const, values: { allowed: '5|10', given: '7' } },
    };
    try {
      expect(refusalProblems(refusal)).toEqual({ duration: 'This field must be 5 or 10. You gave 7.' });
      await i18next.changeLanguage('zh-CN');
      expect(refusalProblems(refusal)).toEqual({ duration: '此项只能是 5或10。你填写的是 7。' });
      await i18next.changeLanguage('vi');
      expect(refusalProblems(refusal)).toEqual({ duration: 'Trường này phải là 5 hoặc 10. Bạn đã nhập 7.' });
      expect(inputIssueText({ code: 'required', values: {} }, 'Tên hồ sơ')).toBe('Cần nhập Tên hồ sơ.');
    } finally {
      await i18next.changeLanguage('en');
    }
    expect(inputIssueText({ code: 'tooLong', values: { max: 80 } }, 'Profile name')).toBe(
      'Profile name can be at most 80 characters long.',
    );
    expect(
      inputIssueText({ code: 'invalid', values: {}, custom: 'must be an http(s) URL' }, 'Base URL'),
    ).toBe('Base URL must be an http(s) URL.');
  });

  it('names a field without its unit', () => {
    expect(splitLabel('Duration (s)')).toEqual({ name: 'Duration', unit: 's' });
    expect(splitLabel('Aspect ratio')).toEqual({ name: 'Aspect ratio', unit: null });
  });
});

describe('status as the library shows it', () => {
  it('says how far a job got', () => {
    expect(statusLine(job({ status: 'running', progress: 42.4 }))).toBe('Generating 42%');
    expect(statusLine(job({ status: 'queued' }))).toBe('Queued');
    expect(
      statusLine(
        job({ status: 'succeeded', download: 'downloading', downloadedBytes: 250, downloadTotal: 1000 }),
      ),
    ).toBe('Downloading 25%');
    expect(statusLine(job({ status: 'succeeded', download: 'done', localFile: 'videos/a.mp4' }))).toBe(
      'Ready',
    );
    expect(statusLine(job({ status: 'succeeded', download: 'unavailable' }))).toBe('Not downloadable');
  });

  it('treats a create that never got an answer as waiting for the user, not as running', () => {
    const stalled = job({ status: 'submitting', remoteId: null, error: { message: 'socket hang up' } });
    expect(isGenerating(stalled)).toBe(false);
    expect(isGenerating(job({ status: 'submitting', remoteId: null }))).toBe(true);
    expect(jobActions(stalled, vendor('sora')).sendAgain).toBe(true);
    expect(problemText(stalled)).toMatch(/may or may not have reached Sora/);
    expect(jobActions(job({ status: 'running' }), vendor('sora')).sendAgain).toBe(false);
  });

  it('explains failures, safety blocks, expiry and a job nobody answers for', () => {
    expect(problemText(job({ status: 'failed', error: { message: 'quota exceeded' } }))).toBe(
      'quota exceeded',
    );
    expect(
      problemText(job({ vendor: 'veo', status: 'failed', error: { message: 'filtered', safety: true } })),
    ).toMatch(/Veo’s safety filter blocked/);
    expect(problemText(job({ vendor: 'seedance', status: 'expired' }))).toMatch(/expired/);
    expect(problemText(job({ status: 'unknown' }))).toMatch(/check again/i);
    expect(problemText(job({ status: 'succeeded', download: 'done', localFile: 'a.mp4' }))).toBeNull();
  });

  it('words a failed or impossible download from its reason, in the window’s language', async () => {
    const refused = job({
      status: 'succeeded',
      download: 'failed',
      downloadError: 'The proxy refused the API token (401).',
      downloadReason: { code: 'http401', values: { status: 401 } },
    });
    const inCloud = job({
      vendor: 'veo',
      status: 'succeeded',
      download: 'unavailable',
      downloadError:
        'The video is stored at gs://b/v.mp4 (Google Cloud Storage), which HubDesk cannot download.',
      downloadReason: { code: 'videoInCloudStorage', values: { uri: 'gs://b/v.mp4' } },
    });
    expect(problemText(refused)).toBe('The proxy refused the API token (401).');
    await i18next.changeLanguage('zh-CN');
    try {
      expect(problemText(refused)).toBe('代理拒绝了 API 令牌（401）。');
      expect(problemText(inCloud)).toBe(
        '视频存放在 gs://b/v.mp4（Google Cloud Storage），HubDesk 无法下载。',
      );
      // A download error stored before reasons existed is its message alone.
      expect(problemText(job({ status: 'succeeded', download: 'failed', downloadError: 'disk gone' }))).toBe(
        'disk gone',
      );
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('offers remix and remote delete on Sora only, download only while there is no local copy', () => {
    const ready = job({ status: 'succeeded', download: 'none' });
    expect(jobActions(ready, vendor('sora'))).toMatchObject({
      remix: true,
      download: true,
      remoteDelete: true,
    });
    const kling = job({ vendor: 'kling', status: 'succeeded', remoteUrl: 'https://cdn/x.mp4' });
    expect(jobActions(kling, vendor('kling'))).toMatchObject({
      remix: false,
      download: true,
      remoteDelete: false,
    });
    const downloaded = job({ status: 'succeeded', download: 'done', localFile: 'videos/x.mp4' });
    expect(jobActions(downloaded, vendor('sora')).download).toBe(false);
    expect(jobActions(job({ status: 'unknown' }), vendor('sora')).checkAgain).toBe(true);
    const gone = job({ status: 'succeeded', remoteDeleted: true, download: 'done', localFile: 'v.mp4' });
    expect(jobActions(gone, vendor('sora'))).toMatchObject({ remix: false, remoteDelete: false });
  });

  it('says before a delete what each choice will do', () => {
    const downloaded = job({ status: 'succeeded', download: 'done', localFile: 'videos/x.mp4' });
    expect(deleteSummary('local', downloaded)).toMatch(/file moves to HubDesk’s trash.*job stays/);
    expect(deleteSummary('remote', downloaded)).toMatch(/Sora deletes the video.*copy in your library stays/);
    expect(deleteSummary('both', downloaded)).toMatch(/Sora deletes.*leave the library/);
    expect(deleteSummary('both', job({ vendor: 'kling' }))).not.toMatch(
      /deletes the video from your account/,
    );
  });
});

describe('the library grid', () => {
  const fox = job({ vendor: 'kling', prompt: 'A red Fox in fresh snow', status: 'running', createdAt: 3 });
  const boat = job({ vendor: 'sora', prompt: 'paper boat, rain, neon', status: 'succeeded', createdAt: 2 });
  const trashed = job({ vendor: 'sora', prompt: 'a fox again', deletedAt: 5, createdAt: 4 });
  const all = [boat, fox, trashed];

  it('lists newest first without the trash', () => {
    expect(filterJobs(all, { vendor: '', status: '', query: '' }).map((j) => j.id)).toEqual([
      fox.id,
      boat.id,
    ]);
  });

  it('filters by vendor, status and words of the prompt, in any case', () => {
    expect(filterJobs(all, { vendor: 'sora', status: '', query: '' })).toEqual([boat]);
    expect(filterJobs(all, { vendor: '', status: 'running', query: '' })).toEqual([fox]);
    expect(filterJobs(all, { vendor: '', status: '', query: 'fox SNOW' })).toEqual([fox]);
    expect(filterJobs(all, { vendor: '', status: '', query: 'fox boat' })).toEqual([]);
  });

  it('keeps the newer version when an event and a list answer cross', () => {
    const older = job({ updatedAt: 10, status: 'queued' });
    const newer = { ...older, updatedAt: 20, status: 'running' as const };
    expect(newerJob(newer, older)).toBe(newer);
    expect(newerJob(older, newer)).toBe(newer);
    expect(newerJob(undefined, older)).toBe(older);
  });

  it('formats sizes and parameters the way the form labels them', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2_437_155)).toBe('2.3 MB');
    const rows = paramRows(
      { duration: '5', mode: 'pro', watermark: false, aspectRatio: '16:9' },
      model('kling', 'kling-v2-1'),
      'kling',
    );
    expect(rows).toEqual([
      { key: 'duration', label: 'Duration', value: '5 seconds' },
      { key: 'mode', label: 'Mode', value: 'Professional mode' },
      { key: 'watermark', label: 'Watermark', value: 'Off' },
      { key: 'aspectRatio', label: 'Aspect ratio', value: '16:9 · landscape' },
    ]);
    const seedance = paramRows(
      { resolution: '720p', seed: -1, cameraFixed: 'true', serviceTier: 'flex', image: 'cat.png' },
      model('seedance', 'doubao-seedance-1-0-pro-250528'),
      'seedance',
    );
    expect(seedance.map((row) => row.value)).toEqual([
      '720p · HD',
      'Random',
      'On',
      'Flex tier (cheaper, slower)',
      'cat.png',
    ]);
  });
});

describe('remix lineage', () => {
  const root = job({ prompt: 'root', createdAt: 1 });
  const childA = job({ prompt: 'a', parentId: root.id, createdAt: 2 });
  const childB = job({ prompt: 'b', parentId: root.id, createdAt: 3 });
  const grandchild = job({ prompt: 'a1', parentId: childA.id, createdAt: 4 });
  const stranger = job({ prompt: 'other', createdAt: 5 });

  it('builds a tree with the original at the root and remixes oldest first', () => {
    const tree = buildLineage([grandchild, childB, root, childA]);
    expect(tree).toHaveLength(1);
    expect(tree[0]?.job.id).toBe(root.id);
    expect(tree[0]?.children.map((node) => node.job.id)).toEqual([childA.id, childB.id]);
    expect(tree[0]?.children[0]?.children.map((node) => node.job.id)).toEqual([grandchild.id]);
  });

  it('treats a job whose parent is not known as a root, and survives a parent cycle', () => {
    expect(buildLineage([childA]).map((node) => node.job.id)).toEqual([childA.id]);
    const x = job({ createdAt: 10 });
    const y = job({ createdAt: 11, parentId: x.id });
    const looped = { ...x, parentId: y.id };
    const tree = buildLineage([looped, y]);
    const count = (nodes: ReturnType<typeof buildLineage>): number =>
      nodes.reduce((sum, node) => sum + 1 + count(node.children), 0);
    expect(count(tree)).toBe(2);
  });

  it('finds the whole family of a job from the library alone', () => {
    const family = lineageFromLibrary([stranger, grandchild, childB, root, childA], grandchild.id);
    expect(family.map((member) => member.id).sort()).toEqual(
      [root.id, childA.id, childB.id, grandchild.id].sort(),
    );
  });
});

describe('making a job again', () => {
  it('offers Retry (a new job) on a failed or cancelled job, never a re-send of a failed one', () => {
    const refused = job({ status: 'failed', remoteId: null, error: { message: 'quota' } });
    expect(jobActions(refused, vendor('sora'))).toMatchObject({ retry: true, sendAgain: false });
    expect(jobActions(job({ status: 'cancelled' }), vendor('kling')).retry).toBe(true);
    expect(jobActions(job({ status: 'succeeded' }), vendor('sora')).retry).toBe(false);
    const downloaded = job({ status: 'succeeded', download: 'done', localFile: 'videos/a.mp4' });
    expect(jobActions(downloaded, vendor('sora')).file).toBe(true);
    expect(jobActions(job({ status: 'succeeded' }), vendor('sora')).file).toBe(false);
  });

  it('rebuilds the create request from the stored parameters, without the one-request id or library keys', () => {
    const failed = job({
      vendor: 'kling',
      model: 'kling-v1',
      params: {
        mode: 'pro',
        duration: '10',
        externalTaskId: 'fox-1',
        imagePath: '/pictures/fox.png',
        image: 'fox.png',
        klingKind: 'image2video',
      },
    });
    expect(createRequestOf(failed)).toEqual({
      vendor: 'kling',
      model: 'kling-v1',
      prompt: failed.prompt,
      options: { mode: 'pro', duration: '10' },
      imagePath: '/pictures/fox.png',
    });
    const values = optionValuesFromParams(model('kling', 'kling-v1'), { mode: 'pro', duration: '10' });
    expect(values).toMatchObject({ mode: 'pro', duration: '10' });
  });

  it('says which deletes the vendor can do', () => {
    expect(remoteDeleteState(job({ vendor: 'kling' }), vendor('kling'))).toBe('vendorCannot');
    expect(remoteDeleteState(job({ remoteDeleted: true }), vendor('sora'))).toBe('gone');
    expect(remoteDeleteState(job({ remoteId: null }), vendor('sora'))).toBe('never');
    expect(remoteDeleteState(job(), vendor('sora'))).toBe('available');
  });

  it('names a saved file after the vendor and the prompt, without characters a file system refuses', () => {
    expect(videoFileName(job({ vendor: 'veo', prompt: 'A cat: "on/off"?', localFile: 'videos/x.mp4' }))).toBe(
      'veo - A cat on off.mp4',
    );
    expect(videoFileName(job({ prompt: '海上的船', localFile: 'videos/x.webm' }))).toBe(
      'sora - 海上的船.webm',
    );
  });
});
