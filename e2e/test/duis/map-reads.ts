import type { BodyReader } from './body-reader.js';
import { empty, readLogPeriod, type RequestBody, type SampleMapper } from './map-common.js';

const logRead =
  <C extends string>($case: C): SampleMapper =>
  (body: BodyReader) =>
    ({ $case, value: { period: readLogPeriod(body) } }) as RequestBody;

/** 4.x reads: instantaneous registers, balances and the log reads over a ReadLogPeriod. */
export const READ_MAPPERS: Record<string, SampleMapper> = {
  '4.1.1': empty('readInstantaneousImportRegisters'),
  '4.1.2': empty('readInstantaneousImportTouMatrices'),
  '4.2': empty('readInstantaneousExportRegisters'),
  '4.3': empty('readInstantaneousPrepayValues'),
  '4.6.1': logRead('retrieveImportDailyReadLog'),
  '4.6.2': logRead('retrieveExportDailyReadLog'),
  '4.8.1': logRead('readActiveImportProfileData'),
  '4.8.2': logRead('readReactiveImportProfileData'),
  '4.8.3': logRead('readExportProfileData'),
  // The period of the average RMS voltage profile.
  '4.10': logRead('readNetworkData'),
  '4.15': empty('readLoadLimitData'),
  // A gas meter's read may carry the requester's KA key (GCS61).
  '4.17': (body) => ({
    $case: 'retrieveDailyConsumptionLog',
    value: {
      period: readLogPeriod(body),
      kaPublicSecurityCredentials: body.optionalText('KAPublicSecurityCredentials') ?? '',
    },
  }),
  '4.18': empty('readMeterBalance'),
};
