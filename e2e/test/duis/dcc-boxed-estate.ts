import { mpanCheckDigit, mprnCheckDigits } from '@dcc/domain';

/** The DCC Boxed test estate's Users, as the samples' RequestIDs name them (DUIS-TEMPLATES.md). */
export const SAMPLE_USERS = {
  supplier: '90-B3-D5-1F-30-01-00-00',
  networkOperator: '90-B3-D5-1F-30-02-00-00',
  /** The "unknown remote party" of the 4.14 URP sample. */
  otherUser: '90-B3-D5-1F-30-03-00-00',
  /** The originator of the two 7.16 samples (7.16 has no eligible User Role). */
  apcSender: '90-B3-D5-1F-30-01-00-08',
  /** The DCC's own id: the target of non-device requests and the originator of three DCC-initiated samples. */
  dcc: '90-B3-D5-1F-30-00-00-02',
} as const;

/** The samples' devices: one dual-fuel SMETS2 premises with every device type, and a poly-phase ESME. */
export const SAMPLE_DEVICES = {
  esme: '00-DB-12-34-56-78-90-A0',
  gsme: '00-DB-12-34-56-78-90-A1',
  chf: '00-DB-12-34-56-78-90-A2',
  gpf: '00-DB-12-34-56-78-90-A3',
  ppmid: '00-DB-12-34-56-78-90-A4',
  hcalcs: '00-DB-12-34-56-78-90-A5',
  hcalcsApc: '00-DB-12-34-56-78-90-A6',
  ihd: '00-DB-12-34-56-78-90-A7',
  /** A second, electricity-only premises with a poly-phase ESME (variant C) and its own comms hub. */
  polyPhaseEsme: '00-DB-12-34-56-78-90-B0',
  polyPhaseChf: '00-DB-12-34-56-78-90-B2',
  /**
   * The premises' former comms hub, replaced by `chf` and Withdrawn: the old CHF DCC's 8.12.1 sample restores the
   * device log of (OldCHFID). It stays joined to the premises' points, so its saved log is their devices.
   */
  replacedChf: '00-DB-12-34-56-78-90-95',
} as const;

/**
 * The samples written for a poly-phase ESME ("3ph", "polyphase" in their titles) carry the single-phase ESME's id
 * in their RequestID, as all of DCC's electricity samples do; DCC Boxed sends them to its poly-phase meter, and so
 * does the replay.
 */
const POLY_PHASE_SAMPLES = ['ECS29b_6.5_SUCCESS', 'ECS29d_6.5_SUCCESS', 'ECS29f_6.27_SUCCESS'];

/** The device a sample is sent to in this estate. */
export const sampleTarget = (sample: { name: string; target: string }): string =>
  POLY_PHASE_SAMPLES.includes(sample.name) ? SAMPLE_DEVICES.polyPhaseEsme : sample.target;

const GAS_DEVICES: readonly string[] = [SAMPLE_DEVICES.gsme, SAMPLE_DEVICES.gpf];

/** Whether a sample's device is on the gas point (its User acts as gas supplier or gas transporter). */
export const isGasDevice = (deviceId: string) => GAS_DEVICES.includes(deviceId);

/** The registration feed of that premises (services/registration/FEED-FORMAT.md). */
export function dccBoxedFeed(): string[] {
  const d = SAMPLE_DEVICES;
  const mpan12 = '100000000099';
  const polyMpan12 = '100000000098';
  const mprn = '10000099';
  const commissioned = (id: string, type?: string) => ({
    id,
    ...(type ? { type } : {}),
    status: 'Commissioned',
  });
  const shared = [commissioned(d.ppmid, 'PPMID'), commissioned(d.ihd, 'IHD')];
  const common = {
    meterKind: 'SMETS2',
    cspRegion: 'Central',
    // The premises' address: where the 12.1 sample asks for the WAN matrix.
    postCode: 'M22 0RR',
    addressIdentifier: 'Threapwood Road',
    commsHub: commissioned(d.chf),
    supplier: { party: SAMPLE_USERS.supplier, from: '2024-01-01' },
    networkOperator: { party: SAMPLE_USERS.networkOperator, from: '2020-01-01' },
  };
  const electricity = { mpxn: mpan12 + mpanCheckDigit(mpan12), fuel: 'electricity', ...common };
  const gas = { mpxn: mprn + mprnCheckDigits(mprn), fuel: 'gas', ...common };
  const replaced = { id: d.replacedChf, status: 'Withdrawn' };
  return [
    '# the premises before its comms hub was replaced: the former hub, Withdrawn now (8.12.1 restores its log)',
    JSON.stringify({ ...electricity, commsHub: replaced, exportSupplier: common.supplier }),
    JSON.stringify({ ...gas, commsHub: replaced }),
    '# the DCC Boxed premises of the DUIS samples',
    JSON.stringify({
      mpxn: mpan12 + mpanCheckDigit(mpan12),
      fuel: 'electricity',
      ...common,
      // Single element with auxiliary load control, as DCC's 12.2 sample describes this ESME.
      device: { ...commissioned(d.esme), esmeVariant: 'AD' },
      hanDevices: [...shared, commissioned(d.hcalcs, 'HCALCS'), commissioned(d.hcalcsApc, 'HCALCS')],
      exportSupplier: { party: SAMPLE_USERS.supplier, from: '2024-01-01' },
    }),
    JSON.stringify({
      mpxn: polyMpan12 + mpanCheckDigit(polyMpan12),
      fuel: 'electricity',
      ...common,
      commsHub: commissioned(d.polyPhaseChf),
      device: { ...commissioned(d.polyPhaseEsme), esmeVariant: 'C' },
    }),
    JSON.stringify({
      mpxn: mprn + mprnCheckDigits(mprn),
      fuel: 'gas',
      ...common,
      device: commissioned(d.gsme),
      gpf: commissioned(d.gpf),
      hanDevices: shared,
    }),
  ];
}
