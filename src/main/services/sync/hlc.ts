import type { Clock } from '../../base/clock';

/**
 * A hybrid logical clock: versions that follow wall time but never go backwards, even when this computer's clock
 * does or another computer's is ahead. A version is a fixed-width string (wall ms and counter in base 36, then the
 * device id), so versions compare as strings: newer time first, then the counter, then the device id, which makes
 * the winner between two computers deterministic.
 */
export class HybridClock {
  private wall = 0;
  private counter = 0;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly device: string,
    last: string | null = null,
  ) {
    if (last) this.receive(last);
  }

  /** A version newer than every version this clock has made or seen. */
  next(): string {
    const now = this.clock.now();
    if (now > this.wall) {
      this.wall = now;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
    return formatVersion(this.wall, this.counter, this.device);
  }

  /** Takes in a version made elsewhere, so the next local one is newer. */
  receive(version: string): void {
    const parsed = parseVersion(version);
    if (!parsed) return;
    if (parsed.wall > this.wall || (parsed.wall === this.wall && parsed.counter > this.counter)) {
      this.wall = parsed.wall;
      this.counter = parsed.counter;
    }
  }

  /** Whether a version was made by this clock's device. */
  madeHere(version: string): boolean {
    return deviceOfVersion(version) === this.device;
  }

  /** The newest version made or seen, to keep across restarts. */
  last(): string {
    return formatVersion(this.wall, this.counter, this.device);
  }
}

const WALL_WIDTH = 11;
const COUNTER_WIDTH = 5;

function formatVersion(wall: number, counter: number, device: string): string {
  return `${wall.toString(36).padStart(WALL_WIDTH, '0')}.${counter.toString(36).padStart(COUNTER_WIDTH, '0')}.${device}`;
}

/** The device that made a version. */
export function deviceOfVersion(version: string): string {
  return version.split('.').slice(2).join('.');
}

function parseVersion(version: string): { wall: number; counter: number } | null {
  const [wall, counter] = version.split('.');
  if (wall?.length !== WALL_WIDTH || counter?.length !== COUNTER_WIDTH) return null;
  const parsed = { wall: Number.parseInt(wall, 36), counter: Number.parseInt(counter, 36) };
  return Number.isFinite(parsed.wall) && Number.isFinite(parsed.counter) ? parsed : null;
}
