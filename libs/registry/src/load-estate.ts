import { AppointmentRole, NO_PARTY } from './codes.js';
import type { Estate, EstatePoint } from './estate-generator.js';
import { RegistryView } from './registry-view.js';

/** Adds a generated point and its appointments (previous supplier first, so it lands in the history). */
export function addEstatePoint(view: RegistryView, point: EstatePoint): number {
  const index = view.addPoint(point);
  if (point.previousSupplier !== NO_PARTY) {
    view.appoint(index, AppointmentRole.SUPPLIER, point.previousSupplier, point.previousSupplierFromMs);
  }
  view.appoint(index, AppointmentRole.SUPPLIER, point.supplier, point.supplierFromMs);
  if (point.exportSupplier !== NO_PARTY) {
    view.appoint(index, AppointmentRole.EXPORT_SUPPLIER, point.exportSupplier, point.exportSupplierFromMs);
  }
  if (point.mdr !== NO_PARTY) view.appoint(index, AppointmentRole.MDR, point.mdr, point.mdrFromMs);
  view.appoint(index, AppointmentRole.NETWORK_OPERATOR, point.networkOperator, point.networkOperatorFromMs);
  return index;
}

/** A view holding the whole estate; `capacity` defaults to exactly its size. */
export function loadEstate(estate: Estate, capacity = Math.max(1, estate.size)): RegistryView {
  const view = new RegistryView({ capacity, parties: estate.parties });
  for (const point of estate.points()) addEstatePoint(view, point);
  return view;
}
