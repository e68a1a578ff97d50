// The rest of sw.js (gentutor-xtask prepends VERSION, SCOPE and PRECACHE: every file of the
// build). A new build changes VERSION, so the browser installs the new worker, which downloads
// the whole new build into a new cache and takes over at once. It keeps the previous build's
// cache (and deletes older ones): a tab opened before the update still runs the previous build
// and may not have loaded its lazily loaded modules yet; they come from that cache.
//
// Requests: the class API (SCOPE + "api/") and anything not GET or not from this site go to
// the network untouched. Page loads (navigations) try the network first and fall back to the
// cached index.html (every route is the same app). The build's files are served from the
// cache first, and so are the previous build's (for a tab still running it). The cached index.html is never replaced by a fresh page load: it must name the
// hashed files of the same build as the rest of the cache.

const CACHE = 'gentutor-' + VERSION;
const INDEX = SCOPE + 'index.html';
// The generation of this build's cache: one more than any cache already there when it was
// filled (a counter, not the clock, which can go back), to tell the newest older cache.
const INSTALLED = SCOPE + '__gentutor_installed';

// The generation stored in cache `name` (0 for a cache from before generations).
async function generation(name) {
  const r = await (await caches.open(name)).match(INSTALLED);
  return r ? Number(await r.text()) || 0 : 0;
}
// A page load that hangs (a stalled connection) falls back to the cached app after this long.
const NAVIGATION_TIMEOUT_MS = 5000;
const PRECACHED = new Set(PRECACHE.map((p) => new URL(p, self.location.href).href));

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // `reload`: straight from the server, not from the HTTP cache.
    await cache.addAll(PRECACHE.map((p) => new Request(p, { cache: 'reload' })));
    const others = (await caches.keys())
      .filter((n) => n.startsWith('gentutor-') && n !== CACHE);
    const newest = Math.max(0, ...(await Promise.all(others.map(generation))));
    await cache.put(INSTALLED, new Response(String(newest + 1)));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const older = (await caches.keys())
      .filter((n) => n.startsWith('gentutor-') && n !== CACHE);
    // The previous build is the newest older cache.
    const stamps = await Promise.all(older.map(generation));
    const previous = older[stamps.indexOf(Math.max(...stamps))];
    await Promise.all(older.filter((n) => n !== previous).map((n) => caches.delete(n)));
    // Open pages use this worker now: they work offline without a reload.
    await self.clients.claim();
  })());
});

// A page whose navigation started while this worker was still installing is not claimed by
// `activate` (it did not exist yet); it asks, so its lazily loaded modules come from the cache
// (offline too) without a reload.
self.addEventListener('message', (event) => {
  if (event.data === 'claim') event.waitUntil(self.clients.claim());
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
  event.respondWith(PRECACHED.has(key) ? cacheFirst(request, key) : previousFirst(request, key));
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

// Not a file of this build: a file of the previous one (an open tab of it loading a lazily
// loaded module), else the network.
async function previousFirst(request, key) {
  const cached = await caches.match(key);
  return cached || fetch(request);
}
