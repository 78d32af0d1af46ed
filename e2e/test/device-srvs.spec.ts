// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { GrpcStatus, requireSrv } from '@dcc/domain';
import {
  ConfigureAlertBehaviour,
  DailyReadSource,
  DeviceLogKind,
  DeviceOutcomeKind,
  EsmeEventLogType,
  HandoverRemotePartyRole,
  PaymentMode,
  SRV_BODIES,
  Smets2OperationsServiceClient,
  SupplyState,
  UserRole,
  type GetFleetStatusResponse,
  type ServiceRequest,
  type ServiceResponse,
  UpdateSecurityCredentials,
} from '@dcc/proto';
import { TEST_ACB_CA, TEST_ACB_KA_CERTIFICATE } from '@dcc/meter';
import { waitFor } from '@dcc/testkit';
import { credentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosBody } from '../src/cos-request.js';
import {
  estateLines,
  HubClient,
  loadEstateFeed,
  PrepaymentCredentials,
  startLocalHub,
  type LocalHub,
} from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00'; // IS, GS, ES
const NETWORK = '90-B3-D5-1F-30-02-00-00'; // ED, GT
const NEW_SUPPLIER = '90-B3-D5-1F-30-04-00-00'; // IS; takes a meter over with 6.23
/** A registered signing key (6.23 installs one of the sender's own: key "3" for SUPPLIER, "9" for NEW_SUPPLIER). */
const signingKey = (keyId: string) => ({
  keyId,
  publicKeyPem: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString(),
});
const USERS = [
  { id: SUPPLIER, roles: ['IS', 'GS', 'ES'], signingKeys: [signingKey('3')] },
  { id: NETWORK, roles: ['ED', 'GT'] },
  { id: NEW_SUPPLIER, roles: ['IS'], signingKeys: [signingKey('9')] },
];
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;

let hub: LocalHub;
/** The suppliers' top-up keys and the meters' KA provisioning, made before the hub: the cases below hold UTRNs. */
const prepayment = new PrepaymentCredentials();
let client: HubClient;
let operations: Smets2OperationsServiceClient;
const received = new Map<string, ServiceResponse>();
let counter = 1_000;

beforeAll(async () => {
  // A tiny idle time: every meter actor passivates (its state saved) between one command and the next.
  hub = await startLocalHub({
    meters: 100,
    env: { ACTOR_IDLE_MS: '20', USERS: JSON.stringify(USERS) },
    prepayment,
  });
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, NETWORK, NEW_SUPPLIER]) {
    client.responses(user, (r) => received.set(r.requestId, r));
  }
  operations = new Smets2OperationsServiceClient(
    `127.0.0.1:${hub.adapter.grpcPort}`,
    credentials.createInsecure(),
  );
});

afterAll(async () => {
  operations.close();
  client.close();
  await hub.stop();
});

type Body = ServiceRequest['body'];

/** Submits one request, expects I99, and resolves with the response the User's stream delivers. */
async function submit(
  srv: string,
  device: string,
  body: Body,
  as: { user: string; role: UserRole } = { user: SUPPLIER, role: UserRole.USER_ROLE_IMPORT_SUPPLIER },
): Promise<ServiceResponse> {
  const request: ServiceRequest = {
    requestId: `${as.user}:${device}:${counter++}`,
    commandVariant: 1,
    serviceReferenceVariant: srv,
    userRole: as.role,
    body,
  };
  const ack = await client.submit(request);
  expect(ack.responseCode).toBe('I99');
  return waitFor(`the response to ${srv}`, () => received.get(request.requestId));
}

const fleetStatus = () =>
  new Promise<GetFleetStatusResponse>((resolve, reject) =>
    operations.getFleetStatus({}, (error, reply) => (error ? reject(error) : resolve(reply!))),
  );

/** Waits until every meter actor has left memory: the next command re-activates from saved state. */
const passivated = () =>
  waitFor('every meter actor passivated', async () => (await fleetStatus()).activeActors === 0);

const utrn = (device: string, block: bigint, pence: number, supplierId = SUPPLIER) =>
  prepayment.utrn({ supplierId, deviceId: device, counter: block << 32n, pence });

