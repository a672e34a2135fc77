// OurSay progressive enhancement. Loaded with
//   <script type="module" src="/static/js/app.js"></script>
// in <head> (module scripts are deferred). Pages must work fully without it.
//
// This does what GOV.UK Frontend's inline <body> snippet does; our
// Content-Security-Policy (script-src 'self') forbids inline script. Only
// browsers that run ES modules get here, which is exactly the support test
// the snippet makes, so the class can be added unconditionally.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Live counts, only where a page has some to keep up to date.
if (document.querySelector("[data-live-topic]")) import("/static/js/live.js");

// "Copy link" buttons beside links to share.
if (document.querySelector("[data-copy]")) import("/static/js/copy.js");

// Radios that reveal more fields under the chosen answer.
if (document.querySelector("[data-reveals]")) import("/static/js/reveal.js");

// A choice shown only once an email address is typed.
if (document.querySelector("[data-needs-email]")) import("/static/js/needs-email.js");

// The session timeout warning, on staff pages.
if (document.body.dataset.sessionIdle) import("/static/js/timeout.js");
