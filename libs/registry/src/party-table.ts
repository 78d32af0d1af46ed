import { DccError, GrpcStatus, type Eui64 } from '@dcc/domain';
import { NO_PARTY } from './codes.js';

/** Party indexes live in Uint16Array columns; index 0 is NO_PARTY. */
export const MAX_PARTIES = 65_535;

/**
 * SEC parties (their EUI-64 User IDs) numbered 1, 2, … so a point's appointments cost two bytes each. The GB
 * market has a few hundred parties, so the 65,535 limit is far away; it is enforced anyway.
 */
export class PartyTable {
  private readonly ids: Eui64[] = [];
  private readonly names: string[] = [];
  private readonly byId = new Map<string, number>();

  /** The party's index, adding it when new. `name` is informational (reports, tests). */
  intern(id: Eui64, name = ''): number {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    if (this.ids.length >= MAX_PARTIES) {
      throw new DccError(GrpcStatus.RESOURCE_EXHAUSTED, `the party table is full (${MAX_PARTIES} parties)`);
    }
    this.ids.push(id);
    this.names.push(name);
    const index = this.ids.length;
    this.byId.set(id, index);
    return index;
  }

  /** The party's index, or NO_PARTY when the User ID is not a known party. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? NO_PARTY;
  }

  idOf(index: number): Eui64 | undefined {
    return index === NO_PARTY ? undefined : this.ids[index - 1];
  }

  nameOf(index: number): string | undefined {
    return index === NO_PARTY ? undefined : this.names[index - 1];
  }

  get size(): number {
    return this.ids.length;
  }
}