const ES = { user: SUPPLIER, role: UserRole.USER_ROLE_EXPORT_SUPPLIER };
const ED = { user: NETWORK, role: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR };
const midnight = (ms: number) => ms - (ms % DAY_MS);

/** An ALCS answer's switches: which the boost button turns on. */
const boostButton = (r: ServiceResponse) =>
  (r.body?.value as { switches: { onBoostButton: boolean }[] }).switches.map((s) => s.onBoostButton);

describe('every available device SRV, end to end (I99, then I0 with its body)', () => {
  const now = Date.now();
  const yesterday = { startMs: midnight(now) - DAY_MS, endMs: midnight(now) };
  const threeDays = { startMs: midnight(now) - 3 * DAY_MS, endMs: midnight(now) };
  const cases: [srv: string, body: Body, check: (r: ServiceResponse) => void, as?: typeof ES][] = [
    [
      '2.2',
      { $case: 'topUpDevice', value: { utrn: utrn(meter(10), 1n, 500) } },
      (r) => expect(r.body).toMatchObject({ value: { creditedPence: '500', meterBalancePence: '500' } }),
    ],
    [
      '3.1',
      { $case: 'displayMessage', value: { message: 'Your tariff changes on Monday' } },
      (r) => expect(r.body).toMatchObject({ value: { meterTimeMs: expect.any(Number) } }),
    ],
    [
      '3.2',
      { $case: 'restrictAccessForChangeOfTenancy', value: { restrictionDateTimeMs: now - DAY_MS } },
      (r) => expect(r.body).toMatchObject({ value: { meterTimeMs: expect.any(Number) } }),
    ],
    [
      '4.1.1',
      undefined,
      (r) =>
        expect(r.body).toMatchObject({
          value: {
            totalActiveImportWh: expect.any(Number),
            touActiveImportWh: [expect.any(Number), expect.any(Number)],
          },
        }),
    ],
    [
      '4.1.2',
      { $case: 'readInstantaneousImportTouMatrices', value: {} },
      (r) =>
        expect(r.body?.$case === 'touMatrices' && r.body.value.rates.map((x) => x.blockWh.length)).toEqual([
          1, 1,
        ]),
    ],
    ['4.2', undefined, (r) => expect(r.body).toMatchObject({ value: { totalActiveExportWh: 0 } }), ES],
    [
      '4.3',
      { $case: 'readInstantaneousPrepayValues', value: {} },
      (r) =>
        expect(r.body).toMatchObject({
          value: { paymentMode: PaymentMode.PAYMENT_MODE_CREDIT, meterBalancePence: '0' },
        }),
    ],
    [
      '4.6.1',
      { $case: 'retrieveImportDailyReadLog', value: { period: threeDays } },
      (r) => {
        expect(r.body).toMatchObject({ value: { source: DailyReadSource.DAILY_READ_SOURCE_DAILY_READ_LOG } });
        expect(r.body?.$case === 'dailyReadLog' && r.body.value.entries.map((e) => e.atMs)).toEqual([
          threeDays.startMs,
          threeDays.startMs + DAY_MS,
          threeDays.startMs + 2 * DAY_MS,
        ]);
      },
    ],
    [
      '4.8.1',
      { $case: 'readActiveImportProfileData', value: { period: yesterday } },
      (r) => {
        expect(r.body).toMatchObject({ value: { firstSlotStartMs: yesterday.startMs, slotMs: 1_800_000 } });
        const values = r.body?.$case === 'importProfile' ? r.body.value.valuesWh : [];
        expect(values).toHaveLength(48);
        expect(values.some((wh) => wh > 0)).toBe(true);
      },
    ],
    [
      '4.8.2',
      { $case: 'readReactiveImportProfileData', value: { period: yesterday } },
      (r) => {
        expect(r.body).toMatchObject({ value: { firstSlotStartMs: yesterday.startMs, slotMs: 1_800_000 } });
        const values = r.body?.$case === 'reactiveImportProfile' ? r.body.value.valuesVarh : [];
        expect(values).toHaveLength(48);
        expect(values.some((varh) => varh > 0)).toBe(true);
      },
    ],
    [
      '4.8.3',
      { $case: 'readExportProfileData', value: { period: yesterday } },
      (r) =>
        expect(r.body?.$case === 'exportProfile' && r.body.value.valuesWh).toEqual(new Array(48).fill(0)),
      ES,
    ],
    [
      '4.10',
      { $case: 'readNetworkData', value: { period: undefined } },
      (r) => {
        const v = r.body?.$case === 'networkData' ? r.body.value : undefined;
        expect(v?.rmsVoltageV).toBeGreaterThan(200);
        expect(v?.rmsVoltageV).toBeLessThan(260);
        expect(v?.voltageEvents).toMatchObject({ sag: 0, swell: 0 });
      },
    ],
    [
      '4.17',
      { $case: 'retrieveDailyConsumptionLog', value: { period: threeDays, kaPublicSecurityCredentials: '' } },
      (r) => {
        const entries = r.body?.$case === 'dailyConsumptionLog' ? r.body.value.entries : [];
        expect(entries.map((e) => e.dayStartMs)).toEqual(
          [0, 1, 2].map((d) => threeDays.startMs + d * DAY_MS),
        );
        expect(entries.every((e) => e.importWh > 0)).toBe(true);
      },
    ],
    ['4.18', undefined, (r) => expect(r.body).toMatchObject({ value: { meterBalancePence: '0' } })],
    // The prepayment reads on a credit-mode meter: its configuration, and empty logs (prepayment-srvs.spec.ts).
    [
      '4.13',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { paymentMode: PaymentMode.PAYMENT_MODE_CREDIT } }),
    ],
    [
      '4.14',
      { $case: 'readPrepaymentDailyReadLog', value: { period: threeDays, kaPublicSecurityCredentials: '' } },
      (r) => expect(r.body).toMatchObject({ value: { entries: [] } }),
    ],
    [
      '4.4.4',
      { $case: 'retrieveBillingDataLogDebtPayments', value: { period: threeDays } },
      (r) => expect(r.body).toMatchObject({ value: { entries: [] } }),
    ],
    [
      '4.4.5',
      { $case: 'retrieveBillingDataLogPrepaymentCredits', value: { period: threeDays } },
      (r) => expect(r.body).toMatchObject({ value: { entries: [] } }),
    ],
    ['4.15', undefined, (r) => expect(r.body).toMatchObject({ value: { counter: 0 } })],
    ['6.4.2', undefined, (r) => expect(r.body).toMatchObject({ value: { counter: 0 } })],
    [
      '6.2.1',
      undefined,
      // A meter no 6.5 has reached answers its defaults.
      (r) => expect(r.body).toMatchObject({ value: { sagV: 216, swellV: 253, averagePeriodS: 30 } }),
    ],
    [
      '6.2.2',
      undefined,
      // No 7.12 yet: no randomised offset on any of the ESME's five load switches.
      (r) =>
        expect(r.body).toMatchObject({
          $case: 'randomisationConfiguration',
          value: {
            randomisedOffsetLimitS: 0,
            switchOffsets: [1, 2, 3, 4, 5].map((switchIndex) => ({ switchIndex, randomisedOffsetS: 0 })),
          },
        }),
    ],
    [
      '6.2.4',
      undefined,
      (r) =>
        expect(r.body).toMatchObject({
          value: {
            deviceType: 'ESME',
            firmwareVersion: '02010000',
            supply: SupplyState.SUPPLY_STATE_ENABLED,
          },
        }),
    ],
    [
      '6.2.9',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { paymentMode: PaymentMode.PAYMENT_MODE_CREDIT } }),
    ],
    ['6.2.10', undefined, (r) => expect(r.body).toMatchObject({ value: { disabledAlertCodes: [] } })],
    ['3.5', undefined, (r) => expect(r.body).toMatchObject({ value: { meterTimeMs: expect.any(Number) } })],
    // A meter no DUIS-form 1.1.1 has reached: no tariff to read back, the default tariff's two TOU registers.
    [
      '4.11.1',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { tariff: undefined, effectiveFromMs: 0 } }),
    ],
    [
      '4.11.2',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { switchingTable: undefined, specialDays: [] } }),
    ],
    [
      '4.1.3',
      undefined,
      (r) =>
        expect(r.body).toMatchObject({
          value: {
            touRegistersWh: [expect.any(Number), expect.any(Number)],
            blockCounters: Array(8).fill({ counters: [0, 0, 0, 0] }),
          },
        }),
    ],
    ['6.2.7', undefined, (r) => expect(r.body).toMatchObject({ value: { importMpan: '', exportMpan: '' } })],
    [
      '6.20.1',
      {
        $case: 'setDeviceConfigurationImportMpxn',
        value: { importMpan: '1312345678111', secondaryImportMpan: '1312345678222', importMprn: '' },
      },
      (r) =>
        expect(r.body).toMatchObject({
          value: { importMpan: '1312345678111', secondaryImportMpan: '1312345678222', importMprn: '' },
        }),
    ],
    [
      '6.20.2',
      { $case: 'setDeviceConfigurationExportMpan', value: { exportMpan: '1312345678333' } },
      (r) => expect(r.body).toMatchObject({ value: { exportMpan: '1312345678333' } }),
      ES,
    ],
    [
      '3.4',
      {
        $case: 'updateSupplierName',
        value: { supplierName: 'E-ON', supplierTelephoneNumber: '0333 202 4650' },
      },
      (r) => expect(r.body).toMatchObject({ value: { meterTimeMs: expect.any(Number) } }),
    ],
    [
      '6.5',
      {
        $case: 'updateDeviceConfigurationVoltage',
        value: { sagV: 210, swellV: 250, polyPhaseVoltageSettings: [] },
      },
      (r) => expect(r.body?.$case).toBe('voltageConfigurationUpdated'),
      ED,
    ],
    [
      '6.22',
      {
        $case: 'configureAlertBehaviour',
        value: ConfigureAlertBehaviour.fromPartial({ enableAlertCodes: [], disableAlertCodes: ['810D'] }),
      },
      (r) => expect(r.body).toMatchObject({ value: { disabledAlertCodes: ['810D'] } }),
    ],
    [
      '6.23',
      {
        // The supplier's own certificates are added when it is sent (withOwnCertificates).
        $case: 'updateSecurityCredentials',
        value: UpdateSecurityCredentials.fromPartial({
          supplierId: SUPPLIER,
          signingKeyId: '3',
          topUpFloor: (7n << 32n).toString(),
        }),
      },
      (r) =>
        expect(r.body).toMatchObject({
          value: {
            supplierId: SUPPLIER,
            signingKeyId: '3',
            topUpFloor: (7n << 32n).toString(),
          },
        }),
    ],
    [
      '7.4',
      { $case: 'readSupplyStatus', value: {} },
      (r) => expect(r.body).toMatchObject({ value: { supply: SupplyState.SUPPLY_STATE_ENABLED } }),
    ],
    [
      '11.2',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { version: '02010000', pendingImageVersion: '' } }),
    ],
    // Auxiliary load control on an ESME: five switches and five controllers, all off until told otherwise.
    [
      '7.7',
      undefined,
      (r) => {
        expect(r.body).toMatchObject({ value: { randomisedOffsetLimitS: 0, schedules: [] } });
        expect((r.body?.value as { switches: unknown[] }).switches).toHaveLength(5);
      },
    ],
    [
      '7.9',
      { $case: 'addAuxiliaryLoadToBoostButton', value: { switches: [{ switchIndex: 2, selected: true }] } },
      (r) => expect(boostButton(r)).toEqual([false, true, false, false, false]),
    ],
    [
      '7.10',
      {
        $case: 'removeAuxiliaryLoadFromBoostButton',
        value: { switches: [{ switchIndex: 2, selected: true }] },
      },
      (r) => expect(boostButton(r)).toEqual([false, false, false, false, false]),
    ],
    [
      '7.11',
      { $case: 'readBoostButtonDetails', value: { period: threeDays } },
      (r) => expect(r.body).toMatchObject({ value: { switchIndexes: [], period: threeDays } }),
    ],
    [
      '7.14',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { schedules: [], specialDays: [], descriptions: [] } }),
    ],
    [
      '7.15',
      undefined,
      (r) =>
        expect(
          (r.body?.value as { controllers: { currentLevel: number }[] }).controllers.map(
            (c) => c.currentLevel,
          ),
        ).toEqual([0, 0, 0, 0, 0]),
    ],
    [
      '6.13',
      {
        $case: 'readEventOrSecurityLog',
        value: { period: threeDays, log: DeviceLogKind.DEVICE_LOG_KIND_POWER_EVENT },
      },
      (r) =>
        expect(r.body).toMatchObject({
          value: { log: DeviceLogKind.DEVICE_LOG_KIND_POWER_EVENT, entries: [] },
        }),
    ],
    [
      '3.3',
      { $case: 'clearEventLog', value: { esmeLog: EsmeEventLogType.ESME_EVENT_LOG_TYPE_ESME } },
      (r) => expect(r.body).toMatchObject({ value: { meterTimeMs: expect.any(Number) } }),
    ],
    [
      '4.16',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { activePowerImportW: expect.any(Number) } }),
      ED,
    ],
    [
      '4.12.1',
      undefined,
      (r) =>
        expect(r.body).toMatchObject({
          value: {
            activePowerImport: { powerW: expect.any(Number) },
            configurableTimeActivePowerImport: { powerW: 0 },
          },
        }),
    ],
    [
      '4.12.2',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { activePowerExport: { powerW: expect.any(Number) } } }),
      ED,
    ],
    [
      '6.18.1',
      { $case: 'setMaximumDemandConfigurableTimePeriod', value: { startTimeS: 61_200, endTimeS: 79_200 } },
      (r) => expect(r.body).toMatchObject({ value: { startTimeS: 61_200, endTimeS: 79_200 } }),
      ED,
    ],
    [
      '6.18.2',
      {
        $case: 'resetMaximumDemandRegisters',
        value: {
          activePowerImport: true,
          activePowerExport: false,
          configurableTimeActivePowerImport: false,
        },
      },
      (r) => expect(r.body).toMatchObject({ value: { activePowerImport: { powerW: 0, atMs: 0 } } }),
      ED,
    ],
    [
      '6.12',
      {
        $case: 'updateDeviceConfigurationInstantaneousPowerThreshold',
        value: { lowMediumPowerThresholdW: 2_300, mediumHighPowerThresholdW: 4_600 },
      },
      (r) =>
        expect(r.body).toMatchObject({
          value: { lowMediumPowerThresholdW: 2_300, mediumHighPowerThresholdW: 4_600 },
        }),
    ],
    [
      '6.2.5',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { lowMediumPowerThresholdW: expect.any(Number) } }),
    ],
    [
      '6.27',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { meterTimeMs: expect.any(Number) } }),
      ED,
    ],
    [
      '6.2.3',
      undefined,
      (r) => expect(r.body).toMatchObject({ value: { electricity: undefined, gas: undefined } }),
    ],
    [
      '4.4.3',
      { $case: 'retrieveBillingCalendarTriggeredBillingDataLog', value: { period: threeDays } },
      (r) => expect(r.body).toMatchObject({ value: { entries: [] } }),
    ],
    [
      '4.4.2',
      { $case: 'retrieveCoMOrTariffTriggeredBillingDataLog', value: { period: threeDays } },
      (r) => expect(r.body).toMatchObject({ value: { entries: [] } }),
    ],
    [
      '4.6.2',
      { $case: 'retrieveExportDailyReadLog', value: { period: threeDays } },
      (r) => expect(r.body).toMatchObject({ value: { entries: expect.any(Array) } }),
      ES,
    ],
    // HAN joins on the meter (their inventory links: han-inventory-links.spec.ts).
    [
      '8.7.2',
      { $case: 'joinServiceNonCritical', value: { otherDeviceId: '00-DB-12-34-56-78-90-9A' } },
      (r) =>
        expect(r.body).toMatchObject({
          value: { joinedDeviceIds: ['00-DB-12-34-56-78-90-9A'], changed: true },
        }),
    ],
    [
      '8.8.2',
      { $case: 'unjoinServiceNonCritical', value: { otherDeviceId: '00-DB-12-34-56-78-90-9A' } },
      (r) => expect(r.body).toMatchObject({ value: { joinedDeviceIds: [], changed: false } }),
    ],
    ['8.9', undefined, (r) => expect(r.body).toMatchObject({ value: { entries: [] } })],
    [
      '6.24.1',
      { $case: 'retrieveDeviceSecurityCredentialsKrp', value: { remotePartyRoles: [3] } },
      // The supplier's trust anchor as the meter holds it.
      (r) => expect(r.body).toMatchObject({ $case: 'remotePartyCredentials', value: { parties: [{}] } }),
    ],
    [
      '8.5',
      {
        $case: 'serviceOptOut',
        value: {
          acbFloorSeqNumber: '0',
          replacementKeyAgreementCertificate: Buffer.from(TEST_ACB_KA_CERTIFICATE, 'base64'),
          certificationPathCertificates: [Buffer.from(TEST_ACB_CA, 'base64')],
          applyTimeBasedCpvChecks: true,
        },
      },
      // The device now trusts the replacement broker (service-opt-out.spec.ts follows it through the inventory).
      (r) =>
        expect(r.body).toMatchObject({
          $case: 'serviceOptedOut',
          value: {
            acbFloorSeqNumber: '0',
            acbCertificateSha256: createHash('sha256')
              .update(Buffer.from(TEST_ACB_KA_CERTIFICATE, 'base64'))
              .digest('hex'),
          },
        }),
    ],
    [
      '6.21',
      {
        $case: 'requestHandoverOfDccControlledDevice',
        value: {
          remotePartyRole: HandoverRemotePartyRole.HANDOVER_REMOTE_PARTY_ROLE_NETWORK_OPERATOR,
          remotePartyFloorSeqNumber: '9',
          remotePartyPrepaymentTopUpFloorSeqNumber: '',
          replacementDigitalSigningCertificate: Buffer.from(TEST_ACB_KA_CERTIFICATE, 'base64'),
          replacementKeyAgreementCertificate: Buffer.from(TEST_ACB_KA_CERTIFICATE, 'base64'),
          replacementKeyAgreementTopUpCertificate: Buffer.alloc(0),
          certificationPathCertificates: [Buffer.from(TEST_ACB_CA, 'base64')],
          applyTimeBasedCpvChecks: true,
        },
      },
      // The network operator's trust anchors on the ESME now belong to a party outside the DCC
      // (device-handover.spec.ts: what the device refuses after).
      (r) =>
        expect(r.body).toMatchObject({
          $case: 'deviceHandedOver',
          value: {
            remotePartyRole: HandoverRemotePartyRole.HANDOVER_REMOTE_PARTY_ROLE_NETWORK_OPERATOR,
            remotePartyFloorSeqNumber: '9',
            keyAgreementTopUpCertificateSha256: '',
          },
        }),
    ],
  ];
  /** SRVs an ESME does not take (8.11, 8.12.x and 6.28-6.32, the CHF's and GPF's) or only an Other User sends (9.1): elsewhere. */
  const forSuppliersOfAnEsme = (srv: string) => {
    const { deviceTypes, roles } = requireSrv(srv);
    return deviceTypes.includes('ESME') && roles.some((role) => role !== 'OU');
  };

  it('covers every non-critical SRV the hub makes available for an ESME (critical ones: critical-commands.spec.ts; the CHF’s and 9.1: duis-templates.spec.ts)', () => {
    const nonCritical = Object.keys(SRV_BODIES).filter(
      (srv) => !requireSrv(srv).critical && forSuppliersOfAnEsme(srv),
    );
    expect(cases.map(([srv]) => srv).sort()).toEqual(nonCritical.sort());
  });

  it.each(cases.map((c, i) => [c[0], i, c] as const))('%s', async (srv, i, [, body, check, as]) => {
    // One meter per case, 10 to 79 (the tests below use 80 and up): a case must not see another's state.
    expect(10 + i).toBeLessThan(80);
    const response = await submit(srv, meter(10 + i), await withOwnCertificates(body, 10 + i), as);
    expect(response, response.detail).toMatchObject({
      responseCode: 'I0',
      statusCode: GrpcStatus.OK,
      serviceReferenceVariant: srv,
      deviceOutcome: { kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_EXECUTED },
    });
    expect(response.body?.$case).toBe(SRV_BODIES[srv]!.response);
    check(response);
  });
});

