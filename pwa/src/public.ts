// The public page: where emergencies happen and how the 112 service performs, for everyone,
// with no log-in. Only the privacy-safe /api/public answers are used.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from "chart.js";
import { t } from "./i18n";
import { publicMap } from "./map";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

interface PublicStats {
  calls_total: number; by_verdict: Record<string, number>; valid_share: number | null;
  incidents_by_category: Record<string, number>; incidents_by_kecamatan: Record<string, number>;
  median_response_s: { answer_to_dispatch: number | null; dispatch_to_scene: number | null };
}

const CENTRE = { lat: 3.3285, lon: 99.1577 };
let charts: Chart[] = [];

export async function renderPublic(root: HTMLElement, header: string): Promise<void> {
  root.innerHTML = `${header}<section class="public">
    <h2>${t("publicTitle")}</h2>
    <form id="public-filter" class="row">
      <select name="category"><option value="">${t("allCategories")}</option>${["fire", "medical", "security", "accident", "disaster", "other"]
        .map((c) => `<option value="${c}">${t(`category_${c}`)}</option>`).join("")}</select>
      <input type="month" name="since"><input type="month" name="until"><button>OK</button></form>
    <div id="public-map"></div>
    <div id="public-figures"></div>
    <div class="chart small"><canvas id="by-category"></canvas></div>
    <div class="chart small"><canvas id="by-verdict"></canvas></div>
    <p class="note">${t("publicNote")}</p></section>`;
  const form = document.getElementById("public-filter") as HTMLFormElement;
  const query = () => {
    const values = new FormData(form);
    const params = new URLSearchParams();
    for (const key of ["category", "since", "until"]) if (values.get(key)) params.set(key, String(values.get(key)));
    return params;
  };
  const map = await publicMap(document.getElementById("public-map")!, CENTRE, async (zoom) => {
    const params = query();
    params.set("zoom", String(zoom));
    return (await fetch(`/api/public/heatmap?${params}`)).json();
  });
  const figures = async () => {
    const params = query();
    params.delete("category");
    const stats = (await (await fetch(`/api/public/stats?${params}`)).json()) as PublicStats;
    const share = stats.valid_share == null ? "—" : `${(stats.valid_share * 100).toFixed(1)} %`;
    const minutes = (s: number | null) => (s == null ? "—" : `${(s / 60).toFixed(1)} ${t("minutes")}`);
    document.getElementById("public-figures")!.innerHTML = `
      <div class="figure"><strong id="public-valid-share">${share}</strong> ${t("validShare")}</div>
      <div class="figure"><strong>${stats.calls_total}</strong> ${t("callsTotal")}</div>
      <div class="figure"><strong>${minutes(stats.median_response_s.dispatch_to_scene)}</strong> ${t("dispatchToScene")}</div>`;
    charts.forEach((c) => c.destroy());
    const bar = (id: string, data: Record<string, number>, label: (k: string) => string) =>
      new Chart(document.getElementById(id) as HTMLCanvasElement, {
        type: "bar",
        data: { labels: Object.keys(data).map(label), datasets: [{ data: Object.values(data), backgroundColor: "#c62828" }] },
        options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } } },
      });
    charts = [
      bar("by-category", stats.incidents_by_category, (k) => t(`category_${k}`)),
      bar("by-verdict", stats.by_verdict, (k) => t(`verdict_${k}`)),
    ];
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); map.fire("zoomend"); void figures(); });
  await figures();
}
