import type { ServiceRequest } from '@dcc/proto';
import { Unexpressible } from './body-reader.js';
import type { SampleMapper } from './map-common.js';
import { DEVICE_MANAGEMENT_MAPPERS } from './map-device-management.js';
import { NON_DEVICE_MAPPERS } from './map-non-device.js';
import { PREPAYMENT_MAPPERS } from './map-prepayment.js';
import { READ_MAPPERS } from './map-reads.js';
import { SUPPLY_MAPPERS } from './map-supply.js';
import type { DuisSample } from './samples.js';

/** Every SRV whose DUIS body the gRPC API can carry, by family. */
const MAPPERS: Record<string, SampleMapper> = {
  ...PREPAYMENT_MAPPERS,
  ...READ_MAPPERS,
  ...DEVICE_MANAGEMENT_MAPPERS,
  ...SUPPLY_MAPPERS,
  ...NON_DEVICE_MAPPERS,
};

export type MappedSample = { ok: true; body: ServiceRequest['body'] } | { ok: false; reason: string };

/** The sample's body on the gRPC API, or why it cannot be carried whole (no body, or a field left unread). */
export function mapSample(sample: DuisSample): MappedSample {
  const mapper = MAPPERS[sample.srv];
  if (!mapper) return { ok: false, reason: `no gRPC body for ${sample.srv} (${sample.bodyElement})` };
  try {
    const body = mapper(sample.body);
    const dropped = sample.body.unconsumed();
    if (dropped.length > 0) return { ok: false, reason: `dropped ${dropped.slice(0, 3).join(', ')}` };
    return { ok: true, body };
  } catch (error) {
    if (error instanceof Unexpressible) return { ok: false, reason: error.message };
    throw error;
  }
}
