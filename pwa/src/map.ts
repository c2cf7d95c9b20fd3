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

// --- the dispatcher's map -----------------------------------------------------------------------

const UNIT_COLOURS: Record<string, string> = {
  available: "#2e7d32", dispatched: "#f9a825", en_route: "#ef6c00", on_scene: "#c62828",
  transporting: "#6a1b9a", out_of_service: "#757575",
};

export interface ConsoleMap {
  map: L.Map;
  unit(id: string, label: string, status: string, at: Point): void;
  incident(id: string, label: string, at: Point | null): void;
  pin(at: Point, onMove: (p: Point) => void): void;
  clearPin(): void;
  onClick(handler: (p: Point) => void): void;
}

/** Base layers from the API (the city's own data): the map needs no internet at all. */
export async function consoleMap(element: HTMLElement, centre: Point): Promise<ConsoleMap> {
  const map = L.map(element, { preferCanvas: false, attributionControl: false }).setView([centre.lat, centre.lon], 13);
  const styles: Record<string, L.PathOptions> = {
    kelurahan: { color: "#90a4ae", weight: 1, fillOpacity: 0.03 },
    kecamatan: { color: "#37474f", weight: 2, fill: false },
    rivers: { color: "#4fc3f7", weight: 2 },
    roads: { color: "#8d6e63", weight: 1 },
  };
  for (const layer of ["kelurahan", "rivers", "roads", "kecamatan"]) {
    const response = await fetch(`/api/layers/${layer}`, { credentials: "same-origin" });
    if (!response.ok) continue;
    L.geoJSON(await response.json(), { style: () => styles[layer], interactive: false, className: `layer-${layer}` } as L.GeoJSONOptions).addTo(map);
  }
  const units = new Map<string, L.CircleMarker>();
  const incidents = new Map<string, L.CircleMarker>();
  let pin: L.Marker | null = null;
  return {
    map,
    unit(id, label, status, at) {
      const style = { radius: 7, color: "#000", weight: 1, fillColor: UNIT_COLOURS[status] ?? "#000", fillOpacity: 0.95 };
      const marker = units.get(id) ?? L.circleMarker([at.lat, at.lon], style).addTo(map).bindTooltip(label);
      marker.setLatLng([at.lat, at.lon]).setStyle(style);
      marker.getElement()?.setAttribute("data-unit-status", status);
      units.set(id, marker);
    },
    incident(id, label, at) {
      const existing = incidents.get(id);
      if (!at) { existing?.remove(); incidents.delete(id); return; }
      const marker = existing ?? L.circleMarker([at.lat, at.lon], { radius: 11, color: "#b71c1c", weight: 3, fillOpacity: 0.3 }).addTo(map).bindTooltip(label);
      marker.setLatLng([at.lat, at.lon]);
      incidents.set(id, marker);
    },
    pin(at, onMove) {
      pin?.remove();
      pin = L.marker([at.lat, at.lon], {
        draggable: true,
        icon: L.divIcon({ className: "pin", html: "📍", iconSize: [28, 28], iconAnchor: [14, 28] }),
      }).addTo(map);
      pin.on("dragend", () => { const p = pin!.getLatLng(); onMove({ lat: p.lat, lon: p.lng }); });
      map.panTo([at.lat, at.lon]);
    },
    clearPin() { pin?.remove(); pin = null; },
    onClick(handler) { map.on("click", (e: L.LeafletMouseEvent) => handler({ lat: e.latlng.lat, lon: e.latlng.lng })); },
  };
}

// --- the public heatmap ---------------------------------------------------------------------------

/** Hexagon counts over the kelurahan boundaries; reloads at each zoom band. */
export async function publicMap(element: HTMLElement, centre: Point, load: (zoom: number) => Promise<GeoJSON.FeatureCollection>): Promise<L.Map> {
  const map = L.map(element, { attributionControl: false }).setView([centre.lat, centre.lon], 13);
  const response = await fetch("/api/public/layers/kelurahan");
  if (response.ok) {
    L.geoJSON(await response.json(), { style: () => ({ color: "#607d8b", weight: 1, fillOpacity: 0.02 }), interactive: false } as L.GeoJSONOptions).addTo(map);
  }
  let cells: L.GeoJSON | null = null;
  const draw = async () => {
    const data = await load(map.getZoom());
    const max = Math.max(1, ...data.features.map((f) => Number(f.properties?.count ?? 0)));
    cells?.remove();
    cells = L.geoJSON(data, {
      className: "hex",
      style: (f) => ({ color: "#b71c1c", weight: 1, fillColor: "#d32f2f", fillOpacity: 0.2 + 0.6 * (Number(f?.properties?.count ?? 0) / max) }),
      onEachFeature: (f, layer) => layer.bindTooltip(String(f.properties?.count ?? "")),
    } as L.GeoJSONOptions).addTo(map);
  };
  map.on("zoomend", () => void draw());
  await draw();
  return map;
}
