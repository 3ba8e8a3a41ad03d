import type { VideoJob } from '../../../shared/videos/job';
import { soraListAll } from '../../api/video/sora';
import { publicJob } from '../../store/videos-repo';
import { newVideoRecord, type VideoContext } from './context';
import type { VideoPolling } from './polling';

/** Imports the Sora videos of the account the library does not know (oldest first, so parents come first). */
export async function syncSoraAccount(
  context: VideoContext,
  polling: VideoPolling,
): Promise<{ imported: VideoJob[]; seen: number }> {
  const { repo } = context;
  const remote = await soraListAll(context.deps.client(), context.timing.syncPageSize);
  const imported: VideoJob[] = [];
  for (const state of [...remote].reverse()) {
    if (repo.byRemote('sora', state.remoteId)) continue;
    const now = context.now();
    const parent = state.remixedFrom ? repo.byRemote('sora', state.remixedFrom) : null;
    const record = repo.insert(
      newVideoRecord({
        vendor: 'sora',
        remoteId: state.remoteId,
        model: state.model ?? 'sora-2',
        prompt: state.prompt ?? '',
        params: state.params ?? {},
        status: 'queued',
        parentId: parent?.id ?? null,
        createdAt: state.createdAt ?? now,
        updatedAt: now,
        submittedAt: state.createdAt ?? now,
      }),
    );
    polling.begin(record.id, now);
    imported.push(publicJob(polling.apply(record.id, state)));
  }
  return { imported, seen: remote.length };
}
