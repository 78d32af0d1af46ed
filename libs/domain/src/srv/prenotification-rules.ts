import { ESME_VARIANTS, isEsmeVariant } from '../esme-variant.js';
import { text, type BodyRule } from './body-rules.js';

const HEX = /^[0-9A-Fa-f]$/;
const PRINTABLE = /^[\x20-\x7E]$/;

/** An ESME names its variant (DUIS ESMEVariant); no other device has one. */
const esmeVariantRule: BodyRule = (fields) => {
  const variant = fields['esmeVariant'];
  if (fields['deviceType'] === 'ESME') {
    return typeof variant === 'string' && isEsmeVariant(variant)
      ? undefined
      : `esmeVariant must be one of ${ESME_VARIANTS.join(', ')} for an ESME`;
  }
  return variant === undefined || variant === '' ? undefined : 'esmeVariant: only an ESME has a variant';
};

/**
 * 12.2 Device Pre-notification: what DUIS requires beside the device's id, type, model and firmware, checked by
 * access control before I99 and by registration for its operators' RPC: DeviceManufacturer (4 hex digits),
 * SMETSCHTSVersion (printable text) and, for an ESME, its ESMEVariant.
 */
export const prenotificationRules: readonly BodyRule[] = [
  text('manufacturer', 4, 4, HEX, 'hex digits'),
  text('smetsChtsVersion', 1, 32, PRINTABLE, 'printable ASCII'),
  esmeVariantRule,
];
