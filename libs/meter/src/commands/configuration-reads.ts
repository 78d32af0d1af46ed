import { firmwareVersion } from '../firmware.js';
import { alertConfiguration } from './alert-behaviour.js';
import { gasFlow } from '../gas.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime } from './outcome.js';
import { Params } from './params.js';
import { paymentModeStatus } from './payment-mode-command.js';
import type { AlertConfiguration, DeviceIdentityReading, PaymentModeStatus } from './types.js';

/** The device types with a supply switch or valve. */
const SWITCHED: readonly string[] = ['ESME', 'GSME'];

/** 6.2.4 Read Device Configuration (Identity Exc MPxN): the device's id, type, firmware and switch state. */
export const readDeviceIdentity: SrvHandler<undefined, DeviceIdentityReading> = {
  parse: (raw) => Params.none('6.2.4', raw),
  execute(ctx) {
    const deviceType = ctx.device.profile.deviceType;
    const identity: DeviceIdentityReading = {
      deviceId: ctx.device.deviceId,
      deviceType,
      firmwareVersion: firmwareVersion(ctx.state, ctx.device),
      supply: SWITCHED.includes(deviceType) ? ctx.state.supply : null,
      meterTimeMs: meterTime(ctx),
    };
    if (deviceType !== 'GSME') return done(identity);
    // GCS21m: a GSME's identity read includes its supply depletion and tamper states.
    const { depletionLocked, tamperLocked } = gasFlow(ctx.state);
    return done({ ...identity, gasSupplyStates: { depletionLocked, tamperLocked } });
  },
  // An installer reads who the device is before commissioning it.
  beforeCommissioning: true,
};

/** 6.2.9 Read Device Configuration (Payment Mode). */
export const readPaymentMode: SrvHandler<undefined, PaymentModeStatus> = {
  parse: (raw) => Params.none('6.2.9', raw),
  execute: (ctx) => done(paymentModeStatus(ctx.state)),
};

/** 6.2.10 Read Device Configuration (Event and Alert Behaviours): the alert codes 6.22 turned off. */
export const readAlertBehaviours: SrvHandler<undefined, AlertConfiguration> = {
  parse: (raw) => Params.none('6.2.10', raw),
  execute: (ctx) => done(alertConfiguration(ctx.state)),
};
