import type { DeviceType } from '../device-type.js';
import type { UserRoleCode } from '../user-role.js';
import type { CommandVariant, FutureDatedPattern, SrvDefinition } from './srv-definition.js';

/*
 * The DUIS SRV catalogue as data: all 129 Service Reference Variants of DCC-REFERENCE §1.2, in table order.
 *
 * Roles, flags, future-dating and body elements are the matrix's. Device types come from its GBCS use-case
 * column, and parts of that derivation are inferences:
 * - ECS* → ESME; GCS* → GSME and GPF (the GPF answers gas reads from its cache); CCS*, DBCH* → CHF.
 *   A generic CS* use case adds nothing to the meter types of the row's other use cases, except where DCC's
 *   samples address another device: CS11 (3.3, "Clear ZigBee Device Event Log") the GSME, so 3.3 reaches both
 *   meters; CS10a/CS10b (6.13, "Read ZigBee Device Event/Security Log") the GSME and ECS35c/ECS35d the CHF, so
 *   6.13 reaches the meters, the CHF and the GPF (a ZigBee device keeping the same logs).
 * - Security credentials and handover (CS02*: 6.15.x, 6.17, 6.21, 6.23, 6.24.x, 8.5) and firmware (11.2,
 *   11.3) reach every Type 1 device; top-up (2.2) the two meters; join and unjoin (8.7.x, 8.8.x) the meters
 *   and the devices that join them; device logs (8.9) the CHF and GPF.
 * - Aux-load and auxiliary-controller rows 7.5-7.15 using ECS47*, ECS61* or ECS62 may also target an HCALCS;
 *   7.12 (ECS38) and 7.16 (ECS47e, outside that range) stay ESME only.
 * - 8.12.2 (GCS59) reaches the GPF only, not the GCS* rule's GSME: the log it restores is the GPF's, and DCC's
 *   sample addresses the new GPF.
 * - 6.2.4 reaches the CHF as well: DCC's published samples ECS26i and ECS26n address it to the CHF.
 * - 6.14.3 reaches the HCALCS as well: DCC's published samples ECS46d (future-dated and cancellation, APC output)
 *   address it to the premises' HAN-connected auxiliary proportional controller.
 * - Non-device rows target the hub's own EUI-64, so they list no device type (5.1 cites ECS21a: the use case
 *   of the reads a schedule will send, not of the request itself).
 */

// Device-type sets named by what the rows target (DEVICE_TYPES order).
const ELEC: readonly DeviceType[] = ['ESME'];
const GAS: readonly DeviceType[] = ['GSME', 'GPF'];
const ELEC_GAS: readonly DeviceType[] = ['ESME', 'GSME', 'GPF'];
const ELEC_GAS_CHF: readonly DeviceType[] = ['ESME', 'GSME', 'CHF', 'GPF'];
const ELEC_ALCS: readonly DeviceType[] = ['ESME', 'HCALCS'];
const CHF: readonly DeviceType[] = ['CHF'];
const GPF: readonly DeviceType[] = ['GPF'];
const METERS: readonly DeviceType[] = ['ESME', 'GSME'];
/** Devices that hold GBCS security credentials and firmware (GBCS "Type 1"). */
const TYPE1: readonly DeviceType[] = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS'];
/** The meters and the devices that join them on the HAN. */
const JOIN: readonly DeviceType[] = ['ESME', 'GSME', 'PPMID', 'HCALCS', 'IHD', 'CAD'];
const NONE: readonly DeviceType[] = [];

/**
 * Modelled MHHS extension (DCC-REFERENCE §1.1, MDR row, unverified): the 2022 matrix predates the MDR User
 * Role, so MDR is appended to these SRVs' roles here and the table below stays the matrix's.
 */
const MDR_SRVS: ReadonlySet<string> = new Set('4.8.1 4.8.2 4.8.3 5.1 5.2 5.3 6.2.7 8.2 11.2'.split(' '));

