// One tap turns alerts on: subscribe with the server's VAPID key and register the subscription.
import { api } from "./api";

export type AlertState = "on" | "off" | "denied" | "unsupported";

export async function alertState(): Promise<AlertState> {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  const registration = await navigator.serviceWorker.ready;
  return (await registration.pushManager.getSubscription()) ? "on" : "off";
}

export async function enableAlerts(): Promise<AlertState> {
  if ((await alertState()) === "unsupported") return "unsupported";
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return "denied";
  const registration = await navigator.serviceWorker.ready;
  const { key } = await api<{ key: string }>("GET", "/api/push/vapid-public-key");
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: key, // the Push API takes the base64url text as it is
  });
  await api("POST", "/api/push/subscriptions", subscription.toJSON());
  return "on";
}

export const isIos = (): boolean =>
  /iPhone|iPad|iPod/.test(navigator.userAgent) && !window.matchMedia("(display-mode: standalone)").matches;
