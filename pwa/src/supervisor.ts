// The supervisor's figures: calls per day by verdict (Chart.js), the valid share, repeat numbers,
// median response times per kecamatan, and CSV exports for a date range.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { api } from "./api";
import { t } from "./i18n";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

interface Stats {
  calls_total: number; by_verdict: Record<string, number>; valid_share: number | null;
  per_day: { day: string; by_verdict: Record<string, number> }[];
  top_repeat_numbers: { number: string; calls: number; pranks: number }[];
  median_response: { incidents: number; answer_to_dispatch_s: number | null; dispatch_to_scene_s: number | null };
  per_kecamatan: { kecamatan: string; incidents: number; answer_to_dispatch_s: number | null; dispatch_to_scene_s: number | null }[];
}

const VERDICTS = ["emergency", "duplicate", "prank", "silent", "non_emergency", "wrong_number", "test", "untriaged"];
const COLOURS = ["#c62828", "#ef9a9a", "#6d4c41", "#90a4ae", "#1e88e5", "#fbc02d", "#8e24aa", "#bdbdbd"];
let chart: Chart | null = null;
// Dates are WIB calendar days, whatever the browser's own zone is.
const WIB_MS = 7 * 3_600_000;
const day = (d: Date) => new Date(d.getTime() + WIB_MS).toISOString().slice(0, 10);
const secs = (v: number | null) => (v == null ? "—" : String(Math.round(v)));

export async function renderSupervisor(root: HTMLElement, header: string): Promise<void> {
  root.classList.add("wide");
  const until = new Date(Date.now() + 86_400_000);
  const since = new Date(Date.now() - 30 * 86_400_000);
  root.innerHTML = `${header}<section class="supervisor">
    <form id="period" class="row">${t("period")}
      <input type="date" name="since" value="${day(since)}"> – <input type="date" name="until" value="${day(until)}">
      <button>OK</button></form>
    <div id="figures"></div><div class="chart"><canvas id="per-day"></canvas></div><div id="tables"></div></section>`;
  const form = document.getElementById("period") as HTMLFormElement;
  const load = async () => {
    const values = new FormData(form);
    const range = `since=${values.get("since")}T00:00:00%2B07:00&until=${values.get("until")}T00:00:00%2B07:00`;
    const stats = await api<Stats>("GET", `/api/stats?${range}`);
    draw({ ...stats, per_day: everyDay(String(values.get("since")), String(values.get("until")), stats.per_day) }, range);
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); void load(); });
  await load();
}

/** A day with no calls is a zero on the chart, not a missing bar. */
function everyDay(since: string, until: string, days: Stats["per_day"]): Stats["per_day"] {
  const known = new Map(days.map((d) => [d.day, d.by_verdict]));
  const out: Stats["per_day"] = [];
  for (let d = new Date(`${since}T00:00:00Z`); d < new Date(`${until}T00:00:00Z`) && out.length < 400; d.setUTCDate(d.getUTCDate() + 1)) {
    const key = d.toISOString().slice(0, 10);
    out.push({ day: key, by_verdict: known.get(key) ?? {} });
  }
  return out;
}

function draw(stats: Stats, range: string): void {
  const share = stats.valid_share == null ? "—" : `${(stats.valid_share * 100).toFixed(1)} %`;
  document.getElementById("figures")!.innerHTML = `<div class="figure"><strong id="calls-total">${stats.calls_total}</strong> ${t("callsTotal")}</div>
    <div class="figure"><strong id="valid-share">${share}</strong> ${t("validShare")}</div>
    <div class="figure"><strong>${secs(stats.median_response.answer_to_dispatch_s)} s</strong> ${t("answerToDispatch")}</div>
    <div class="figure"><strong>${secs(stats.median_response.dispatch_to_scene_s)} s</strong> ${t("dispatchToScene")}</div>
    <a class="button" href="/api/export/calls.csv?${range}">${t("export")}: calls</a>
    <a class="button" href="/api/export/incidents.csv?${range}">${t("export")}: incidents</a>`;
  chart?.destroy();
  chart = new Chart(document.getElementById("per-day") as HTMLCanvasElement, {
    type: "bar",
    data: {
      labels: stats.per_day.map((d) => d.day),
      datasets: VERDICTS.map((v, i) => ({ label: t(`verdict_${v}`), data: stats.per_day.map((d) => d.by_verdict[v] ?? 0), backgroundColor: COLOURS[i] })),
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true } } },
  });
  document.getElementById("tables")!.innerHTML = `<div><h3>${t("topRepeat")}</h3><table><tr><th>#</th><th>n</th><th>${t("verdict_prank")}</th></tr>
    ${stats.top_repeat_numbers.map((r) => `<tr><td>${r.number}</td><td>${r.calls}</td><td>${r.pranks}</td></tr>`).join("")}</table></div>
    <div><h3>${t("medians")}</h3><table><tr><th>Kecamatan</th><th>n</th><th>${t("answerToDispatch")}</th><th>${t("dispatchToScene")}</th></tr>
    ${stats.per_kecamatan.map((k) => `<tr><td>${k.kecamatan}</td><td>${k.incidents}</td><td>${secs(k.answer_to_dispatch_s)}</td><td>${secs(k.dispatch_to_scene_s)}</td></tr>`).join("")}</table></div>`;
}
