// The dispatcher console: the call queue triaged from the keyboard, a live map, incident creation
// with geocoding as you type, recommendations, dispatch, reassign and close.
import { api } from "./api";
import { t } from "./i18n";
import { consoleMap, type ConsoleMap, type Point } from "./map";

interface Call {
  id: string; received_at: string; caller_number: string | null; caller_imei: string | null;
  location: (Point & { accuracy_m: number | null; source: string | null }) | null; verdict: string | null;
  caller_history: { calls: number; by_verdict: Record<string, number>; flag: string };
  duplicate_candidates: { incident_id: string; number: string; distance_m: number; age_s: number }[];
}
interface Unit { id: string; callsign: string; kind: string; status: string; location: Point | null; station_id: string | null }
interface AssignmentRow { id: string; unit_id: string; callsign: string; status: string; sent_at: string }
interface Incident {
  id: string; number: string; status: string; category: string; description: string; address: string | null;
  location: Point | null; geocode: { label: string | null; kelurahan: string | null };
  recommendations: { unit_id: string; callsign: string; kind: string; distance_m: number; reason: string }[];
  shortfall: string[]; assignments: AssignmentRow[];
}
interface Candidate { label: string; lat: number; lon: number; kind: string; confidence: number; kelurahan: string | null }

const KEYS: Record<string, string> = { e: "emergency", p: "prank", s: "silent", n: "non_emergency", w: "wrong_number", t: "test", d: "duplicate" };
const CITY: Point = { lat: 3.3285, lon: 99.1577 };
const esc = (s: unknown): string =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

let queue: Call[] = [];
const units = new Map<string, Unit>();
const stations = new Map<string, Point>();
const incidents = new Map<string, Incident>();
let map: ConsoleMap | null = null;
// `moved`: the dispatcher placed the pin by hand, so the location is sent; otherwise the address
// text is, and the server geocodes it the same way (keeping the landmark's name as the label).
let form: { callId: string | null; location: Point | null; moved: boolean; candidates: Candidate[]; created: Incident | null } | null = null;
let alarm: string | null = null;
let fixing: string | null = null; // an unresolved incident waiting for the dispatcher's pin

function where(u: Unit): Point | null { return u.location ?? (u.station_id ? stations.get(u.station_id) ?? null : null); }

function drawQueue(): void {
  const current = queue[0];
  const el = document.getElementById("queue")!;
  const badge = (c: Call) => c.caller_history.flag === "none" ? "" : `<span class="flag ${c.caller_history.flag}">${t(`flag_${c.caller_history.flag}`)}</span>`;
  const counts = (c: Call) => Object.entries(c.caller_history.by_verdict).map(([v, n]) => `${t(`verdict_${v}`)} ${n}`).join(" · ");
  el.innerHTML = `<h2>${t("queue", { n: queue.length })}</h2>
    <form id="new-call" class="row"><input name="number" placeholder="${t("callerNumber")}"><button>${t("newCall")}</button></form>
    ${current ? `<article id="current-call" class="card current" data-call="${current.id}">
      <h3>${esc(current.caller_number ?? current.caller_imei ?? "—")} ${badge(current)}</h3>
      <p class="history">${t("history", { calls: current.caller_history.calls })}${counts(current) ? ` · ${counts(current)}` : ""}</p>
      ${current.location ? `<p>📍 ${current.location.lat.toFixed(5)}, ${current.location.lon.toFixed(5)} (${esc(current.location.source)}, ±${Math.round(current.location.accuracy_m ?? 0)} m)</p>` : ""}
      ${current.duplicate_candidates.map((d) => `<button class="same" data-incident="${d.incident_id}">${t("sameIncident", { number: d.number, m: Math.round(d.distance_m) })}</button>`).join("")}
      <p class="keys">${t("keys")}</p></article>` : `<p>${t("noCall")}</p>`}
    <ol id="calls">${queue.slice(1).map((c) => `<li>${esc(c.caller_number ?? c.caller_imei ?? "—")} ${badge(c)}
      <time>${new Date(c.received_at).toLocaleTimeString("id-ID")}</time></li>`).join("")}</ol>`;
  document.getElementById("new-call")!.addEventListener("submit", async (e) => {
    e.preventDefault();
    const number = String(new FormData(e.target as HTMLFormElement).get("number") || "") || null;
    await api("POST", "/api/calls", { caller_number: number }).catch((err) => alert(err.message));
  });
  document.querySelectorAll<HTMLButtonElement>("button.same").forEach((b) =>
    b.addEventListener("click", () => void triage("duplicate", b.dataset.incident)));
  if (current?.location && map) map.pin(current.location, () => undefined);
}

