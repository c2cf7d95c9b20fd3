// The responder app: log in, turn alerts on, see assignments, move each one along with one big
// button, even with no signal. Hash routes: #/login, #/, #/assignments/<id>.
import "./style.css";
import type { Map as LeafletMap } from "leaflet";
import { ApiError, type Mine, type User, login, logout, me, mine, timeline, api } from "./api";
import { setupI18n, t, toggleLanguage } from "./i18n";
import { drawAssignmentMap, navigationUrl } from "./map";
import { enqueue, failures, flush, onChange, pending, startFlushing } from "./outbox";
import { current, sharing, startSharing, stopSharing } from "./position";
import { alertState, enableAlerts, isIos } from "./push";

const NEXT: Record<string, string[]> = {
  sent: ["accepted"], accepted: ["en_route"], en_route: ["on_scene"],
  on_scene: ["transporting", "cleared"], transporting: ["cleared"],
};
const OPEN = new Set(["sent", "accepted", "en_route", "on_scene", "transporting"]);
const POLL_MS = 5000;

let user: User | null = null;
let items: Mine[] = [];
let map: LeafletMap | null = null;
let banner: string | null = null;

const app = document.getElementById("app")!;
const esc = (s: unknown): string =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The status the assignment will have once the queued actions reach the server. */
async function projected(m: Mine): Promise<string> {
  let status = m.assignment.status;
  for (const action of await pending()) {
    if (action.path === `/api/assignments/${m.assignment.id}/transition`) status = (action.body as { to: string }).to;
  }
  return status;
}

function nextSteps(status: string, kind: string): string[] {
  return (NEXT[status] ?? []).filter((s) => s !== "transporting" || kind === "ambulance");
}

async function refresh(): Promise<void> {
  if (location.hash === "#/public") { await render(); return; }
  if (!user || user.role !== "responder") { await render(); return; }
  try {
    const before = new Set(items.map((i) => i.assignment.id));
    items = (await mine()).items;
    const fresh = items.find((i) => i.assignment.status === "sent" && !before.has(i.assignment.id));
    if (fresh && before.size + items.length > 0) banner = fresh.assignment.id;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) { user = null; location.hash = "#/login"; }
  }
  await render();
}

async function pendingBar(): Promise<string> {
  const queued = await pending();
  const offline = !navigator.onLine ? `<p class="offline">${t("offline")}</p>` : "";
  const list = queued.map((a) => `<li>${esc(a.label)} · ${new Date(a.at).toLocaleTimeString("id-ID")}</li>`).join("");
  const failed = failures.map((f) => `<li class="failed">${esc(t("failed", { msg: f }))}</li>`).join("");
  return `${offline}<section class="pending" data-count="${queued.length}">
    <strong>${queued.length ? t("pending", { n: queued.length }) : t("pendingNone")}</strong>
    <ul>${list}${failed}</ul></section>`;
}

function header(): string {
  return `<header><h1>${t("appName")}</h1><span>${esc(user?.username ?? "")}</span>
    <button class="link" id="lang">${t("language")}</button>
    ${user ? `<button class="link" id="logout">${t("logout")}</button>` : ""}</header>`;
}

function renderLogin(): void {
  app.innerHTML = `${header()}<form id="login" class="card">
    <label>${t("username")}<input name="username" autocomplete="username" required></label>
    <label>${t("password")}<input name="password" type="password" autocomplete="current-password" required></label>
    <button class="big" type="submit">${t("login")}</button><p id="error" class="failed"></p></form>
    <p><a href="#/public">${t("publicMap")}</a></p>`;
  document.getElementById("login")!.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      user = (await login(String(form.get("username")), String(form.get("password")))).user;
    } catch {
      document.getElementById("error")!.textContent = t("loginFailed");
      return;
    }
    localStorage.setItem("user", JSON.stringify(user));
    if (location.hash === "#/" || location.hash === "") await refresh();
    else location.hash = "#/"; // the hashchange renders, once
  });
}

