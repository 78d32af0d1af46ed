import { requireSrv } from '@dcc/domain';
import type { ServiceRequest } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { dateTimeMs, type SampleMapper } from './map-common.js';
import { AUX_LOAD_MAPPERS } from './map-aux-load.js';
import { DEVICE_MANAGEMENT_MAPPERS } from './map-device-management.js';
import { FIRMWARE_MAPPERS } from './map-firmware.js';
import { GAS_MAPPERS } from './map-gas.js';
import { BILLING_CALENDAR_MAPPERS } from './map-billing-calendar.js';
import { ESME_SETTINGS_MAPPERS } from './map-esme-settings.js';
import { LOG_AND_DEMAND_MAPPERS } from './map-logs-demand.js';
import { CHF_OPS_MAPPERS } from './map-chf-ops.js';
import { CHF_RADIO_MAPPERS } from './map-chf-radio.js';
import { HAN_MAPPERS } from './map-han.js';
import { HANDOVER_MAPPERS } from './map-handover.js';
import { HUB_INVENTORY_MAPPERS } from './map-hub-inventory.js';
import { NON_DEVICE_MAPPERS } from './map-non-device.js';
import { PREPAYMENT_MAPPERS } from './map-prepayment.js';
import { READ_MAPPERS } from './map-reads.js';
import { SUPPLY_MAPPERS } from './map-supply.js';
import { SECURITY_CREDENTIALS_MAPPERS } from './map-security-credentials.js';
import { SECURITY_CREDENTIALS_UPDATE_MAPPERS } from './map-security-credentials-update.js';
import { TARIFF_MAPPERS } from './map-tariffs.js';
import type { DuisSample } from './samples.js';

/** Every SRV whose DUIS body the gRPC API can carry, by family. */
const MAPPERS: Record<string, SampleMapper> = {
  ...PREPAYMENT_MAPPERS,
  ...READ_MAPPERS,
  ...DEVICE_MANAGEMENT_MAPPERS,
  ...SUPPLY_MAPPERS,
  ...NON_DEVICE_MAPPERS,
  ...HUB_INVENTORY_MAPPERS,
  ...TARIFF_MAPPERS,
  ...AUX_LOAD_MAPPERS,
  ...GAS_MAPPERS,
  ...LOG_AND_DEMAND_MAPPERS,
  ...BILLING_CALENDAR_MAPPERS,
  ...HAN_MAPPERS,
  ...CHF_RADIO_MAPPERS,
  ...ESME_SETTINGS_MAPPERS,
  ...CHF_OPS_MAPPERS,
  ...FIRMWARE_MAPPERS,
  ...SECURITY_CREDENTIALS_MAPPERS,
  ...HANDOVER_MAPPERS,
  ...SECURITY_CREDENTIALS_UPDATE_MAPPERS,
};

export type MappedSample =
  { ok: true; body: ServiceRequest['body']; executionDateTimeMs?: number } | { ok: false; reason: string };

/**
 * A DSP future-dated request: an ExecutionDateTime the SRV's body did not take (the body has no place for it, or
 * the SRV is not device future-dated) is the request's, when the SRV's pattern is DSP (the DCC holds it). DCC's one
 * DSP future-dated sample (ECS17b_4.1.1_DSP_FUTURE_DATED) names 2015-01-15, so the hub refuses it before I99;
 * a sample with a time ahead would be held (I99) and answered only at its time, which the runner does not wait
 * for (e2e/test/future-dated.spec.ts drives the holder's clock for that).
 */
function dspExecutionDateTime(sample: DuisSample, body: BodyReader): { executionDateTimeMs?: number } {
  if (!body.unconsumed().includes('ExecutionDateTime')) return {};
  if (!requireSrv(sample.srv).futureDated?.startsWith('DSP')) return {};
  return { executionDateTimeMs: dateTimeMs(body.text('ExecutionDateTime')) };
}

/** The sample's body on the gRPC API, or why it cannot be carried whole (no body, or a field left unread). */
export function mapSample(sample: DuisSample): MappedSample {
  const mapper = MAPPERS[sample.srv];
  if (!mapper) return { ok: false, reason: `no gRPC body for ${sample.srv} (${sample.bodyElement})` };
  try {
    const body = mapper(sample.body);
    const dsp = dspExecutionDateTime(sample, sample.body);
    const dropped = sample.body.unconsumed();
    if (dropped.length > 0) return { ok: false, reason: `dropped ${dropped.slice(0, 3).join(', ')}` };
    return { ok: true, body, ...dsp };
  } catch (error) {
    if (error instanceof Unexpressible) return { ok: false, reason: error.message };
    throw error;
  }
}
