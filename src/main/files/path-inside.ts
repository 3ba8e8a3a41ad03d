/** Whether one path lies inside another: compared segment by segment, and by where the paths really lead. */
import fs from 'node:fs';
import path from 'node:path';

/** True when `child` is `parent` or lies inside it (a name that merely starts with two dots, `..dots`, is inside). */
export function isSameOrInside(parent: string, child: string): boolean {
  const relative = path.relative(path.resolve(parent), path.resolve(child));
  if (relative === '') return true;
  return !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
}

/** True when `child` lies inside `parent` and is not `parent` itself. */
export function isInside(parent: string, child: string): boolean {
  return isSameOrInside(parent, child) && path.resolve(parent) !== path.resolve(child);
}

/**
 * Where `target` really leads: symlinks on the way resolved (fs.realpath) as far as the path exists, the rest
 * appended as written.
 */
export function realLocation(target: string): string {
  const rest: string[] = [];
  let current = path.resolve(target);
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(target);
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/** As `isSameOrInside`, by the written paths and by where they really lead. */
export function overlaps(a: string, b: string): boolean {
  const realA = realLocation(a);
  const realB = realLocation(b);
  return (
    isSameOrInside(a, b) ||
    isSameOrInside(b, a) ||
    isSameOrInside(realA, realB) ||
    isSameOrInside(realB, realA)
  );
}
