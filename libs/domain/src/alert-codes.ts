/** A device alert code as DUIS writes it: four upper-case hex digits, e.g. "8F66" (DCC-REFERENCE §6). */
export const ALERT_CODE_PATTERN = /^[0-9A-F]{4}$/;

/**
 * 0x8Fxx alerts are the critical ones (future-dated outcomes, supply outage, UTRN rejections, firmware), which
 * a device always sends; the rest can be switched off by 6.22. (Inferred from the code ranges: the reference
 * gives no list of configurable alerts.)
 */
export function isConfigurableAlert(code: number): boolean {
  return code < 0x8f00 || code > 0x8fff;
}
