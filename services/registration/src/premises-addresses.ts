/** A postcode as compared: upper case, no spaces ("m22 0rr" and "M220RR" are "M22 0RR"). */
export const postcodeKey = (postCode: string): string => postCode.replace(/\s+/g, '').toUpperCase();

/** An address identifier as compared: trimmed, single-spaced, without case. */
const addressKey = (identifier: string): string => identifier.trim().replace(/\s+/g, ' ').toLowerCase();

interface PremisesAddress {
  postCode: string;
  addressIdentifier: string;
}

/**
 * Each meter point's premises address as its registration feed gives it (postcode and address identifier), with
 * the points at each postcode, for 12.1 Request WAN Matrix. Maps keyed by point: only points whose feed gave an
 * address cost anything.
 */
export class PremisesAddresses {
  private readonly byPoint = new Map<number, PremisesAddress>();
  private readonly byPostcode = new Map<string, Set<number>>();

  of(point: number): PremisesAddress {
    return this.byPoint.get(point) ?? { postCode: '', addressIdentifier: '' };
  }

  set(point: number, postCode: string, addressIdentifier: string): void {
    const before = this.byPoint.get(point);
    if (before) this.byPostcode.get(postcodeKey(before.postCode))?.delete(point);
    if (postCode === '') {
      this.byPoint.delete(point);
      return;
    }
    this.byPoint.set(point, { postCode, addressIdentifier });
    const key = postcodeKey(postCode);
    const points = this.byPostcode.get(key) ?? new Set<number>();
    points.add(point);
    this.byPostcode.set(key, points);
  }

  /** The points at a postcode, those whose address identifier is `addressIdentifier` when one is given. */
  pointsAt(postCode: string, addressIdentifier: string): number[] {
    const points = [...(this.byPostcode.get(postcodeKey(postCode)) ?? [])];
    if (addressIdentifier.trim() === '') return points;
    const wanted = addressKey(addressIdentifier);
    return points.filter((p) => addressKey(this.byPoint.get(p)!.addressIdentifier) === wanted);
  }
}
