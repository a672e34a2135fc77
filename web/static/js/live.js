// OurSay live counts. app.js loads this module only on pages with
// [data-live-topic] elements. Without it (or without JavaScript) a page
// shows the counts as they were when it loaded.
//
// Markup: an element with data-live-topic="petition:7" (or ballot:ID,
// consultation:SLUG) holds elements with data-live="FIELD", where FIELD
// is a number in the topic's messages (signature_count, percent,
// votes_cast, turnout_percent, response_count …) or a path into one
// (count:QUESTION:CHOICE, percent:QUESTION:CHOICE, answered:QUESTION);
// "progress" is the petition's percent. A bar's fill
// (.oursay-progress__fill) gets its width class set, anything else its text. data-live-plural="one|many" on the element just
// after a number words it.
//
// Messages arrive over a websocket at /live; each carries topic and seq,
// and a message older than one already shown is ignored. The socket is
// reopened with exponential backoff and jitter; after repeated failures
// (a proxy that blocks websockets, say) the JSON API is polled instead,
// and websockets are tried again now and then.

const MAX_BACKOFF = 30000;
const FAILS_BEFORE_POLLING = 4;
const POLL_EVERY = 15000;
const RETRY_SOCKET_EVERY = 8; // polls

const roots = [...document.querySelectorAll("[data-live-topic]")];
const topics = [...new Set(roots.map((el) => el.dataset.liveTopic))];
const lastSeq = new Map();
const milestones = new Map();
let failures = 0;
let polling = null;
let polls = 0;

const announcer = document.createElement("div");
announcer.className = "govuk-visually-hidden";
announcer.setAttribute("aria-live", "polite");
announcer.setAttribute("role", "status");
document.body.append(announcer);

function announce(text) {
  // Clear first so a repeated sentence is read again.
  announcer.textContent = "";
  setTimeout(() => { announcer.textContent = text; }, 100);
}

const numbers = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });

// value finds FIELD, or a path like count:QUESTION:CHOICE, in a message.
function value(msg, field) {
  if (field === "progress") return msg.percent;
  const [kind, q, choice] = field.split(":");
  if (q === undefined) return msg[field];
  const tally = msg.questions && msg.questions[q];
  if (!tally) return undefined;
  if (kind === "answered") return tally.answered;
  if (kind === "count") return tally.counts && tally.counts[choice];
  if (kind === "percent") return tally.percents && tally.percents[choice];
  return undefined;
}

function apply(msg) {
  if (typeof msg.topic !== "string" || msg.error) return;
  const seq = Number(msg.seq) || 0;
  if (seq && seq <= (lastSeq.get(msg.topic) || 0)) return;
  if (seq) lastSeq.set(msg.topic, seq);
  for (const root of roots) {
    if (root.dataset.liveTopic !== msg.topic) continue;
    for (const el of root.querySelectorAll("[data-live]")) {
      const v = value(msg, el.dataset.live);
      if (typeof v !== "number") continue;
      if (el.classList.contains("oursay-progress__fill")) {
        // A bar's width is a class, --0 to --100 (the CSP forbids inline styles).
        const width = Math.max(0, Math.min(100, Math.round(v)));
        for (const c of [...el.classList]) {
          if (/^oursay-progress__fill--\d+$/.test(c)) el.classList.remove(c);
        }
        el.classList.add(`oursay-progress__fill--${width}`);
        continue;
      }
      el.textContent = numbers.format(v);
      const next = el.nextElementSibling;
      if (next && next.dataset.livePlural) {
        const [one, many] = next.dataset.livePlural.split("|");
        next.textContent = v === 1 ? one : many;
      }
    }
  }
  milestone(msg);
}

// milestone announces 25, 50, 75 and 100% of a petition's threshold as the
// count passes them; the first message only sets where the page started.
function milestone(msg) {
  if (typeof msg.milestone !== "number") return;
  const before = milestones.get(msg.topic);
  milestones.set(msg.topic, msg.milestone);
  if (before === undefined || msg.milestone <= before) return;
  const count = numbers.format(msg.signature_count);
  if (msg.milestone >= 100) {
    announce(`This petition has reached its threshold: ${count} confirmed signatures.`);
  } else {
    announce(`This petition has reached ${msg.milestone}% of its threshold: ${count} confirmed signatures.`);
  }
}

