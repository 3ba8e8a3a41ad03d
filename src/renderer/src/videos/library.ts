/** The library: filters, order, lineage. */
import type { VideoJob, VideoStatus, VideoVendor } from '../../../shared/videos/job';

export type LibraryFilter = { vendor: VideoVendor | ''; status: VideoStatus | ''; query: string };

/** Newest first, without jobs in the trash, narrowed by vendor, status and a search over prompts. */
export function filterJobs(jobs: Iterable<VideoJob>, filter: LibraryFilter): VideoJob[] {
  const words = filter.query.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const matches: VideoJob[] = [];
  for (const job of jobs) {
    if (job.deletedAt !== null) continue;
    if (filter.vendor && job.vendor !== filter.vendor) continue;
    if (filter.status && job.status !== filter.status) continue;
    if (words.length > 0) {
      const prompt = job.prompt.toLocaleLowerCase();
      if (!words.every((word) => prompt.includes(word))) continue;
    }
    matches.push(job);
  }
  return matches.sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
}

/** Keeps the newer of two versions of a job (events and list answers can cross). */
export function newerJob(current: VideoJob | undefined, incoming: VideoJob): VideoJob {
  if (!current) return incoming;
  return incoming.updatedAt >= current.updatedAt ? incoming : current;
}

export type LineageNode = { job: VideoJob; children: LineageNode[] };

/** The remix tree of these jobs: roots are the jobs whose parent is not among them; children oldest first. */
export function buildLineage(jobs: readonly VideoJob[]): LineageNode[] {
  const nodes = new Map<string, LineageNode>();
  for (const job of [...jobs].sort((a, b) => a.createdAt - b.createdAt)) {
    nodes.set(job.id, { job, children: [] });
  }
  const roots: LineageNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.job.parentId === null ? undefined : nodes.get(node.job.parentId);
    if (parent && !createsCycle(node, parent.job.id, nodes)) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Guards against a parent cycle in bad data: attaching here would make the job its own ancestor. */
function createsCycle(node: LineageNode, parentId: string, nodes: Map<string, LineageNode>): boolean {
  let cursor: string | null = parentId;
  const seen = new Set<string>();
  while (cursor !== null && !seen.has(cursor)) {
    if (cursor === node.job.id) return true;
    seen.add(cursor);
    cursor = nodes.get(cursor)?.job.parentId ?? null;
  }
  return false;
}

/** The jobs of the library that share a remix tree with this one (for when main cannot be asked). */
export function lineageFromLibrary(jobs: readonly VideoJob[], id: string): VideoJob[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  let root = byId.get(id);
  const seen = new Set<string>();
  while (root?.parentId && byId.has(root.parentId) && !seen.has(root.id)) {
    seen.add(root.id);
    root = byId.get(root.parentId);
  }
  if (!root) return [];
  const family = [root];
  const members = new Set([root.id]);
  for (let index = 0; index < family.length; index += 1) {
    const parent = family[index];
    for (const job of jobs) {
      if (parent && job.parentId === parent.id && !members.has(job.id)) {
        members.add(job.id);
        family.push(job);
      }
    }
  }
  return family;
}