/**
 * Modelled service opt-out and opt-in (inferred, DCC-REFERENCE §1.1): the 2022 matrix lists no role for 8.5 Service
 * Opt Out and 8.6 Service Opt In because the DCC opt-out for non-domestic suppliers was taken out of the SEC
 * (2017-18), yet DCC still publishes their samples, sent from the supplier's User id. The hub models them for the
 * device's registered supplier: IS (electricity) and GS (gas), the roles that send every other inventory SRV
 * (8.3, 8.4); the rows stay the matrix's.
 */
const OPT_SRVS: ReadonlySet<string> = new Set(['8.5', '8.6']);
const SUPPLIER_ROLES: readonly UserRoleCode[] = ['IS', 'GS'];

// Critical requests are transformed (CV4), then sent signed (CV5-7); the hub answers non-device ones (CV8).
const CRITICAL_CVS: readonly CommandVariant[] = [4, 5, 6, 7];
const NON_DEVICE_CVS: readonly CommandVariant[] = [8];
const DEVICE_CVS: readonly CommandVariant[] = [1, 2, 3];

/** C critical, O on demand, S DCC-schedulable, N non-device; '' for none (8.5). */
type Flags = `${'' | 'C'}${'' | 'O'}${'' | 'S'}${'' | 'N'}`;

/** 'IS,GS' as the matrix writes it; a misspelt code fails to compile. */
type RoleList<S extends string> = S extends UserRoleCode
  ? S
  : S extends `${infer Head extends UserRoleCode},${infer Tail}`
    ? `${Head},${RoleList<Tail>}`
    : never;

function srv<R extends string>(
  id: string,
  name: string,
  roles: R & ('' | RoleList<R>),
  flags: Flags,
  futureDated: FutureDatedPattern,
  deviceTypes: readonly DeviceType[],
  bodyElement: string,
): SrvDefinition {
  const listed = roles === '' ? [] : (roles.split(',') as UserRoleCode[]);
  const critical = flags.includes('C');
  const nonDevice = flags.includes('N');
  return {
    srv: id,
    name,
    roles: MDR_SRVS.has(id) ? [...listed, 'MDR'] : OPT_SRVS.has(id) ? [...SUPPLIER_ROLES] : listed,
    critical,
    onDemand: flags.includes('O'),
    futureDated,
    dccSchedulable: flags.includes('S'),
    nonDevice,
    commandVariants: critical ? CRITICAL_CVS : nonDevice ? NON_DEVICE_CVS : DEVICE_CVS,
    deviceTypes,
    bodyElement,
  };
}

