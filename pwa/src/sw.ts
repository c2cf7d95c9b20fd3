/// <reference lib="webworker" />
// The service worker: the offline app shell (Workbox precache, purged on activate), the push
// alert with "Terima" / "Tolak", and re-subscription when the browser rotates the subscription.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";

declare const self: ServiceWorkerGlobalScope;

const RUNTIME_CACHE = "siaga-runtime-v1";

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL("index.html"), { denylist: [/^\/api\//, /^\/schema/] }));

self.addEventListener("install", () => void self.skipWaiting());
self.addEventListener("activate", (event) => {
  // Versioned runtime caches: anything not of this version goes.
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(names.filter((n) => n.startsWith("siaga-runtime-") && n !== RUNTIME_CACHE).map((n) => caches.delete(n))),
    ),
  );
});
clientsClaim();

interface AssignmentPush {
  type: "assignment"; assignment_id: string; incident_id: string; number: string; category: string;
  label: string; kelurahan: string | null; distance_m: number | null; url: string;
}

const CATEGORY: Record<string, string> = {
  fire: "Kebakaran", medical: "Medis", security: "Keamanan", accident: "Kecelakaan", disaster: "Bencana", other: "Lainnya",
};

self.addEventListener("push", (event) => {
  const payload = (event.data?.json() ?? {}) as AssignmentPush;
  if (payload.type !== "assignment") return;
  const distance = payload.distance_m == null ? "" : ` · ${Math.round(payload.distance_m)} m`;
  event.waitUntil(
    Promise.all([
      self.registration.showNotification(`${CATEGORY[payload.category] ?? payload.category}: ${payload.label}`, {
        body: `${payload.number} · ${payload.kelurahan ?? ""}${distance}`,
        tag: `assignment-${payload.assignment_id}`, // a re-send replaces, never stacks
        requireInteraction: true,
        data: payload,
        actions: [
          { action: "accept", title: "Terima" },
          { action: "decline", title: "Tolak" },
        ],
      } as NotificationOptions),
      self.clients.matchAll({ type: "window" }).then((windows) =>
        windows.forEach((w) => w.postMessage({ type: "assignment", payload })),
      ),
    ]),
  );
});

async function accept(payload: AssignmentPush): Promise<void> {
  // Accepting from the notification needs no open app: the session cookie authenticates.
  await fetch(`/api/assignments/${payload.assignment_id}/transition`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", "Idempotency-Key": `notification-accept-${payload.assignment_id}` },
    body: JSON.stringify({ to: "accepted" }),
  });
}

async function openApp(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    await client.focus();
    client.postMessage({ type: "open", url });
    return;
  }
  await self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  const payload = event.notification.data as AssignmentPush;
  event.notification.close();
  event.waitUntil(event.action === "accept" ? accept(payload) : openApp(payload.url));
});

self.addEventListener("pushsubscriptionchange", (event) => {
  const renew = async () => {
    const { key } = await (await fetch("/api/push/vapid-public-key")).json();
    const subscription = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    await fetch("/api/push/subscriptions", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(subscription.toJSON()),
    });
  };
  (event as ExtendableEvent).waitUntil(renew());
});
