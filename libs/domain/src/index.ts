export { credentialSwapPayload, type CredentialSwap } from './credential-swap.js';
export {
  certificationRequestPayload,
  CREDENTIAL_TYPES,
  REMOTE_PARTY_ROLES,
  subjectKeyIdentifier,
  type CredentialType,
  type RemotePartyRole,
} from './security-credentials.js';
export { kaPublicKeyText, normaliseKaPublicKey, parseKaPublicKey } from './ka-public-key.js';
export { DccError } from './dcc-error.js';
export { bounded, MAX_ECHO_CHARS, MAX_MESSAGE_CHARS } from './bounded-text.js';
export { DEVICE_TYPES, type DeviceType, type SmetsGeneration } from './device-type.js';
export { ESME_VARIANTS, isEsmeVariant, isPolyPhase, type EsmeVariant } from './esme-variant.js';
export { eui64FromBigInt, eui64ToBigInt, isEui64, parseEui64, type Eui64 } from './eui64.js';
export { GrpcStatus, type GrpcStatusCode } from './grpc-status.js';
export {
  decodeUtrn,
  encodeUtrn,
  PPTD_OFFSET,
  UTRN_DIGITS,
  UTRN_MAX_VALUE,
  utrnHighWord,
  type UtrnCredit,
  type UtrnFields,
  type UtrnValueClass,
} from './utrn-format.js';
export { buildUtrn, utrnAuthenticator, type UtrnAuthenticator, type UtrnIssue } from './utrn-tag.js';
export { gbcsCheckDigit, gbcsCheckDigitValid } from './gbcs-check-digit.js';
export {
  isValidMpanCore,
  isValidMprn,
  mpanCheckDigit,
  mprnCheckDigits,
  parseMpan,
  parseMprn,
  type MpanCore,
  type Mprn,
  type MpxnParseOptions,
} from './mpxn.js';
export { formatRequestId, parseRequestId, responseIdFor, type RequestId } from './request-id.js';
export {
  GBCS_CRA_RESPONSE,
  readGbcsResponseHeader,
  type GbcsResponseHeader,
} from './gbcs-response-header.js';
export { isSuccessCode, RESPONSE_CODES, statusForResponseCode, type ResponseCode } from './response-code.js';
export {
  ALERT_CHANNEL_LISTS,
  ALERT_CHANNELS,
  ALERT_CODE_PATTERN,
  isConfigurableAlert,
  type AlertChannel,
} from './alert-codes.js';
export { allSrvs, findSrv, isRoleEligible, requireSrv } from './srv/srv-catalogue.js';
export { BODY_LIMITS, firstViolation, type BodyFields, type BodyRule } from './srv/body-rules.js';
export { prenotificationRules } from './srv/prenotification-rules.js';
export { flowRateTenThousandths, GAS_LIMITS, positiveDecimal } from './srv/gas-body-rules.js';
export { LOAD_LIMIT_PERIOD_S, LOAD_LIMIT_SUPPLY_STATES } from './srv/load-limit-rules.js';
export { DEVICE_LOG_KINDS, LOG_AND_DEMAND_LIMITS } from './srv/log-and-demand-rules.js';
export { billingCalendarRule, LAST_BILLING_DAY, PERIODICITY_MONTHS } from './srv/billing-calendar-rules.js';
export { debtRecoveryPencePerDay, DEBT_RECOVERY_PERIODS } from './srv/debt-recovery-rate.js';
export { prepayCalendarRule, PREPAY_CONFIG_FUELS } from './srv/non-disablement-calendar.js';
export { AUX_LOAD_LIMITS } from './srv/aux-load-rules.js';
export {
  priceElementsProblem,
  secondaryPricesProblem,
  tariffPrimaryProblem,
  tariffSecondaryRule,
} from './srv/tariff-body-rules.js';
export { switchingProblem, TARIFF_LIMITS } from './srv/tariff-switching-rules.js';
export { blockSwitch, esmeHybridTariff, gsmeBlockTariff, touSwitch } from './srv/tariff-examples.js';
export {
  dispatchesOverWan,
  isLocalDelivery,
  LOCAL_DELIVERY_VARIANTS,
  NON_DEVICE_VARIANT,
  SIGNED_VARIANTS,
  TRANSFORM_VARIANT,
} from './srv/command-variants.js';
export {
  availableCommandVariants,
  checkRequestBody,
  deviceHandlerOf,
  routedOwnerOf,
  srvEntry,
  supportedSrvs,
  type RequestBody,
} from './srv/srv-support.js';
export {
  SRV_TABLE,
  type NonDeviceOwner,
  type SrvRequestBodyCase,
  type SrvResponseBodyCase,
  type SrvTableEntry,
  type SupportedSrv,
} from './srv/srv-table.js';
export type { CommandVariant, FutureDatedPattern, SrvDefinition } from './srv/srv-definition.js';
export {
  isUserRoleCode,
  NETWORK_OPERATOR_ROLES,
  SUPPLIER_ROLES,
  USER_ROLES,
  type UserRoleCode,
} from './user-role.js';
export { fnv1a32, partitionOf } from './partition.js';
export {
  ALERT_DISPATCH_TABLE,
  deviceAlertRecipients,
  type AlertDispatchRule,
  type AlertRecipient,
} from './alert-dispatch.js';
export {
  ON_DEMAND_TRT_MS,
  performanceMeasureOf,
  withinOnDemandTrt,
  withinTrt,
  type CodePerformanceMeasure,
} from './target-response-time.js';
export { calendarMonthOf, parseCalendarMonth, type CalendarMonth } from './calendar-month.js';
export {
  DAY_MS,
  isSchedulableNow,
  mayScheduleAs,
  readPeriodOf,
  runBody,
  runCounter,
  runDayMs,
  runDueMs,
  SCHEDULE_FREQUENCIES,
  SCHEDULED_TRT_MS,
  type ScheduleFrequencyName,
  type ScheduleTiming,
} from './schedule/schedule-calendar.js';
export { MAX_OFFSET_DAYS, SCHEDULE_ID_PATTERN } from './schedule/schedule-body-rules.js';
export {
  checkExecutionTime,
  FUTURE_DATED_MAX_AHEAD_MS,
  FUTURE_DATED_TRT_MS,
  isDspFutureDatable,
  missedTrt,
} from './future-dated/execution-time.js';
export {
  FIRMWARE_LIMITS,
  imageHashOf,
  OTA_FILE_IDENTIFIER,
  otaImageFacts,
  otaImageProblem,
  type OtaImageFacts,
} from './firmware/ota-image.js';