async function triage(verdict: string, incidentId?: string): Promise<void> {
  const call = queue[0];
  if (!call) return;
  if (verdict === "duplicate" && !incidentId) incidentId = call.duplicate_candidates[0]?.incident_id;
  if (verdict === "duplicate" && !incidentId) return;
  queue = queue.slice(1); // the next call is up at once; the server's answer follows
  drawQueue();
  await api("POST", `/api/calls/${call.id}/triage`, { verdict, ...(incidentId ? { incident_id: incidentId } : {}) });
  if (verdict === "silent") alarm = `${t("callBack")}: ${call.caller_number ?? ""}`;
  if (verdict === "emergency") openForm(call);
  drawSide();
}

function openForm(call: Call | null): void {
  form = { callId: call?.id ?? null, location: call?.location ?? null, moved: false, candidates: [], created: null };
  drawSide();
  (document.getElementById("address") as HTMLInputElement | null)?.focus();
}

function drawForm(): string {
  if (!form) return `<button id="open-form">${t("newIncident")}</button>`;
  const created = form.created;
  return `<form id="incident-form" class="card"><h3>${t("newIncident")}</h3>
    <label>${t("category")}<select name="category">${["fire", "medical", "security", "accident", "disaster", "other"]
      .map((c) => `<option value="${c}">${t(`category_${c}`)}</option>`).join("")}</select></label>
    <label>${t("description")}<input name="description" value=""></label>
    <label>${t("address")}<input id="address" name="address" autocomplete="off"></label>
    <ul id="candidates">${form.candidates.map((c, i) => `<li><button type="button" class="candidate" data-i="${i}">
      ${esc(c.label)} <small>${esc(c.kind)} · ${esc(c.kelurahan ?? "")} · ${Math.round(c.confidence * 100)}%</small></button></li>`).join("")}</ul>
    ${created ? "" : `<button class="big" id="create">${t("createIncident")}</button>`}
    ${created ? `<div id="recommendations"><h4>${t("recommended")}</h4>${created.recommendations.map((r) =>
      `<p class="rec"><strong>${esc(r.callsign)}</strong> ${Math.round(r.distance_m)} m — <small>${esc(r.reason)}</small></p>`).join("")}
      ${created.shortfall.length ? `<p class="warn">${t("shortfall", { kinds: created.shortfall.join(", ") })}</p>` : ""}
      <button type="button" class="big" id="dispatch">${t("dispatch")}</button></div>` : ""}</form>`;
}

function drawSide(): void {
  const side = document.getElementById("side")!;
  const open = [...incidents.values()].filter((i) => !["closed", "cancelled"].includes(i.status));
  const available = [...units.values()].filter((u) => u.status === "available");
  side.innerHTML = `${alarm ? `<div id="alarm" class="alarm">${esc(alarm)}</div>` : ""}${drawForm()}
    <h2>${t("incidents")}</h2><ul id="incidents">${open.map((i) => `<li class="card" data-incident="${i.id}">
      <strong>${esc(i.number)}</strong> ${t(`category_${i.category}`)} · ${esc(i.address ?? i.geocode.label)}
      <em>${t(`incident_${i.status}`)}</em>${i.location ? "" : `<p class="warn">${t("unresolved")}</p>
        <button class="fix-pin" data-id="${i.id}">${fixing === i.id ? t("clickMap") : t("dropPin")}</button>`}
      <ul>${i.assignments.map((a) => `<li data-assignment="${a.id}" data-status="${a.status}">${esc(a.callsign)}: ${t(`status_${a.status}`)}
        ${a.status === "sent" ? `<span class="timer" data-since="${a.sent_at}"></span>` : ""}</li>`).join("")}</ul>
      <select class="reassign"><option value="">${t("reassign")}…</option>${available.map((u) => `<option value="${u.id}">${esc(u.callsign)}</option>`).join("")}</select>
      <button class="close" data-id="${i.id}">${t("close")}</button></li>`).join("")}</ul>
    <h2>${t("units")}</h2><ul id="units">${[...units.values()].map((u) =>
      `<li data-unit="${u.callsign}" data-status="${u.status}"><span class="dot ${u.status}"></span>${esc(u.callsign)} · ${t(`unit_${u.status}`)}</li>`).join("")}</ul>`;
  wireSide();
}

