// The one module that draws maps. Leaflet takes [lat, lon]; the API gives {lat, lon}. No tile
// server is needed: the incident and the unit are drawn on a plain background, so the map works
// with no internet.
import L from "leaflet";
import "leaflet/dist/leaflet.css";

export interface Point { lat: number; lon: number }

export function drawAssignmentMap(element: HTMLElement, incident: Point, unit: Point | null): L.Map {
  const map = L.map(element, { zoomControl: true, attributionControl: false });
  const target = L.circleMarker([incident.lat, incident.lon], { radius: 10, color: "#b71c1c", fillOpacity: 0.8 }).addTo(map);
  target.bindTooltip("112", { permanent: true, direction: "top" });
  if (unit) {
    L.circleMarker([unit.lat, unit.lon], { radius: 8, color: "#0d47a1", fillOpacity: 0.8 }).addTo(map);
    L.polyline([[unit.lat, unit.lon], [incident.lat, incident.lon]], { color: "#555", dashArray: "6 6" }).addTo(map);
    map.fitBounds(L.latLngBounds([[unit.lat, unit.lon], [incident.lat, incident.lon]]).pad(0.3));
  } else {
    map.setView([incident.lat, incident.lon], 16);
  }
  return map;
}

/** A link the phone opens in its own maps app. */
export function navigationUrl(p: Point): string {
  return `https://www.google.com/maps/dir/?api=1&destination=${p.lat},${p.lon}`;
}
