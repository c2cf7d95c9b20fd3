// Position sharing while on duty: watchPosition, sent when 15 s have passed or the unit moved 50 m.
import { api } from "./api";

const MIN_INTERVAL_MS = 15_000;
const MIN_MOVE_M = 50;
let watch: number | null = null;
let last: { lat: number; lon: number; at: number } | null = null;
export let current: { lat: number; lon: number } | null = null;

function metres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

export function startSharing(unitId: string): void {
  if (watch !== null || !("geolocation" in navigator)) return;
  watch = navigator.geolocation.watchPosition(
    (pos) => {
      const here = { lat: pos.coords.latitude, lon: pos.coords.longitude };
      current = here;
      const now = Date.now();
      if (last && now - last.at < MIN_INTERVAL_MS && metres(last, here) < MIN_MOVE_M) return;
      last = { ...here, at: now };
      void api("POST", `/api/units/${unitId}/position`, {
        lat: here.lat, lon: here.lon, accuracy_m: Math.min(pos.coords.accuracy, 100000),
      }).catch(() => { last = null; }); // no signal: the next fix tries again
    },
    () => undefined,
    { enableHighAccuracy: true, maximumAge: 10_000 },
  );
}

export function stopSharing(): void {
  if (watch !== null) navigator.geolocation.clearWatch(watch);
  watch = null;
  last = null;
}

export const sharing = (): boolean => watch !== null;