function wireSide(): void {
  document.getElementById("open-form")?.addEventListener("click", () => openForm(null));
  const address = document.getElementById("address") as HTMLInputElement | null;
  let timer: number | undefined;
  address?.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      if (!form || address.value.trim().length < 3) return;
      try { form.candidates = (await api<{ items: Candidate[] }>("GET", `/api/geocode?q=${encodeURIComponent(address.value)}`)).items; } catch { form.candidates = []; }
      const values = new FormData(document.getElementById("incident-form") as HTMLFormElement);
      drawSide();
      restore(values);
    }, 250);
  });
  address?.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); pick(0); } });
  document.querySelectorAll<HTMLButtonElement>("button.candidate").forEach((b) => b.addEventListener("click", () => pick(Number(b.dataset.i))));
  document.getElementById("incident-form")?.addEventListener("submit", (e) => { e.preventDefault(); void create(); });
  document.getElementById("dispatch")?.addEventListener("click", () => void dispatchCreated());
  document.querySelectorAll<HTMLSelectElement>("select.reassign").forEach((s) => s.addEventListener("change", async () => {
    const id = s.closest<HTMLElement>("[data-incident]")!.dataset.incident!;
    if (s.value) await api("POST", `/api/incidents/${id}/dispatch`, { unit_ids: [s.value] }).catch((err) => alert(err.message));
  }));
  document.querySelectorAll<HTMLButtonElement>("button.close").forEach((b) => b.addEventListener("click", () => void closeIncident(b.dataset.id!)));
  document.querySelectorAll<HTMLButtonElement>("button.fix-pin").forEach((b) => b.addEventListener("click", () => {
    fixing = b.dataset.id!;
    drawSide();
  }));
}

function restore(values: FormData): void {
  for (const [name, value] of values.entries()) {
    const input = document.querySelector<HTMLInputElement | HTMLSelectElement>(`#incident-form [name=${name}]`);
    if (input) input.value = String(value);
  }
  (document.getElementById("address") as HTMLInputElement | null)?.focus();
}

function pick(i: number): void {
  const c = form?.candidates[i];
  if (!form || !c) return;
  form.location = { lat: c.lat, lon: c.lon };
  const values = new FormData(document.getElementById("incident-form") as HTMLFormElement);
  values.set("address", c.label);
  form.candidates = [c];
  drawSide();
  restore(values);
  map?.pin(form.location, (p) => { if (form) { form.location = p; form.moved = true; } });
}

async function create(): Promise<void> {
  if (!form) return;
  const values = new FormData(document.getElementById("incident-form") as HTMLFormElement);
  form.created = await api<Incident>("POST", "/api/incidents", {
    category: values.get("category"), description: values.get("description") || "-", address: values.get("address") || null,
    ...(form.location && (form.moved || !values.get("address")) ? { location: form.location } : {}),
    ...(form.callId ? { call_id: form.callId } : {}), auto_dispatch: false,
  });
  incidents.set(form.created.id, form.created);
  drawSide();
}

async function dispatchCreated(): Promise<void> {
  if (!form?.created) return;
  const done = await api<Incident>("POST", `/api/incidents/${form.created.id}/dispatch`, {});
  incidents.set(done.id, done);
  form = null;
  map?.clearPin();
  drawSide();
}

