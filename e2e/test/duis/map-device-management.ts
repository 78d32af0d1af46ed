import { UpdateSecurityCredentials } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { alertBehaviour } from './map-alert-behaviour.js';
import { dateTimeMs, empty, executionDateTime, type RequestBody, type SampleMapper } from './map-common.js';

const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));

/** Two DUIS periods the API holds as one: the second is carried over only when it equals the first. */
function sharedPeriod(settings: BodyReader, a: string, b: string): number | undefined {
  const first = settings.optionalText(a);
  // A differing second period stays unread (the API cannot hold both), so the sample counts as dropping it.
  if (first === undefined || settings.peekText(b) === first) return number(settings.optionalText(b) ?? first);
  return number(first);
}

/**
 * 6.5: the RMS settings, the single-phase averages or a poly-phase ESME's per-phase ones, and
 * RMSVoltageCountersNotReset.
 */
function voltage(body: BodyReader): RequestBody {
  const rms = body.optionalChild('RMSVoltageSettings');
  const single = body.optionalChild('SinglePhaseVoltageSettings');
  const value: Record<string, number | undefined> = {};
  if (rms) {
    value['extremeOverV'] = number(rms.optionalText('RMSExtremeOverVoltageThreshold'));
    value['extremeUnderV'] = number(rms.optionalText('RMSExtremeUnderVoltageThreshold'));
    value['sagV'] = number(rms.optionalText('RMSVoltageSagThreshold'));
    value['swellV'] = number(rms.optionalText('RMSVoltageSwellThreshold'));
    value['extremePeriodS'] = sharedPeriod(
      rms,
      'RMSExtremeOverVoltageMeasurementPeriod',
      'RMSExtremeUnderVoltageMeasurementPeriod',
    );
    value['sagSwellPeriodS'] = sharedPeriod(
      rms,
      'RMSVoltageSagMeasurementPeriod',
      'RMSVoltageSwellMeasurementPeriod',
    );
  }
  if (single) {
    value['averageOverV'] = number(single.optionalText('AverageRMSOverVoltageThreshold'));
    value['averageUnderV'] = number(single.optionalText('AverageRMSUnderVoltageThreshold'));
    value['averagePeriodS'] = number(single.optionalText('AverageRMSVoltageMeasurementPeriod'));
  }
  const defined = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  const polyPhaseVoltageSettings = body.children('PolyPhaseVoltageSettings').map((phase) => {
    const settings = phase.child('PhaseVoltageSettings');
    return {
      phase: Number(phase.text('Phase')),
      averageOverV: Number(settings.text('AverageRMSOverVoltageThreshold')),
      averageUnderV: Number(settings.text('AverageRMSUnderVoltageThreshold')),
      averagePeriodS: Number(settings.text('AverageRMSVoltageMeasurementPeriod')),
    };
  });
  const keep = body.flag('RMSVoltageCountersNotReset') ? { rmsVoltageCountersNotReset: true } : {};
  return {
    $case: 'updateDeviceConfigurationVoltage',
    value: { ...defined, ...keep, polyPhaseVoltageSettings },
  };
}

/** 6.11 and 8.1.1: the date-time to set and its TolerancePeriod (DUIS seconds, as on the API). */
const clock =
  <C extends string>($case: C): SampleMapper =>
  (body) =>
    ({
      $case,
      value: {
        dateTimeMs: dateTimeMs(body.text('CurrentDateTime')),
        tolerancePeriodS: Number(body.text('TolerancePeriod')),
      },
    }) as RequestBody;

/** 3.x messages and tenancy, 6.x device configuration, 8.1.1 commissioning and 11.x firmware on the device. */
export const DEVICE_MANAGEMENT_MAPPERS: Record<string, SampleMapper> = {
  '3.1': (body) => ({ $case: 'displayMessage', value: { message: body.text('SupplierMessage') } }),
  '3.4': (body) => ({
    $case: 'updateSupplierName',
    value: {
      supplierName: body.text('SupplierName'),
      supplierTelephoneNumber: body.text('SupplierTelephoneNumber'),
    },
  }),
  '3.5': empty('disablePrivacyPin'),
  '3.2': (body) => ({
    $case: 'restrictAccessForChangeOfTenancy',
    value: { restrictionDateTimeMs: dateTimeMs(body.text('RestrictionDateTime')) },
  }),
  // The threshold only: period, restoration period and supply state have no place on the API.
  '6.2.1': empty('readDeviceConfigurationVoltage'),
  '6.2.2': empty('readDeviceConfigurationRandomisation'),
  '6.2.4': empty('readDeviceConfigurationIdentityExcMpxn'),
  '6.2.9': empty('readDeviceConfigurationPaymentMode'),
  '6.2.10': empty('readDeviceConfigurationEventAndAlertBehaviours'),
  '6.2.7': empty('readDeviceConfigurationMpxn'),
  // ImportMPANs (ImportMPAN, SecondaryImportMPAN) for an ESME, ImportMPRN for a GSME.
  '6.20.1': (body) => {
    const mpans = body.optionalChild('ImportMPANs');
    return {
      $case: 'setDeviceConfigurationImportMpxn',
      value: {
        importMpan: mpans?.text('ImportMPAN') ?? '',
        secondaryImportMpan: mpans?.optionalText('SecondaryImportMPAN') ?? '',
        importMprn: body.optionalText('ImportMPRN') ?? '',
      },
    };
  },
  '6.20.2': (body) => ({
    $case: 'setDeviceConfigurationExportMpan',
    value: { exportMpan: body.text('ExportMPAN') },
  }),
  '6.4.2': empty('updateDeviceConfigurationLoadLimitingCounterReset'),
  '6.5': voltage,
  '6.11': clock('synchroniseClock'),
  '6.22': alertBehaviour,
  // Every field: the hub checks the certificates against the sender's registered credentials (sender-certificates.ts).
  '6.23': (body) => {
    const certificates = body.child('SupplierReplacementCertificates');
    const der = (reader: BodyReader, name: string) => Buffer.from(reader.text(name), 'base64');
    return {
      $case: 'updateSecurityCredentials',
      value: UpdateSecurityCredentials.fromPartial({
        ...executionDateTime(body),
        supplierFloorSeqNumber: body.text('SupplierFloorSeqNumber'),
        topUpFloor: body.text('SupplierPrepaymentTopUpFloorSeqNumber'),
        digitalSigningCertificate: der(certificates, 'DigitalSigningCertificate'),
        keyAgreementCertificate: der(certificates, 'KeyAgreementCertificate'),
        keyAgreementTopUpCertificate: der(certificates, 'KeyAgreementTopUpCertificate'),
        certificationPathCertificates: body
          .child('CertificationPathCertificates')
          .children('Certificate')
          .map((c) => Buffer.from(c.value(), 'base64')),
        applyTimeBasedCpvChecks: flagText(body, 'ApplyTimeBasedCPVChecks'),
        importMpxn: body.text('ImportMPxN'),
      }),
    };
  },
  '8.1.1': clock('commissionDevice'),
  '11.2': empty('readFirmwareVersion'),
  '11.3': (body) => ({
    $case: 'activateFirmware',
    value: { ...executionDateTime(body), imageHash: body.text('FirmwareHash') },
  }),
};

/** A DUIS xs:boolean element ("true" / "false"). */
export function flagText(body: BodyReader, name: string): boolean {
  const text = body.text(name);
  if (text !== 'true' && text !== 'false') throw new Unexpressible(`${name} "${text}" is not a boolean`);
  return text === 'true';
}
