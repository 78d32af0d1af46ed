import { GRID_EVENT_HEADER } from './grid-event.js';

/**
 * Header of a keypad entry's mail (a UTRN keyed in at the premises, DeviceEdgeService.KeyInUtrn): set to "1".
 */
export const KEYPAD_ENTRY_HEADER = 'Dcc-Keypad-Entry';

/**
 * Whether a meter's mail is an event at the device edge (a keypad entry, a simulated network event) rather than a
 * User's command. Such mail needs no order with the meter's commands (it carries no RequestID counter, and it
 * happens at the premises whatever the WAN does), so it may run while a command held by the WAN is retried:
 * a customer keys a UTRN in during an outage and is credited at once.
 */
export function isDeviceEdgeMail(headers: { get(name: string): string } | undefined): boolean {
  return headers?.get(KEYPAD_ENTRY_HEADER) === '1' || headers?.get(GRID_EVENT_HEADER) === '1';
}
