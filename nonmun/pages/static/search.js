// The site's search page: asks Pagefind's index (built by `nonmun build`), no server.
// A Korean query word loses its particle first ("트랜스포머는" → "트랜스포머"), as in
// nonmun's own search; Pagefind matches each word as the start of a word.
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

async function run(query) {
  results.replaceChildren();
  status.textContent = "";
  if (!query.trim()) return;
  if (!pagefind) {
    pagefind = await import(`${root}pagefind/pagefind.js`);
    await pagefind.options({ baseUrl: new URL(root, location.href).pathname });
  }
  const found = await pagefind.search(queryWords(query));
  const shown = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  status.textContent = shown.length
    ? script.dataset.found.replace("{n}", String(found.results.length))
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