async function renderHome(): Promise<void> {
  const state = await alertState().catch(() => "unsupported" as const);
  const alerts =
    state === "on" ? `<p class="ok" id="alerts-on">${t("alertsOn")}</p>`
    : state === "denied" ? `<p class="warn" id="alerts-denied">${t("alertsDenied")}</p>`
    : state === "unsupported" ? `<p class="warn">${t("alertsUnsupported")}</p>`
    : `<button class="big" id="enable-alerts">${t("enableAlerts")}</button>`;
  const rows = await Promise.all(items.map(async (m) => {
    const status = await projected(m);
    return `<li><a class="assignment ${OPEN.has(status) ? "open" : ""}" href="#/assignments/${m.assignment.id}">
      <strong>${t(`category_${m.incident.category}`)} · ${esc(m.incident.geocode.label ?? m.incident.address)}</strong>
      <span>${esc(m.incident.number)} · ${t(`status_${status}`)}</span></a></li>`;
  }));
  const fresh = banner ? items.find((i) => i.assignment.id === banner) : undefined;
  app.innerHTML = `${header()}
    ${fresh ? `<a class="alert" id="new-assignment" href="#/assignments/${fresh.assignment.id}">${t("newAssignment")}
      ${t(`category_${fresh.incident.category}`)}: ${esc(fresh.incident.geocode.label)}</a>` : ""}
    ${alerts}${isIos() ? `<p class="warn">${t("iosHint")}</p>` : ""}
    <section class="card"><label class="toggle"><input type="checkbox" id="duty" ${sharing() ? "checked" : ""}> ${t("onDuty")}</label>
      <div class="row"><span>${t("unitStatus")}</span>
      <button id="available">${t("available")}</button><button id="oos">${t("outOfService")}</button></div></section>
    <h2>${t("assignments")}</h2><ul class="list">${rows.join("") || `<li>${t("noAssignments")}</li>`}</ul>
    ${await pendingBar()}`;
  document.getElementById("enable-alerts")?.addEventListener("click", async () => { await enableAlerts(); await render(); });
  document.getElementById("duty")!.addEventListener("change", (e) => {
    if ((e.target as HTMLInputElement).checked) startSharing(user!.unit_id!); else stopSharing();
  });
  const setStatus = (status: string, label: string) =>
    enqueue(`/api/units/${user!.unit_id}/status`, { status }, label).then(render);
  document.getElementById("available")!.addEventListener("click", () => setStatus("available", t("available")));
  document.getElementById("oos")!.addEventListener("click", () => setStatus("out_of_service", t("outOfService")));
}

async function renderAssignment(id: string): Promise<void> {
  const m = items.find((i) => i.assignment.id === id);
  if (!m) { app.innerHTML = `${header()}<p>${t("noAssignments")}</p><a href="#/">${t("back")}</a>`; return; }
  if (banner === id) banner = null;
  const status = await projected(m);
  const kind = m.assignment.unit_kind;
  const steps = nextSteps(status, kind).map((to) =>
    `<button class="big next" data-to="${to}" id="next-${to}">${t(`next_${to}`)}</button>`).join("");
  const place = m.incident.location;
  let events = "";
  try {
    events = (await timeline(m.incident.id)).items.map((e) =>
      `<li><time>${new Date(e.at).toLocaleTimeString("id-ID")}</time> ${esc(t(`event_${e.kind}`, { defaultValue: e.kind }))}</li>`).join("");
  } catch { /* offline: the timeline is not essential */ }
  app.innerHTML = `${header()}<a href="#/" class="back">← ${t("back")}</a>
    <article class="card" id="assignment" data-status="${status}">
      <h2>${t(`category_${m.incident.category}`)} · ${esc(m.incident.number)}</h2>
      <p class="status">${t(`status_${status}`)}</p>
      <div class="steps">${steps}</div>
      <p>${esc(m.incident.description)}</p>
      <p><strong>${esc(m.incident.geocode.label ?? m.incident.address)}</strong><br>
        ${m.incident.address && m.incident.address !== m.incident.geocode.label ? `${esc(m.incident.address)}<br>` : ""}
        ${esc(m.incident.geocode.kelurahan ?? "")}${m.incident.geocode.kecamatan ? `, Kec. ${esc(m.incident.geocode.kecamatan)}` : ""}</p>
      ${m.assignment.distance_m == null ? "" : `<p>${t("distance", { m: Math.round(m.assignment.distance_m) })}</p>`}
      ${place ? `<div id="map"></div><a class="big nav" target="_blank" rel="noopener" href="${navigationUrl(place)}">${t("navigate")}</a>` : ""}
      ${status === "sent" ? `<details><summary>${t("decline")}</summary>
        <input id="reason" placeholder="${t("declineReason")}"><button id="decline">${t("sendDecline")}</button></details>` : ""}
    </article>
    ${await pendingBar()}
    <h3>${t("timeline")}</h3><ul class="timeline">${events}</ul>`;
  if (place) {
    map?.remove();
    map = drawAssignmentMap(document.getElementById("map")!, place, current);
  }
  const path = `/api/assignments/${id}/transition`;
  app.querySelectorAll<HTMLButtonElement>("button.next").forEach((b) =>
    b.addEventListener("click", async () => {
      const to = b.dataset.to!;
      await enqueue(path, { to, at: new Date().toISOString(), ...(current ?? {}) }, `${m.incident.number}: ${t(`next_${to}`)}`);
      await refresh();
    }));
  document.getElementById("decline")?.addEventListener("click", async () => {
    const reason = (document.getElementById("reason") as HTMLInputElement).value || "-";
    await enqueue(path, { to: "declined", reason }, `${m.incident.number}: ${t("decline")}`);
    location.hash = "#/";
    await refresh();
  });
}

