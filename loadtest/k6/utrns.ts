import { SharedArray } from 'k6/data';

/**
 * UTRNs come from the supplier's top-up system, not from the hub: the top-up scenario reads them, in iteration
 * order, from UTRN_FILE (JSON: [{"device": EUI-64, "utrn": "20 digits"}, ...]). For the hub's simulated meters,
 * `npm run loadtest:utrns` writes such a file for the model's meter derivation (loadtest/README.md). An iteration
 * past the file's end reuses a UTRN, which the meter refuses as a duplicate: make the file as long as the run.
 */
interface IssuedUtrn {
  device: string;
  utrn: string;
}

const issued = new SharedArray<IssuedUtrn>(
  'utrns',
  () => JSON.parse(open(__ENV.UTRN_FILE ?? '../../.run/loadtest/utrns.json')) as IssuedUtrn[],
);

export function utrnFor(iteration: number): IssuedUtrn {
  if (issued.length === 0) throw new Error('UTRN_FILE holds no UTRNs');
  return issued[iteration % issued.length]!;
}