/** A 6.23 body completed with the supplier's own certificates for meter i's point; other bodies unchanged. */
async function withOwnCertificates(body: ServiceRequest['body'], i: number): Promise<ServiceRequest['body']> {
  if (body?.$case !== 'updateSecurityCredentials') return body;
  const { supplierId, signingKeyId, topUpFloor } = body.value;
  const mpxn = String((JSON.parse(estateLines(100)[i]!) as { mpxn: string }).mpxn);
  const signingKeyPem = USERS[0]!.signingKeys![0]!.publicKeyPem;
  return cosBody(
    hub.prepayment,
    { supplierId, signingKeyPem, mpxn },
    { supplierId, signingKeyId, topUpFloor },
  );
}

describe('device behaviour through the hub, across passivation', () => {
  it('a top-up with a valid UTRN, then the same UTRN again: the device refuses it with alert 8F51', async () => {
    const device = meter(80);
    const code = utrn(device, 1n, 1_250);
    const first = await submit('2.2', device, { $case: 'topUpDevice', value: { utrn: code } });
    expect(first).toMatchObject({ responseCode: 'I0', body: { value: { creditedPence: '1250' } } });
    await passivated();

    const second = await submit('2.2', device, { $case: 'topUpDevice', value: { utrn: code } });
    expect(second).toMatchObject({
      responseCode: '',
      statusCode: GrpcStatus.FAILED_PRECONDITION,
      deviceOutcome: {
        kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_REJECTED,
        rejectionReason: 'UTRN_DUPLICATE',
      },
      body: undefined,
    });
    expect(second.detail).toMatch(/already used/);
    expect(second.alerts).toEqual([expect.objectContaining({ code: '8F51' })]);
    await passivated();

    const balance = await submit('4.18', device, undefined);
    expect(balance.body).toMatchObject({ value: { meterBalancePence: '1250' } });
  });

  it('7.9 then 7.10 on one ESME: the boost button keeps what each set, and 7.11 reads it back', async () => {
    const device = meter(85);
    const select = (switchIndex: number) => ({ switchIndex, selected: true });
    const add = { switches: [select(1), select(4), select(5)] };
    await submit('7.9', device, { $case: 'addAuxiliaryLoadToBoostButton', value: add });
    await passivated();
    const removed = await submit('7.10', device, {
      $case: 'removeAuxiliaryLoadFromBoostButton',
      value: { switches: [select(4)] },
    });
    expect(boostButton(removed)).toEqual([true, false, false, false, true]);
    await passivated();
    const period = { startMs: Date.now() - DAY_MS, endMs: Date.now() };
    const details = await submit('7.11', device, { $case: 'readBoostButtonDetails', value: { period } });
    expect(details.body).toMatchObject({ value: { switchIndexes: [1, 5] } });
  });

  it('3.2 restricts access: a later 4.8.1 hides the data from before the restriction', async () => {
    const device = meter(81);
    const day = { startMs: midnight(Date.now()) - 2 * DAY_MS, endMs: midnight(Date.now()) - DAY_MS };
    const read = () =>
      submit('4.8.1', device, { $case: 'readActiveImportProfileData', value: { period: day } });

    const before = await read();
    expect(before.body).toMatchObject({ value: { firstSlotStartMs: day.startMs } });
    const all = before.body?.$case === 'importProfile' ? before.body.value.valuesWh : [];
    expect(all).toHaveLength(48);
    await passivated();

    const restriction = day.startMs + 12 * HOUR_MS;
    const restricted = await submit('3.2', device, {
      $case: 'restrictAccessForChangeOfTenancy',
      value: { restrictionDateTimeMs: restriction },
    });
    expect(restricted.responseCode).toBe('I0');
    await passivated();

    const after = await read();
    expect(after.body).toMatchObject({ value: { firstSlotStartMs: restriction } });
    const visible = after.body?.$case === 'importProfile' ? after.body.value.valuesWh : [];
    expect(visible).toEqual(all.slice(24));
  });

  it('6.23 replaces the trusted supplier and its top-up floor: UTRNs at or below the floor are refused', async () => {
    const device = meter(82);
    // Registration records the change of supplier (a feed line naming the new supplier from today); then the
    // gaining supplier sends 6.23 and the hub's CoS party installs its own credentials.
    const line = JSON.parse(estateLines(100)[82]!) as Record<string, unknown>;
    line.supplier = { party: NEW_SUPPLIER, from: new Date().toISOString().slice(0, 10) };
    await loadEstateFeed(`127.0.0.1:${hub.registration!.grpcPort}`, [JSON.stringify(line)]);
    const asNew = { user: NEW_SUPPLIER, role: UserRole.USER_ROLE_IMPORT_SUPPLIER };
    const cos = await submit(
      '6.23',
      device,
      await cosBody(
        hub.prepayment,
        {
          supplierId: NEW_SUPPLIER,
          signingKeyPem: USERS[2]!.signingKeys![0]!.publicKeyPem,
          mpxn: String(line.mpxn),
        },
        { topUpFloor: (5n << 32n).toString() },
      ),
      asNew,
    );
    expect(cos).toMatchObject({
      responseCode: 'I0',
      body: { value: { topUpFloor: (5n << 32n).toString() } },
    });
    await passivated();

    // The new supplier's UTRN with a counter below its floor: a duplicate to the device.
    const below = await submit(
      '2.2',
      device,
      {
        $case: 'topUpDevice',
        value: { utrn: utrn(device, 3n, 400, NEW_SUPPLIER) },
      },
      asNew,
    );
    expect(below.deviceOutcome?.rejectionReason).toBe('UTRN_DUPLICATE');
    expect(below.alerts.map((a) => a.code)).toEqual(['8F51']);

    // The old supplier's UTRN is no longer authentic.
    const old = await submit(
      '2.2',
      device,
      { $case: 'topUpDevice', value: { utrn: utrn(device, 6n, 400) } },
      asNew,
    );
    expect(old.deviceOutcome?.rejectionReason).toBe('UTRN_NOT_AUTHENTIC');
    expect(old.alerts.map((a) => a.code)).toEqual(['8F63']);
    await passivated();

    // Above the floor, from the new supplier: credited.
    const above = await submit(
      '2.2',
      device,
      {
        $case: 'topUpDevice',
        value: { utrn: utrn(device, 6n, 400, NEW_SUPPLIER) },
      },
      asNew,
    );
    expect(above).toMatchObject({
      responseCode: 'I0',
      body: { value: { creditedPence: '400', counter: (6n << 32n).toString() } },
    });
  });

  it('6.22 and 6.5 settings survive passivation; a stale RequestID counter is refused', async () => {
    const device = meter(83);
    await submit('6.22', device, {
      $case: 'configureAlertBehaviour',
      value: ConfigureAlertBehaviour.fromPartial({
        enableAlertCodes: [],
        disableAlertCodes: ['810D', '8119'],
      }),
    });
    await passivated();
    const more = await submit('6.22', device, {
      $case: 'configureAlertBehaviour',
      value: ConfigureAlertBehaviour.fromPartial({ enableAlertCodes: ['8119'], disableAlertCodes: [] }),
    });
    expect(more.body).toMatchObject({ value: { disabledAlertCodes: ['810D'] } });
    await passivated();

    // A counter below one already accepted from this originator for this meter is refused by the hub before it
    // is stored; the meter's own persisted high-water mark (which catches what the hub's cache has forgotten) is
    // tested across passivation in libs/meter-delivery/src/device-turn.spec.ts.
    const request: ServiceRequest = {
      requestId: `${SUPPLIER}:${device}:${counter - 5}`,
      commandVariant: 1,
      serviceReferenceVariant: '7.4',
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body: undefined,
    };
    await expect(client.submit(request)).rejects.toMatchObject({ status: GrpcStatus.ALREADY_EXISTS });
  });

  it('refuses bad bodies at the gateway with INVALID_ARGUMENT', async () => {
    const refusal = (srv: string, body: Body) =>
      client
        .submit({
          requestId: `${SUPPLIER}:${meter(84)}:${counter++}`,
          commandVariant: 1,
          serviceReferenceVariant: srv,
          userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
          body,
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
    expect(await refusal('4.8.1', undefined)).toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT });
    expect(await refusal('2.2', { $case: 'readMeterBalance', value: {} })).toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
    });
  });
});