async function closeIncident(id: string): Promise<void> {
  const incident = incidents.get(id);
  if (incident?.assignments.some((a) => ["on_scene", "transporting"].includes(a.status)) && !confirm(t("confirmOnScene"))) return;
  const outcome = prompt(t("outcome"));
  if (!outcome) return;
  incidents.set(id, await api<Incident>("POST", `/api/incidents/${id}/close`, { outcome }));
  drawSide();
}

function beep(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
  } catch { /* the browser may block sound until the page is touched */ }
}

function live(): void {
  const source = new EventSource("/api/events", { withCredentials: true });
  source.addEventListener("call", (e) => {
    const call = JSON.parse((e as MessageEvent).data) as Call;
    queue = queue.filter((c) => c.id !== call.id);
    if (call.verdict === null) queue.push(call);
    queue.sort((a, b) => a.received_at.localeCompare(b.received_at));
    drawQueue();
  });
  source.addEventListener("unit", (e) => {
    const unit = JSON.parse((e as MessageEvent).data) as Unit;
    units.set(unit.id, unit);
    const at = where(unit);
    if (at) map?.unit(unit.id, unit.callsign, unit.status, at);
    drawSide();
  });
  source.addEventListener("incident", (e) => {
    const incident = JSON.parse((e as MessageEvent).data) as Incident;
    incidents.set(incident.id, incident);
    map?.incident(incident.id, incident.number, ["closed", "cancelled"].includes(incident.status) ? null : incident.location);
    drawSide();
  });
  source.addEventListener("overdue", (e) => {
    const data = JSON.parse((e as MessageEvent).data) as { callsign: string };
    alarm = t("overdue", { callsign: data.callsign });
    beep();
    drawSide();
  });
}

function onKey(e: KeyboardEvent): void {
  const target = e.target as HTMLElement;
  if (e.ctrlKey || e.metaKey || e.altKey || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
  const verdict = KEYS[e.key.toLowerCase()];
  if (verdict && queue.length) { e.preventDefault(); void triage(verdict); }
}

export async function renderConsole(root: HTMLElement, header: string): Promise<void> {
  root.innerHTML = `${header}<div class="console"><section id="queue"></section><section id="console-map"></section><section id="side"></section></div>`;
  root.classList.add("wide");
  const [calls, unitList, stationList, open] = await Promise.all([
    api<{ items: Call[] }>("GET", "/api/calls?verdict=untriaged&limit=200"),
    api<{ items: Unit[] }>("GET", "/api/units"),
    api<{ items: { id: string; location: Point }[] }>("GET", "/api/stations"),
    api<{ items: Incident[] }>("GET", "/api/incidents?status=new,dispatched,active"),
  ]);
  queue = calls.items.sort((a, b) => a.received_at.localeCompare(b.received_at));
  stationList.items.forEach((s) => stations.set(s.id, s.location));
  unitList.items.forEach((u) => units.set(u.id, u));
  open.items.forEach((i) => incidents.set(i.id, i));
  map = await consoleMap(document.getElementById("console-map")!, CITY);
  units.forEach((u) => { const at = where(u); if (at) map!.unit(u.id, u.callsign, u.status, at); });
  incidents.forEach((i) => map!.incident(i.id, i.number, i.location));
  map.onClick((p) => {
    if (fixing) { // the place the caller could not name: the server geocodes it and dispatches
      const id = fixing;
      fixing = null;
      void api<Incident>("PATCH", `/api/incidents/${id}`, { location: p })
        .then((done) => { incidents.set(done.id, done); map!.incident(done.id, done.number, done.location); drawSide(); })
        .catch((err) => alert(err.message));
      return;
    }
    if (!form) return;
    form.location = p;
    form.moved = true;
    map!.pin(p, (q) => { if (form) form.location = q; });
  });
  drawQueue();
  drawSide();
  document.addEventListener("keydown", onKey);
  live();
  window.setInterval(() => document.querySelectorAll<HTMLElement>(".timer").forEach((el) => {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(el.dataset.since!)) / 1000));
    el.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }), 1000);
}
