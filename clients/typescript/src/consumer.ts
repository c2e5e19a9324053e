/**
 * A partner's front end keeping a copy of one site in step, written as a developer would
 * against the client generated from /api/v3/openapi.json (openapi-typescript types,
 * openapi-fetch). CI (.ci/clients) regenerates generated/api.ts from the document and
 * type-checks this file with `tsc --strict`: a change to the document that breaks it
 * breaks consumers too. `bash .ci/clients --live` also runs it (compiled to build/)
 * against gunicorn with the demo content (API_URL, API_SITE).
 */
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/api.js";

/** A sync in one language (`lang=all` has its own schemas: `SyncPageAllLanguages`). */
type SyncItem = components["schemas"]["SyncPage"]["items"][number];
type Removed = components["schemas"]["Removed"];
type NewsItem = components["schemas"]["NewsPage"];
type NewsItemAllLanguages = components["schemas"]["NewsPageAllLanguages"];

const client = createClient<paths>({ baseUrl: process.env.API_URL ?? "http://localhost:8000" });

/** One line per item: the type switch a generated client must make possible. */
export function describe(item: SyncItem): string {
  switch (item.type) {
    case "news.NewsPage":
      // In one language a translated field is a plain string.
      return `news ${item.id} of ${item.date ?? "no date"}: ${(item.title ?? "").toUpperCase()}`;
    case "events.EventPage":
      return `event ${item.id} from ${item.start ?? "?"} (${item.kind ?? "no kind"})`;
    case "home.StandardPage":
      return `page ${item.id}, ${item.body?.length ?? 0} blocks`;
    case "home.CountryHomePage":
    case "news.NewsIndexPage":
    case "events.EventIndexPage":
    case "clusters.ClusterDirectoryPage":
      return `${item.type} ${item.id} at ${item.meta.html_url ?? "no URL"}`;
    case "clusters.ClusterProfile":
      return `cluster ${item.id} in ${item.country ?? "?"}, ${item.members ?? 0} members`;
    case "partners.PartnerOrganisation":
      return `partner ${item.id}${item.is_lead_partner ? " (lead)" : ""}`;
    case "partners.ContactPerson":
      return `contact ${item.id} <${item.email ?? ""}>`;
    case "core.Sector":
      return `sector ${item.id} #${item.sort_order ?? 0}`;
    default: {
      // Every type is handled: adding one to the API makes this a compile error.
      const unknown: never = item;
      return String(unknown);
    }
  }
}

/** What the copy does with a tombstone. */
function forget(removed: Removed): string {
  return `${removed.reason} ${removed.type} ${removed.id} at ${removed.removed_at}`;
}

/** The first full pull, page by page, then returns the cursor to keep. */
export async function fullSync(site: string, lang: "en" | "cs"): Promise<string> {
  let cursor: string | undefined;
  for (;;) {
    const { data, error, response } = await client.GET("/api/v3/sync/", {
      params: { query: { site, lang, limit: 50, ...(cursor ? { cursor } : {}) } },
    });
    if (data === undefined) {
      // Problem details (`errors[]` names each parameter at fault), or no body at all.
      const culprits = error?.errors?.map((problem) => problem.parameter ?? "?").join(", ");
      throw new Error(`${response.status} ${error?.type}: ${error?.detail} (${culprits ?? ""})`);
    }
    if (data.language === "all") throw new Error("asked for English, got every language");
    for (const item of data.items) console.log(describe(item));
    for (const removed of data.deleted) console.log(forget(removed));
    cursor = data.cursor;
    if (!data.more) return cursor;
  }
}

/** A news listing, revalidated with its ETag as a browser cache would. */
export async function latestNews(): Promise<NewsItem[]> {
  const first = await client.GET("/api/v3/news/", {
    params: { query: { lang: "en", limit: 5, order: "-date" } },
  });
  if (!first.data) throw new Error(`news: ${first.response.status}`);
  const etag = first.response.headers.get("ETag") ?? "";
  const again = await client.GET("/api/v3/news/", {
    params: { query: { lang: "en", limit: 5, order: "-date" } },
    headers: { "If-None-Match": etag },
  });
  console.log(`revalidated: ${again.response.status}`);
  if (first.data.language === "all") throw new Error("asked for English, got every language");
  return first.data.items;
}

/** `lang=all`: each translated field maps every language to its text (or null). */
export async function titlesInEveryLanguage(): Promise<string[]> {
  const { data } = await client.GET("/api/v3/news/", { params: { query: { lang: "all", limit: 3 } } });
  if (!data || data.language !== "all") throw new Error("news in every language");
  return data.items.map((item: NewsItemAllLanguages) =>
    Object.entries(item.title ?? {})
      .filter(([, text]) => text)
      .map(([code, text]) => `${code}: ${text}`)
      .join(", "),
  );
}

if (process.env.API_URL) {
  const cursor = await fullSync(process.env.API_SITE ?? "CZ", "en");
  console.log(`up to date at ${cursor.slice(0, 12)}…`);
  for (const item of await latestNews()) console.log(item.id, item.date);
  for (const titles of await titlesInEveryLanguage()) console.log(titles);
}
