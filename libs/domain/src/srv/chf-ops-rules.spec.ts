import { describe, expect, it } from 'vitest';
import { GrpcStatus } from '../grpc-status.js';
import { readGbcsResponseHeader } from '../gbcs-response-header.js';
import { checkRequestBody } from './srv-support.js';

const CHF = '00-DB-12-00-00-00-00-A2';
const METER = '00-DB-12-00-00-00-00-A0';
const USER = '90-B3-D5-1F-30-0A-00-00';

/** The refusal's message, or undefined when the body passes; every refusal is INVALID_ARGUMENT. */
function refusal(srv: string, $case: string, value: unknown): string | undefined {
  try {
    checkRequestBody(srv, { $case, value } as never);
    return undefined;
  } catch (error) {
    expect((error as { status: number }).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    return (error as Error).message;
  }
}

const hex = (eui: string) => eui.replaceAll('-', '');
/** A GBCS response header (General Signing), hex: CRA flag, counter, originator, recipient, no date-time, code. */
function gbcs(options: { craFlag?: number; counter?: number; from?: string; to?: string } = {}): Buffer {
  const counter = (options.counter ?? 1000).toString(16).padStart(16, '0');
  const cra = (options.craFlag ?? 2).toString(16).padStart(2, '0');
  return Buffer.from(
    `DF09${cra}${counter}08${hex(options.from ?? METER)}08${hex(options.to ?? USER)}00020012`,
    'hex',
  );
}
const ORIGINAL = `${USER}:${METER}:1000`;

const install = {
  deviceId: CHF,
  installType: 'New CHF Install',
  mpxn: '1000999888',
  aerialInstall: true,
  location: 'Basement or Cellar',
};

describe('8.14 status update bodies are checked before the hub stores the request', () => {
  it('8.14.1 needs the hub id, an install type, a meter point of digits and a location', () => {
    expect(refusal('8.14.1', 'chfInstallSuccess', install)).toBeUndefined();
    expect(refusal('8.14.1', 'chfInstallSuccess', { ...install, deviceId: 'A2' })).toMatch(/deviceId/);
    expect(refusal('8.14.1', 'chfInstallSuccess', { ...install, installType: '' })).toMatch(/installType/);
    expect(refusal('8.14.1', 'chfInstallSuccess', { ...install, mpxn: '12AB5' })).toMatch(/mpxn/);
    expect(refusal('8.14.1', 'chfInstallSuccess', { ...install, location: 'x'.repeat(65) })).toMatch(
      /location is longer than 64/,
    );
  });

  it('8.14.2 also needs the premises type, printable text', () => {
    const noWan = { ...install, premiseType: 'Low Rise Apartment (MDU <= 5 floors)' };
    expect(refusal('8.14.2', 'chfInstallNoSmWan', noWan)).toBeUndefined();
    expect(refusal('8.14.2', 'chfInstallNoSmWan', { ...noWan, premiseType: 'Flat\n' })).toMatch(
      /premiseType/,
    );
  });

  it('8.14.3 needs a fault return type, a device id or none for the other device, a method and a reason', () => {
    const fault = {
      deviceId: CHF,
      faultReturnType: 1,
      otherDeviceId: METER,
      connectionMethod: 'Hot-shoe',
      faultReason: 'Damaged case',
    };
    expect(refusal('8.14.3', 'chfFaultReturn', fault)).toBeUndefined();
    expect(refusal('8.14.3', 'chfFaultReturn', { ...fault, otherDeviceId: '' })).toBeUndefined();
    expect(refusal('8.14.3', 'chfFaultReturn', { ...fault, faultReturnType: 0 })).toMatch(/faultReturnType/);
    expect(refusal('8.14.3', 'chfFaultReturn', { ...fault, otherDeviceId: 'A0' })).toMatch(/otherDeviceId/);
    expect(refusal('8.14.3', 'chfFaultReturn', { ...fault, faultReason: '' })).toMatch(/faultReason/);
  });

  it('8.14.4 needs the no-fault return type', () => {
    const value = { deviceId: CHF, noFaultReturnType: 'No Fault Return (general)' };
    expect(refusal('8.14.4', 'chfNoFaultReturn', value)).toBeUndefined();
    expect(refusal('8.14.4', 'chfNoFaultReturn', { ...value, noFaultReturnType: '' })).toMatch(/noFault/);
  });
});

describe('8.13: the returned GBCS response must answer its original request', () => {
  const returned = (originalRequestId: string, deviceGbcsResponse: Uint8Array) =>
    refusal('8.13', 'returnLocalCommandResponse', { originalRequestId, deviceGbcsResponse });

  it('a response from the original target to its originator with its counter passes', () => {
    expect(returned(ORIGINAL, gbcs())).toBeUndefined();
    expect(readGbcsResponseHeader(gbcs())).toEqual({
      craFlag: 2,
      counter: 1000n,
      originator: METER,
      recipient: USER,
      messageCode: 0x12,
    });
  });

  it('a command, another device, another recipient or another counter is refused', () => {
    expect(returned(ORIGINAL, gbcs({ craFlag: 1 }))).toMatch(/not a response/);
    expect(returned(ORIGINAL, gbcs({ from: CHF }))).toMatch(/comes from 00-DB-12-00-00-00-00-A2/);
    expect(returned(ORIGINAL, gbcs({ to: '90-B3-D5-1F-30-0B-00-00' }))).toMatch(/is for/);
    expect(returned(ORIGINAL, gbcs({ counter: 1001 }))).toMatch(/answers counter 1001/);
  });

  it('bytes that are not GBCS, cut short, empty or too long, and a malformed RequestID are refused', () => {
    expect(returned(ORIGINAL, Buffer.from('3C786D6C3E', 'hex'))).toMatch(/neither General Signing/);
    expect(returned(ORIGINAL, gbcs().subarray(0, 20))).toMatch(/ends inside its header/);
    expect(returned(ORIGINAL, new Uint8Array())).toMatch(/missing/);
    expect(returned(ORIGINAL, new Uint8Array(4_097))).toMatch(/longer than 4096 bytes/);
    expect(returned(`${USER}:${METER}`, gbcs())).toMatch(/RequestID/);
  });
});
