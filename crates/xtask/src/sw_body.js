// The rest of sw.js (gentutor-xtask prepends VERSION, SCOPE and PRECACHE: every file of the
// build). A new build changes VERSION, so the browser installs the new worker, which downloads
// the whole new build into a new cache, takes over at once and deletes the older caches.
//
// Requests: the class API (SCOPE + "api/") and anything not GET or not from this site go to
// the network untouched. Page loads (navigations) try the network first and fall back to the
// cached index.html (every route is the same app). The build's files are served from the
// cache first. The cached index.html is never replaced by a fresh page load: it must name the
// hashed files of the same build as the rest of the cache.

const CACHE = 'gentutor-' + VERSION;
const INDEX = SCOPE + 'index.html';
// A page load that hangs (a stalled connection) falls back to the cached app after this long.
const NAVIGATION_TIMEOUT_MS = 5000;
const PRECACHED = new Set(PRECACHE.map((p) => new URL(p, self.location.href).href));

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // `reload`: straight from the server, not from the HTTP cache.
    await cache.addAll(PRECACHE.map((p) => new Request(p, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((n) => n.startsWith('gentutor-') && n !== CACHE)
      .map((n) => caches.delete(n)));
    // Open pages use this worker now: they work offline without a reload.
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(SCOPE + 'api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
    return;
  }
  const key = url.origin + url.pathname;
  if (PRECACHED.has(key)) event.respondWith(cacheFirst(request, key));
});

async function navigate(request) {
  try {
    return await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(
        () => reject(new Error('no answer in ' + NAVIGATION_TIMEOUT_MS + ' ms')),
        NAVIGATION_TIMEOUT_MS)),
    ]);
  } catch (offline) {
    const cached = await caches.match(INDEX, { cacheName: CACHE });
    if (cached) return cached;
    throw offline;
  }
}

async function cacheFirst(request, key) {
  const cached = await caches.match(key, { cacheName: CACHE });
  return cached || fetch(request);
}