async function render(): Promise<void> {
  const route = location.hash.replace(/^#/, "") || "/";
  if (route === "/public") {
    const { renderPublic } = await import("./public");
    staffView = "";
    await renderPublic(app, header());
    document.getElementById("lang")?.addEventListener("click", () => { toggleLanguage(); void render(); });
    return;
  }
  if (!user) { renderLogin(); return; }
  if (user.role !== "responder") { await renderStaff(route); return; }
  const match = route.match(/^\/assignments\/([\w-]+)$/);
  if (match) await renderAssignment(match[1]); else await renderHome();
  document.getElementById("lang")?.addEventListener("click", async () => { toggleLanguage(); await render(); });
  document.getElementById("logout")?.addEventListener("click", async () => {
    await logout().catch(() => undefined);
    user = null; items = []; localStorage.removeItem("user"); stopSharing(); location.hash = "#/login"; await render();
  });
}

let staffView = "";

/** Dispatchers (and admins) get the console; supervisors the figures, with the console a tab away. */
async function renderStaff(route: string): Promise<void> {
  const view = route === "/supervisor" || (route === "/" && user!.role === "supervisor") ? "supervisor" : "console";
  if (view === staffView) return; // the console keeps itself live; no re-render on every event
  staffView = view;
  const nav = `<nav class="tabs"><a href="#/console">${t("console")}</a><a href="#/supervisor">${t("supervisor")}</a></nav>`;
  if (view === "supervisor") {
    const { renderSupervisor } = await import("./supervisor");
    await renderSupervisor(app, header() + nav);
  } else {
    const { renderConsole } = await import("./console");
    await renderConsole(app, header() + nav);
  }
  document.getElementById("lang")?.addEventListener("click", () => { toggleLanguage(); staffView = ""; void render(); });
  document.getElementById("logout")?.addEventListener("click", async () => {
    await logout().catch(() => undefined);
    user = null; staffView = ""; localStorage.removeItem("user"); location.hash = "#/login"; location.reload();
  });
}

async function start(): Promise<void> {
  await setupI18n();
  if ("serviceWorker" in navigator) {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type === "assignment") { banner = event.data.payload.assignment_id; void refresh(); }
      if (event.data?.type === "open") { location.href = event.data.url; }
    });
  }
  const cached = localStorage.getItem("user");
  user = cached ? (JSON.parse(cached) as User) : null;
  if (user && navigator.onLine) user = await me().catch((e) => (e instanceof ApiError ? null : user));
  window.addEventListener("hashchange", () => void render());
  window.addEventListener("online", () => void render());
  window.addEventListener("offline", () => void render());
  onChange(() => void render());
  startFlushing();
  await flush();
  await refresh();
  // The live channel while the app is open, so a blocked push service leaves nobody blind.
  setInterval(() => { if (user?.role === "responder") void refresh(); }, POLL_MS);
}

void start();
export { api };