// One SRV per entry: srv, name, roles, flags, FD pattern, device types, body element. Laid out by hand, one
// or two lines per SRV, because prettier would spread each long call over nine lines.
// prettier-ignore
export const SRV_CATALOGUE_DATA: readonly SrvDefinition[] = [
  srv('1.1.1', 'Update Import Tariff (Primary Element)',
    'IS,GS', 'CO', 'Device', ELEC_GAS, 'UpdateImportTariffPrimaryElement'),
  srv('1.1.2', 'Update Import Tariff (Secondary Element)',
    'IS', 'CO', 'Device', ELEC, 'UpdateImportTariffSecondaryElement'),
  srv('1.2.1', 'Update Price (Primary Element)',
    'IS,GS', 'CO', 'Device', ELEC_GAS, 'UpdatePricePrimaryElement'),
  srv('1.2.2', 'Update Price (Secondary Element)', 'IS', 'CO', 'Device', ELEC, 'UpdatePriceSecondaryElement'),
  srv('1.5', 'Update Meter Balance', 'IS,GS', 'CO', null, ELEC_GAS, 'UpdateMeterBalance'),
  srv('1.6', 'Update Payment Mode', 'IS,GS', 'CO', 'Device', ELEC_GAS, 'UpdatePaymentMode'),
  srv('1.7', 'Reset Tariff Block Counter Matrix', 'IS', 'CO', null, ELEC, 'ResetTariffBlockCounterMatrix'),
  srv('2.1', 'Update Prepay Configuration', 'IS,GS', 'CO', 'Device', ELEC_GAS, 'UpdatePrepayConfiguration'),
  srv('2.2', 'Top Up Device', 'IS,GS', 'O', null, METERS, 'TopUpDevice'),
  srv('2.3', 'Update Debt', 'IS,GS', 'CO', null, ELEC_GAS, 'UpdateDebt'),
  srv('2.5', 'Activate Emergency Credit', 'IS,GS', 'CO', null, ELEC_GAS, 'ActivateEmergencyCredit'),
  srv('3.1', 'Display Message', 'IS,GS', 'O', 'DSP', ELEC_GAS, 'DisplayMessage'),
  srv('3.2', 'Restrict Access For Change Of Tenancy',
    'IS,GS', 'O', 'DSP', ELEC_GAS, 'RestrictAccessForChangeOfTenancy'),
  srv('3.3', 'Clear Event Log', 'IS,GS', 'O', null, METERS, 'ClearEventLog'),
  srv('3.4', 'Update Supplier Name', 'IS,GS', 'O', 'DSP', ELEC_GAS, 'UpdateSupplierName'),
  srv('3.5', 'Disable Privacy PIN', 'IS,GS', 'O', null, ELEC_GAS, 'DisablePrivacyPIN'),
  srv('4.1.1', 'Read Instantaneous Import Registers',
    'IS,GS,ED,GT', 'O', 'DSP', ELEC_GAS, 'ReadInstantaneousImportRegisters'),
  srv('4.1.2', 'Read Instantaneous Import TOU Matrices',
    'IS,GS,ED,GT', 'O', 'DSP', ELEC_GAS, 'ReadInstantaneousImportTOUMatrices'),
  srv('4.1.3', 'Read Instantaneous Import TOU With Blocks Matrices',
    'IS,ED', 'O', 'DSP', ELEC, 'ReadInstantaneousImportTOUWithBlocksMatrices'),
  srv('4.1.4', 'Read Instantaneous Import Block Counters',
    'GS', 'O', 'DSP', GAS, 'ReadInstantaneousImportBlockCounters'),
  srv('4.2', 'Read Instantaneous Export Registers',
    'ES,ED', 'O', 'DSP', ELEC, 'ReadInstantaneousExportRegisters'),
  srv('4.3', 'Read Instantaneous Prepay Values',
    'IS,GS', 'O', 'DSP', ELEC_GAS, 'ReadInstantaneousPrepayValues'),
  srv('4.4.2', 'Retrieve Change Of Mode / Tariff Triggered Billing Data Log',
    'IS,GS', 'O', 'DSP', ELEC_GAS, 'RetrieveCoMOrTariffTriggeredBillingDataLog'),
  srv('4.4.3', 'Retrieve Billing Calendar Triggered Billing Data Log',
    'IS,GS', 'O', 'DSP', ELEC_GAS, 'RetrieveBillingCalendarTriggeredBillingDataLog'),
  srv('4.4.4', 'Retrieve Billing Data Log (Payment Based Debt Payments)',
    'GS,IS', 'O', 'DSP', ELEC_GAS, 'RetrieveBillingDataLogDebtPayments'),
  srv('4.4.5', 'Retrieve Billing Data Log (Prepayment Credits)',
    'GS,IS', 'O', 'DSP', ELEC_GAS, 'RetrieveBillingDataLogPrepaymentCredits'),
  srv('4.6.1', 'Retrieve Import Daily Read Log',
    'IS,GS', 'OS', 'DSP', ELEC_GAS, 'RetrieveImportDailyReadLog'),
  srv('4.6.2', 'Retrieve Export Daily Read Log', 'ES', 'OS', 'DSP', ELEC, 'RetrieveExportDailyReadLog'),
  srv('4.8.1', 'Read Active Import Profile Data',
    'IS,GS,ED,GT,OU', 'OS', 'DSP', ELEC_GAS, 'ReadActiveImportProfileData'),
  srv('4.8.2', 'Read Reactive Import Profile Data',
    'IS,ED,OU', 'OS', 'DSP', ELEC, 'ReadReactiveImportProfileData'),
  srv('4.8.3', 'Read Export Profile Data', 'ES,ED,OU', 'OS', 'DSP', ELEC, 'ReadExportProfileData'),
  srv('4.10', 'Read Network Data', 'IS,GS,ED,GT', 'OS', 'DSP', ELEC_GAS, 'ReadNetworkData'),
  srv('4.11.1', 'Read Tariff (Primary Element)', 'IS,GS,OU', 'O', null, ELEC_GAS, 'ReadTariffPrimaryElement'),
  srv('4.11.2', 'Read Tariff (Secondary Element)', 'IS,OU', 'O', null, ELEC, 'ReadTariffSecondaryElement'),
  srv('4.12.1', 'Read Maximum Demand Import Registers',
    'IS,ED', 'OS', 'DSP', ELEC, 'ReadMaximumDemandImportRegisters'),
  srv('4.12.2', 'Read Maximum Demand Export Registers',
    'ES,ED', 'OS', 'DSP', ELEC, 'ReadMaximumDemandExportRegisters'),
  srv('4.13', 'Read Prepayment Configuration', 'IS,GS', 'O', 'DSP', ELEC_GAS, 'ReadPrepaymentConfiguration'),
  srv('4.14', 'Read Prepayment Daily Read Log', 'IS,GS', 'OS', 'DSP', ELEC_GAS, 'ReadPrepaymentDailyReadLog'),
  srv('4.15', 'Read Load Limit Data', 'IS,ED', 'OS', 'DSP', ELEC, 'ReadLoadLimitData'),
  srv('4.16', 'Read Active Power Import', 'IS,ED', 'OS', null, ELEC, 'ReadActivePowerImport'),
  srv('4.17', 'Retrieve Daily Consumption Log',
    'IS,GS,ED,GT,OU', 'OS', 'DSP', ELEC_GAS, 'RetrieveDailyConsumptionLog'),
  srv('4.18', 'Read Meter Balance', 'IS,GS', 'O', 'DSP', ELEC_GAS, 'ReadMeterBalance'),
  srv('5.1', 'Create Schedule', 'IS,ES,GS,ED,GT,OU', 'N', null, NONE, 'CreateSchedule'),
  srv('5.2', 'Read Schedule', 'IS,ES,GS,ED,GT,OU', 'N', null, NONE, 'ReadSchedule'),
  srv('5.3', 'Delete Schedule', 'IS,ES,GS,ED,GT,OU', 'N', null, NONE, 'DeleteSchedule'),
  srv('6.2.1', 'Read Device Configuration (Voltage)',
    'IS,RSA,ED', 'O', null, ELEC, 'ReadDeviceConfigurationVoltage'),
  srv('6.2.2', 'Read Device Configuration (Randomisation)',
    'IS,RSA,ED', 'O', null, ELEC, 'ReadDeviceConfigurationRandomisation'),
  srv('6.2.3', 'Read Device Configuration (Billing Calendar)',
    'IS,RSA,GS', 'O', null, ELEC_GAS, 'ReadDeviceConfigurationBillingCalendar'),
  srv('6.2.4', 'Read Device Configuration (Identity Exc MPxN)',
    'IS,ES,GS,RSA,ED,GT,OU', 'O', null, ELEC_GAS_CHF, 'ReadDeviceConfigurationIdentityExcMPxN'),
  srv('6.2.5', 'Read Device Configuration (Instantaneous Power Thresholds)',
    'IS,RSA', 'O', null, ELEC, 'ReadDeviceConfigurationInstantaneousPowerThresholds'),
  srv('6.2.7', 'Read Device Configuration (MPxN)',
    'IS,ES,GS,RSA,ED,GT,OU', 'O', null, ELEC_GAS, 'ReadDeviceConfigurationMPxN'),
  srv('6.2.8', 'Read Device Configuration (Gas)', 'GS,RSA,GT', 'O', null, GAS, 'ReadDeviceConfigurationGas'),
  srv('6.2.9', 'Read Device Configuration (Payment Mode)',
    'IS,GS,RSA', 'O', null, ELEC_GAS, 'ReadDeviceConfigurationPaymentMode'),
  srv('6.2.10', 'Read Device Configuration (Event and Alert Behaviours)',
    'IS,GS,ED', 'O', null, ELEC_GAS, 'ReadDeviceConfigurationEventAndAlertBehaviours'),
  srv('6.4.1', 'Update Device Configuration (Load Limiting General Settings)',
    'IS', 'CO', 'Device', ELEC, 'UpdateDeviceConfigurationLoadLimitingGeneralSettings'),
  srv('6.4.2', 'Update Device Configuration (Load Limiting Counter Reset)',
    'IS', 'O', 'DSP', ELEC, 'UpdateDeviceConfigurationLoadLimitingCounterReset'),
  srv('6.5', 'Update Device Configuration (Voltage)',
    'ED', 'O', 'DSP', ELEC, 'UpdateDeviceConfigurationVoltage'),
  srv('6.6', 'Update Device Configuration (Gas Conversion)',
    'GS', 'CO', null, GAS, 'UpdateDeviceConfigurationGasConversion'),
  srv('6.7', 'Update Device Configuration (Gas Flow)',
    'GS', 'CO', null, GAS, 'UpdateDeviceConfigurationGasFlow'),
  srv('6.8', 'Update Device Configuration (Billing Calendar)',
    'IS,GS', 'CO', null, ELEC_GAS, 'UpdateDeviceConfigurationBillingCalendar'),
  srv('6.11', 'Synchronise Clock', 'IS,GS', 'CO', null, ELEC_GAS, 'SynchroniseClock'),
  srv('6.12', 'Update Device Configuration (Instantaneous Power Threshold)',
    'IS', 'O', 'DSP', ELEC, 'UpdateDeviceConfigurationInstantaneousPowerThreshold'),
  srv('6.13', 'Read Event Or Security Log',
    'IS,GS,ED,GT,RSA', 'O', null, ELEC_GAS_CHF, 'ReadEventOrSecurityLog'),
  srv('6.14.1', 'Update Device Configuration (Auxiliary Load Control Description)',
    'IS', 'CO', null, ELEC, 'UpdateDeviceConfigurationALCDescriptions'),
  srv('6.14.2', 'Update Device Configuration (Auxiliary Load Control Scheduler)',
    'IS', 'CO', 'Device', ELEC, 'UpdateDeviceConfigurationALCScheduler'),
  srv('6.14.3', 'Update Device Configuration (Auxiliary Controller Scheduler)',
    'IS', 'CO', 'Device', ELEC_ALCS, 'UpdateDeviceConfigurationAuxiliaryControllerScheduler'),
  srv('6.15.1', 'Update Security Credentials (KRP)',
    'IS,GS,ED,GT', 'CO', 'Device', TYPE1, 'UpdateSecurityCredentialsKRP'),
  srv('6.15.2', 'Update Security Credentials (Device)',
    'IS,GS', 'CO', null, TYPE1, 'UpdateSecurityCredentialsDevice'),
  srv('6.17', 'Issue Security Credentials', 'IS,GS', 'CO', null, TYPE1, 'IssueSecurityCredentials'),
  srv('6.18.1', 'Set Maximum Demand Configurable Time Period',
    'ED', 'O', 'DSP', ELEC, 'SetMaximumDemandConfigurableTimePeriod'),
  srv('6.18.2', 'Reset Maximum Demand Registers', 'ED', 'O', 'DSP', ELEC, 'ResetMaximumDemandRegisters'),
  srv('6.20.1', 'Set Device Configuration (Import MPxN)',
    'IS,GS', 'O', 'DSP', ELEC_GAS, 'SetDeviceConfigurationImportMPxN'),
  srv('6.20.2', 'Set Device Configuration (Export MPAN)',
    'ES', 'O', 'DSP', ELEC, 'SetDeviceConfigurationExportMPAN'),
  srv('6.21', 'Request Handover Of DCC Controlled Device',
    'IS,GS', 'O', 'DSP', TYPE1, 'RequestHandoverOfDCCControlledDevice'),
  srv('6.22', 'Configure Alert Behaviour', 'IS,GS,ED', 'O', null, ELEC_GAS, 'ConfigureAlertBehaviour'),
  srv('6.23', 'Update Security Credentials (CoS)',
    'IS,GS', 'O', 'DSP+Device', TYPE1, 'UpdateSecurityCredentialsCoS'),
  srv('6.24.1', 'Retrieve Device Security Credentials (KRP)',
    'IS,GS,ED,GT', 'O', null, TYPE1, 'RetrieveDeviceSecurityCredentialsKRP'),
  srv('6.24.2', 'Retrieve Device Security Credentials (Device)',
    'IS,GS', 'CO', null, TYPE1, 'RetrieveDeviceSecurityCredentialsDevice'),
  srv('6.25', 'Set Electricity Supply Tamper State',
    'IS', 'CO', null, ELEC, 'SetElectricitySupplyTamperState'),
  srv('6.26', 'Update Device Configuration (daily resetting of Tariff Block Counter Matrix)',
    'IS', 'CO', null, ELEC, 'UpdateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix'),
  srv('6.27', 'Update Device Configuration (RMS Voltage Counter Reset)',
    'ED', 'O', 'DSP', ELEC, 'UpdateDeviceConfigurationRMSVoltageCounterReset'),
  srv('6.28', 'Set CHF Sub GHz Configuration', 'IS,GS', 'O', null, CHF, 'SetCHFSubGHzConfiguration'),
  srv('6.29', 'Request CHF Sub GHz Channel Scan', 'IS,GS', 'O', null, CHF, 'RequestCHFSubGHzChannelScan'),
  srv('6.30', 'Read CHF Sub GHz Configuration', 'IS,GS,RSA', 'O', null, CHF, 'ReadCHFSubGHzConfiguration'),
  srv('6.31', 'Read CHF Sub GHz Channel', 'IS,GS,RSA', 'O', null, CHF, 'ReadCHFSubGHzChannel'),
  srv('6.32', 'Read CHF Sub GHz Channel Log', 'IS,GS,RSA', 'O', null, CHF, 'ReadCHFSubGHzChannelLog'),
  srv('7.1', 'Enable Supply', 'IS', 'CO', null, ELEC, 'EnableSupply'),
  srv('7.2', 'Disable Supply', 'IS,GS', 'CO', null, ELEC_GAS, 'DisableSupply'),
  srv('7.3', 'Arm Supply', 'IS,GS', 'CO', null, ELEC_GAS, 'ArmSupply'),
  srv('7.4', 'Read Supply Status', 'IS,ES,GS,RSA,ED,GT', 'O', null, ELEC_GAS, 'ReadSupplyStatus'),
  srv('7.5', 'Activate Auxiliary Load', 'IS', 'CO', null, ELEC_ALCS, 'ActivateAuxiliaryLoad'),
  srv('7.6', 'Deactivate Auxiliary Load', 'IS', 'CO', null, ELEC_ALCS, 'DeactivateAuxiliaryLoad'),
  srv('7.7', 'Read Auxiliary Load Switch Data', 'IS,ED,OU', 'O', 'DSP', ELEC_ALCS, 'ReadALCSData'),
  srv('7.8', 'Reset Auxiliary Load', 'IS', 'CO', null, ELEC_ALCS, 'ResetAuxiliaryLoad'),
  srv('7.9', 'Add Auxiliary Load To Boost Button',
    'IS', 'O', 'DSP', ELEC_ALCS, 'AddAuxiliaryLoadToBoostButton'),
  srv('7.10', 'Remove Auxiliary Load From Boost Button',
    'IS', 'O', 'DSP', ELEC_ALCS, 'RemoveAuxiliaryLoadFromBoostButton'),
  srv('7.11', 'Read Boost Button Details', 'IS,OU', 'O', 'DSP', ELEC_ALCS, 'ReadBoostButtonDetails'),
  srv('7.12', 'Set Randomised Offset Limit', 'IS', 'CO', null, ELEC, 'SetRandomisedOffsetLimit'),
  srv('7.13', 'Set Auxiliary Controller State', 'IS', 'CO', null, ELEC_ALCS, 'SetAuxiliaryControllerState'),
  srv('7.14', 'Read Auxiliary Controller Configuration Data',
    'IS,ED,OU', 'O', 'DSP', ELEC_ALCS, 'ReadAuxiliaryControllerConfigurationData'),
  srv('7.15', 'Read Auxiliary Controller Operational Data',
    'IS,ED,OU', 'O', 'DSP', ELEC_ALCS, 'ReadAuxiliaryControllerOperationalData'),
  srv('7.16', 'Limit APC Level', '', 'CO', null, ELEC, 'LimitAPCLevel'),
  srv('8.1.1', 'Commission Device', 'IS,GS', 'CO', null, ELEC_GAS, 'CommissionDeviceSynchroniseClock'),
  srv('8.2', 'Read Inventory', 'IS,ES,GS,RSA,ED,GT,OU', 'N', null, NONE, 'ReadInventory'),
  srv('8.3', 'Decommission Device', 'IS,GS', 'N', null, NONE, 'DecommissionDevice'),
  srv('8.4', 'Update Inventory', 'IS,ES,GS,RSA,ED,GT,OU', 'N', null, NONE, 'UpdateInventory'),
  srv('8.5', 'Service Opt Out', '', '', 'DSP', TYPE1, 'ServiceOptOut'),
  srv('8.6', 'Service Opt In', '', 'N', null, NONE, 'ServiceOptIn'),
  srv('8.7.1', 'Join Service (Critical)', 'IS,GS', 'CO', null, JOIN, 'JoinServiceCritical'),
  srv('8.7.2', 'Join Service (Non-Critical)', 'IS,GS,OU', 'O', null, JOIN, 'JoinServiceNonCritical'),
  srv('8.8.1', 'Unjoin Service (Critical)', 'IS,GS', 'CO', null, JOIN, 'UnjoinServiceCritical'),
  srv('8.8.2', 'Unjoin Service (Non-Critical)', 'IS,GS,OU', 'O', null, JOIN, 'UnjoinServiceNonCritical'),
  // A CHF's or GPF's device log (CCS05-CCS07), or another Type 1 device's join details (CS07, DCC's sample to a GSME).
  srv('8.9', 'Read Device Log', 'IS,GS,OU', 'O', 'DSP', TYPE1, 'ReadDeviceLog'),
  srv('8.11', 'Update HAN Device Log', 'IS,GS,OU', 'O', 'DSP', CHF, 'UpdateHANDeviceLog'),
  srv('8.12.1', 'Restore HAN Device Log', 'IS,GS', 'O', null, CHF, 'RestoreHANDeviceLog'),
  srv('8.12.2', 'Restore Gas Proxy Function Device Log', 'IS,GS', 'O', null, GPF, 'RestoreGPFDeviceLog'),
  srv('8.13', 'Return Local Command Response', 'IS,GS', 'N', null, NONE, 'ReturnLocalCommandResponse'),
  srv('8.14.1', 'Communications Hub Status Update- Install Success',
    'IS,GS', 'N', null, NONE, 'CHFInstallSuccessSMWAN'),
  srv('8.14.2', 'Communications Hub Status Update - Install No SM WAN',
    'IS,GS', 'N', null, NONE, 'CHFInstallSuccessNoSMWAN'),
  srv('8.14.3', 'Communications Hub Status Update. – Fault Return',
    'IS,GS', 'N', null, NONE, 'CHFFaultReturn'),
  srv('8.14.4', 'Communications Hub Status Update – No Fault Return',
    'IS,GS', 'N', null, NONE, 'CHFNoFaultReturn'),
  srv('9.1', 'Request Customer Identification Number',
    'OU', 'O', null, ELEC_GAS, 'RequestCustomerIdentificationNumber'),
  srv('11.1', 'Update Firmware', 'IS,GS', 'N', null, NONE, 'UpdateFirmware'),
  srv('11.2', 'Read Firmware Version', 'IS,ES,GS,RSA,ED,GT,OU', 'O', 'DSP', TYPE1, 'ReadFirmwareVersion'),
  srv('11.3', 'Activate Firmware', 'IS,GS', 'CO', 'Device', TYPE1, 'ActivateFirmware'),
  srv('11.4', 'Update PPMID Firmware', 'IS,GS', 'N', null, NONE, 'UpdatePPMIDFirmware'),
  srv('12.1', 'Request WAN Matrix', 'IS,ES,GS,RSA,ED,GT,OU', 'N', null, NONE, 'RequestWANMatrix'),
  srv('12.2', 'Device Pre-notification', 'IS,ES,GS,RSA,ED,GT,OU', 'N', null, NONE, 'DevicePrenotification'),
  srv('14.1', 'Record Network Data (GAS)', 'GT', 'OS', null, GAS, 'RecordNetworkDataGAS'),
];
