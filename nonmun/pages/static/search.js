// The site's search page: asks Pagefind's index (built by `nonmun build`), no server.
// A Korean query word loses its particle first ("트랜스포머는" → "트랜스포머"), as in
// nonmun's own search; Pagefind matches each word as the start of a word.
// The index is a base and, after incremental builds, a delta of the pages changed
// since (pagefind-delta/delta.json): the two are merged, and the base's hits on a
// page the delta supersedes are dropped (the delta's own hits say `delta`).
const script = document.querySelector("script[data-particles]");
const root = script.dataset.root;
const particles = script.dataset.particles.split(" ").filter(Boolean);
const hangul = /^[\uac00-\ud7a3]+$/;

export function queryWords(query) {
  return query.split(/\s+/).filter(Boolean).map((word) => {
    if (!hangul.test(word)) return word;
    const particle = particles.find((p) => word.endsWith(p) && word.length - p.length >= 2);
    return particle ? word.slice(0, -particle.length) : word;
  }).join(" ");
}

const status = document.getElementById("search-status");
const results = document.getElementById("results");
const input = document.getElementById("q");
let pagefind;
let superseded = new Set();

async function load() {
  pagefind = await import(`${root}pagefind/pagefind.js`);
  const base = new URL(root, location.href).pathname;
  await pagefind.options({ baseUrl: base });
  const delta = await fetch(`${root}pagefind-delta/delta.json`, { cache: "no-cache" })
    .then((answer) => (answer.ok ? answer.json() : null))
    .catch(() => null);
  if (!delta) return;
  superseded = new Set(delta.superseded.map((path) => base + path));
  if (delta.bundle) await pagefind.mergeIndex(`${root}pagefind-delta/`, { baseUrl: base });
}

async function run(query) {
  results.replaceChildren();
  status.textContent = "";
  if (!query.trim()) return;
  if (!pagefind) await load();
  const found = await pagefind.search(queryWords(query));
  const loaded = await Promise.all(
    found.results.slice(0, 20 + Math.min(superseded.size, 30)).map((r) => r.data()),
  );
  const current = loaded.filter((hit) => !superseded.has(hit.url) || hit.meta.delta);
  const shown = current.slice(0, 20);
  const count = found.results.length - (loaded.length - current.length);
  status.textContent = shown.length
    ? script.dataset.found.replace("{n}", String(count))
    : script.dataset.none;
  for (const hit of shown) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = hit.url;
    link.textContent = hit.meta.title || hit.url;
    const excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    excerpt.innerHTML = hit.excerpt; // Pagefind's excerpt: page text with <mark> only
    item.append(link, excerpt);
    results.append(item);
  }
}

const params = new URLSearchParams(location.search);
if (params.get("q")) {
  input.value = params.get("q");
  run(input.value);
}
document.querySelector("form.search").addEventListener("submit", (event) => {
  event.preventDefault();
  history.replaceState(null, "", `?q=${encodeURIComponent(input.value)}`);
  run(input.value);
});
