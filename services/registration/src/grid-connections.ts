import type { GridMetersRequest } from '@dcc/proto';
import { DccError } from '@dcc/domain';

/** A feeder and the substation it leaves from, as the network operator names them. */
export interface GridConnection {
  substation: string;
  feeder: string;
}

/** One NATS subject token (docs/grid-feeds.md): the grid feeds put feeders and substations in subjects. */
export const GRID_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Where each meter point is connected to the distribution network: one 32-bit feeder number per point (0: not
 * known) in a column that grows by doubling, and the feeders themselves interned once (a feeder serves tens to
 * hundreds of points), so 30 million points cost 120 MB and a scan of a feeder's points is one pass over the
 * column. A feeder belongs to one substation: a later line naming it under another substation moves it.
 */
export class GridConnections {
  private column = new Uint32Array(1024);
  /** Feeder number → feeder; number 0 is "none". */
  private readonly feeders: GridConnection[] = [{ substation: '', feeder: '' }];
  private readonly feederNumbers = new Map<string, number>();

  of(point: number): GridConnection | undefined {
    const n = point < this.column.length ? this.column[point]! : 0;
    return n === 0 ? undefined : this.feeders[n];
  }

  set(point: number, connection: GridConnection | undefined): void {
    if (point >= this.column.length) {
      let size = this.column.length;
      while (size <= point) size *= 2;
      const grown = new Uint32Array(size);
      grown.set(this.column);
      this.column = grown;
    }
    if (!connection || connection.feeder === '') {
      this.column[point] = 0;
      return;
    }
    let n = this.feederNumbers.get(connection.feeder);
    if (n === undefined) {
      n = this.feeders.length;
      this.feeders.push({ ...connection });
      this.feederNumbers.set(connection.feeder, n);
    } else if (this.feeders[n]!.substation !== connection.substation) {
      this.feeders[n] = { ...connection };
    }
    this.column[point] = n;
  }

  /** Every point on one feeder, or on every feeder of one substation. */
  pointsOn(area: { feeder?: string; substation?: string }): number[] {
    const wanted = new Set<number>();
    this.feeders.forEach((f, n) => {
      if (n > 0 && (f.feeder === area.feeder || f.substation === area.substation)) wanted.add(n);
    });
    const points: number[] = [];
    if (wanted.size === 0) return points;
    for (let p = 0; p < this.column.length; p++) if (wanted.has(this.column[p]!)) points.push(p);
    return points;
  }
}

/** A feeder or a substation, exactly one, each a grid token; INVALID_ARGUMENT otherwise. */
export function gridArea(request: GridMetersRequest): { feeder?: string; substation?: string } {
  const given = [request.feeder, request.substation].filter((s) => s !== '');
  if (given.length !== 1) throw DccError.invalidArgument('name exactly one of feeder and substation');
  if (!GRID_TOKEN.test(given[0]!)) {
    throw DccError.invalidArgument('feeder/substation: 1-64 letters, digits, "-" or "_"');
  }
  return request.feeder ? { feeder: request.feeder } : { substation: request.substation };
}
