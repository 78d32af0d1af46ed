import { ALERT_DISPATCH_TABLE, type AlertRecipient } from '@dcc/domain';
import { AlertKind, AlertParty, type GetDispatchTableResponse } from '@dcc/proto';

const PARTY: Record<AlertRecipient, AlertParty> = {
  supplier: AlertParty.ALERT_PARTY_SUPPLIER,
  networkOperator: AlertParty.ALERT_PARTY_NETWORK_OPERATOR,
  originator: AlertParty.ALERT_PARTY_ORIGINATOR,
  hub: AlertParty.ALERT_PARTY_HUB,
};

export const partyToWire = (party: AlertRecipient): AlertParty => PARTY[party];

const hex = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');

/** The dispatching table (libs/domain) as the AlertRoutingService API returns it. */
export function dispatchTableToWire(): GetDispatchTableResponse {
  return {
    version: ALERT_DISPATCH_TABLE.version,
    rules: ALERT_DISPATCH_TABLE.rules.map((rule) => ({
      kind: rule.kind === 'device' ? AlertKind.ALERT_KIND_DEVICE : AlertKind.ALERT_KIND_DCC,
      codeFrom: rule.kind === 'device' ? hex(rule.from) : (rule.name ?? ''),
      codeTo: rule.kind === 'device' ? hex(rule.to) : (rule.name ?? ''),
      meaning: rule.meaning,
      recipients: rule.recipients.map(partyToWire),
    })),
    defaultDeviceRecipients: ALERT_DISPATCH_TABLE.defaultDeviceRecipients.map(partyToWire),
  };
}
