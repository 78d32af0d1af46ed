import { estatePremises, InventoryDetails, RegistryView } from '@dcc/registry';

export interface LayoutAt {
  points: number;
  /** Per-point columns of the view and InventoryDetails, allocated for `points` (bytes per point). */
  pointColumnsPerPoint: number;
  /** Inventory devices other than the points' meters (CHF, GPF, PPMID, IHD, HCALCS) per point in this estate. */
  linkedPerPoint: number;
  /** Linked-device rows (view and InventoryDetails columns, growth slack and index included), bytes per point. */
  linkedPerPointBytes: number;
  /** Everything above, bytes per point. */
  totalPerPoint: number;
}

/**
 * What the registry + inventory layout allocates for an estate of `points` of the benchmark's mix, from the
 * columns themselves: a view and InventoryDetails built for that capacity (point columns), plus the linked-device
 * table at the size its doubling reaches for the estate's linked devices (22 bytes a row in the view, 10 in
 * InventoryDetails, and the view's open-addressing index kept under 0.75 load).
 */
export function layoutAt(points: number): LayoutAt {
  const view = new RegistryView({ capacity: points, historyCapacity: Math.max(1024, points >>> 2) });
  const details = new InventoryDetails(points);
  const pointBytes = sum(view.columnBytes()) + sum(details.columnBytes());
  // Their grown parts are measured below instead.
  const grown =
    sum(view.columnBytes(), (k) => k.startsWith('linkedDevice')) +
    details.columnBytes().linkedDetails! +
    details.columnBytes().nextLink!;
  // The estate's pattern repeats every 210 premises (n % 3, 5, 7, 10).
  let linked = 0;
  let pointsInCycle = 0;
  for (let n = 0; n < 2_100; n++) {
    const p = estatePremises(n, 2_100);
    pointsInCycle += p.dualFuel ? 2 : 1;
    linked += 1 + (p.dualFuel ? 1 : 0) + (p.ppmid ? 1 : 0) + 1 + (p.hcalcs ? 1 : 0); // CHF, GPF, PPMID, IHD, HCALCS
  }
  const linkedPerPoint = linked / pointsInCycle;
  const rows = Math.ceil(linkedPerPoint * points);
  let capacity = 1024;
  while (capacity < rows) capacity *= 2;
  let slots = 1024;
  while (slots * 0.75 < capacity) slots *= 2;
  const linkedBytes = capacity * (22 + 10) + slots * 4;
  const pointColumnsPerPoint = (pointBytes - grown) / points;
  return {
    points,
    pointColumnsPerPoint,
    linkedPerPoint,
    linkedPerPointBytes: linkedBytes / points,
    totalPerPoint: pointColumnsPerPoint + linkedBytes / points,
  };
}

function sum(columns: Record<string, number>, only: (key: string) => boolean = () => true): number {
  return Object.entries(columns)
    .filter(([key]) => only(key))
    .reduce((total, [, bytes]) => total + bytes, 0);
}
