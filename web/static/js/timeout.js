// The session timeout warning (GOV.UK's pattern), for staff pages only:
// <body data-session-idle="SECONDS">. Before the session ends a modal
// dialog offers "Stay signed in" (GET /admin/session renews it) or "Sign
// out". If it ends, the dialog says so: a form sent then is kept and
// offered again after signing in. Without JavaScript nothing changes.
const idle = Number(document.body.dataset.sessionIdle);
// Warn 5 minutes before, or halfway through a shorter session.
const warnBefore = Math.min(300, idle / 2);

let warnTimer, endTimer, tick, endsAt;

function text(seconds) {
  if (seconds >= 120) return `${Math.ceil(seconds / 60)} minutes`;
  if (seconds >= 60) return "1 minute";
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

const dialog = document.createElement("dialog");
dialog.className = "oursay-timeout";
dialog.setAttribute("aria-labelledby", "timeout-heading");
dialog.setAttribute("aria-describedby", "timeout-message");
Object.assign(dialog.style, { maxWidth: "32rem", padding: "1.5rem", border: "5px solid #0b0c0c" });
dialog.innerHTML = `
  <h2 class="govuk-heading-m" id="timeout-heading" tabindex="-1">You’re about to be signed out</h2>
  <p class="govuk-body" id="timeout-message">For your security, we will sign you out in <strong id="timeout-left"></strong>.</p>
  <p class="govuk-visually-hidden" aria-live="polite" id="timeout-live"></p>
  <div class="govuk-button-group">
    <button type="button" class="govuk-button" id="timeout-stay">Stay signed in</button>
    <form method="post" action="/admin/signout"><button type="submit" class="govuk-button govuk-button--secondary">Sign out</button></form>
  </div>`;
document.body.append(dialog);
const left = dialog.querySelector("#timeout-left");
const live = dialog.querySelector("#timeout-live");

function schedule() {
  clearTimeout(warnTimer);
  clearTimeout(endTimer);
  clearInterval(tick);
  endsAt = Date.now() + idle * 1000;
  warnTimer = setTimeout(warn, (idle - warnBefore) * 1000);
  endTimer = setTimeout(ended, idle * 1000);
}

function remaining() {
  return Math.max(0, Math.round((endsAt - Date.now()) / 1000));
}

function warn() {
  const update = () => {
    const s = remaining();
    left.textContent = text(s);
    // Screen readers hear the time each minute, then at 30 and 10 seconds.
    if (s % 60 === 0 || s === 30 || s === 10) live.textContent = `You will be signed out in ${text(s)}.`;
  };
  update();
  live.textContent = `You will be signed out in ${text(remaining())}.`;
  tick = setInterval(update, 1000);
  if (!dialog.open) dialog.showModal();
  dialog.querySelector("#timeout-stay").focus();
}

function ended() {
  clearInterval(tick);
  const next = encodeURIComponent(location.pathname + location.search);
  dialog.querySelector("#timeout-heading").textContent = "You have been signed out";
  dialog.querySelector("#timeout-message").textContent =
    "You did not do anything for a while, so we signed you out to keep residents’ data safe. " +
    "What you typed on this page is still here but has not been saved. If you send it, you will be asked to sign in and it will be kept.";
  dialog.querySelector(".govuk-button-group").innerHTML =
    `<a class="govuk-button" href="/admin/signin?next=${next}">Sign in again</a>` +
    `<button type="button" class="govuk-button govuk-button--secondary" id="timeout-close">Stay on this page</button>`;
  dialog.querySelector("#timeout-close").addEventListener("click", () => dialog.close());
  if (!dialog.open) dialog.showModal();
  dialog.querySelector("#timeout-heading").focus();
}

async function stay() {
  try {
    const res = await fetch("/admin/session", { credentials: "same-origin", redirect: "manual" });
    if (res.status !== 204) return ended();
  } catch {
    return; // offline: leave the warning up
  }
  dialog.close();
  schedule();
}

dialog.querySelector("#timeout-stay").addEventListener("click", stay);
// Escape means "stay signed in", as on GOV.UK.
dialog.addEventListener("cancel", (e) => {
  if (remaining() > 0) {
    e.preventDefault();
    stay();
  }
});
schedule();
