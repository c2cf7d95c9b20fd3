// The HTTP API of ../shared/API.md. The session cookie authenticates the app and its worker.

export interface User { id: string; username: string; role: string; unit_id: string | null }
export interface Assignment {
  id: string; incident_id: string; unit_id: string; callsign: string; status: string;
  sent_at: string; accepted_at: string | null; en_route_at: string | null;
  on_scene_at: string | null; transporting_at: string | null; cleared_at: string | null;
  distance_m: number | null; reason: string | null; unit_kind: string;
}
export interface Incident {
  id: string; number: string; status: string; category: string; description: string;
  address: string | null; location: { lat: number; lon: number } | null;
  geocode: { label: string | null; kelurahan: string | null; kecamatan: string | null };
}
export interface Mine { assignment: Assignment; incident: Incident }
export interface TimelineItem { at: string; kind: string; actor: string | null; data: Record<string, unknown> }

export class ApiError extends Error {
  constructor(public status: number, message: string) { super(message); }
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail ?? detail; } catch { /* not JSON */ }
    throw new ApiError(response.status, detail);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export const login = (username: string, password: string) =>
  api<{ token: string; user: User }>("POST", "/api/auth/login", { username, password });
export const me = () => api<User>("GET", "/api/auth/me");
export const logout = () => api<void>("POST", "/api/auth/logout");
export const mine = () => api<{ items: Mine[] }>("GET", "/api/assignments/mine");
export const timeline = (incidentId: string) =>
  api<{ items: TimelineItem[] }>("GET", `/api/incidents/${incidentId}/timeline`);
