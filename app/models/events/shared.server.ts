// What every part of the events model shares: the row type, UK time, and how an event's kind,
// place and page address are worded.

import type { Selectable } from "kysely";
import type { EventTable } from "../../../db/types/events";
import { EVENT_KINDS } from "../../utils/vocab";

export type EventRow = Selectable<EventTable>;

export const TIME_ZONE = "Europe/London";
/** Open-ended series never end: this sorts after every real instant. */
export const OPEN_ENDED = "9999-12-31T00:00:00.000Z";
export const DAY_MS = 86_400_000;

export const KIND_LABEL: Record<string, string> = Object.fromEntries(EVENT_KINDS.map((k) => [k.value, k.label]));

export function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind;
}
export function occurrenceUrl(eventId: number, occurrence: string): string {
  return occurrence ? `/events/${eventId}?occurrence=${encodeURIComponent(occurrence)}` : `/events/${eventId}`;
}

export function placeOf(e: Pick<EventRow, "venue" | "address" | "postcode" | "online_url">): { place: string; online: boolean } {
  if (e.venue) {
    const town = (e.address ?? "").split("\n").map((l) => l.trim()).filter(Boolean).pop();
    return { place: town && !e.venue.includes(town) ? `${e.venue}, ${town}` : e.venue, online: false };
  }
  return { place: "Online", online: true };
}