function backoff(n) {
  const base = Math.min(MAX_BACKOFF, 1000 * 2 ** n);
  return base / 2 + Math.random() * base / 2;
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = topics.map((t) => "topic=" + encodeURIComponent(t)).join("&");
  let ws;
  try {
    ws = new WebSocket(`${scheme}//${location.host}/live?${query}`);
  } catch {
    failures++;
    failed();
    return;
  }
  let heard = false;
  ws.addEventListener("message", (e) => {
    if (!heard) {
      heard = true;
      failures = 0;
      lastSeq.clear(); // a restarted server counts seq from 1 again
      stopPolling();
    }
    try { apply(JSON.parse(e.data)); } catch { /* a bad message changes nothing */ }
  });
  ws.addEventListener("close", () => {
    // After a working connection (a server restart, say) wait a second or
    // two, so thousands of pages do not all come back at once.
    failures = heard ? 0 : failures + 1;
    failed(heard ? 1 : failures);
  });
  addEventListener("pagehide", () => ws.close(), { once: true });
}

function failed(attempt = failures) {
  if (failures >= FAILS_BEFORE_POLLING) {
    startPolling();
    return;
  }
  setTimeout(connect, backoff(attempt));
}

// The JSON API, read into the shape of a live message.
async function fetchTopic(topic) {
  const [kind, key] = topic.split(":");
  const path = { petition: "petitions", ballot: "ballots", consultation: "consultations" }[kind];
  if (!path) return null;
  const res = await fetch(`/api/${path}/${encodeURIComponent(key)}`, { headers: { Accept: "application/json" } });
  if (!res.ok) return null;
  const doc = await res.json();
  if (kind === "petition") return petitionFromAPI(topic, doc);
  if (kind === "ballot") return ballotFromAPI(topic, doc);
  return consultationFromAPI(topic, doc);
}

function petitionFromAPI(topic, p) {
  if (typeof p.signature_count !== "number") return { topic, status: p.status };
  const pct = p.threshold > 0 ? Math.min(100, Math.round(p.signature_count * 100 / p.threshold)) : 0;
  let reached = 0;
  for (const m of [25, 50, 75, 100]) if (p.threshold > 0 && p.signature_count * 100 >= p.threshold * m) reached = m;
  return { topic, status: p.status, signature_count: p.signature_count, threshold: p.threshold, percent: pct, milestone: reached };
}

function ballotFromAPI(topic, b) {
  const t = b.turnout || {};
  return { topic, status: b.status, votes_cast: t.votes_cast, eligible: t.codes_issued,
    turnout_percent: typeof t.basis_points === "number" ? t.basis_points / 100 : undefined };
}

function consultationFromAPI(topic, c) {
  const questions = {};
  for (const q of c.questions || []) {
    if (!q.tally) continue;
    // The server's shares (largest remainder), as the page shows them.
    questions[q.id] = { answered: q.tally.answered, counts: q.tally.counts, percents: q.tally.percents || {} };
  }
  return { topic, status: c.status, response_count: c.results_public ? c.response_count : undefined, questions };
}

async function poll() {
  polls++;
  if (polls % RETRY_SOCKET_EVERY === 0) {
    failures = FAILS_BEFORE_POLLING - 1; // one more try; failing again resumes polling
    stopPolling();
    connect();
    return;
  }
  for (const topic of topics) {
    try {
      const msg = await fetchTopic(topic);
      if (msg) apply(msg);
    } catch { /* offline for now: try again at the next poll */ }
  }
}

function startPolling() {
  if (polling) return;
  polling = setInterval(poll, POLL_EVERY + Math.random() * 2000);
  poll();
}

function stopPolling() {
  if (!polling) return;
  clearInterval(polling);
  polling = null;
}

if (topics.length > 0) connect();
