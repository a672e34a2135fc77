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

// Copy buttons: a hidden wrapper holding <button data-copy="TEXT"> and a
// [data-copy-status] element is shown only where the browser lets the page
// write to the clipboard; without it the text stays on the page to select.
for (const button of document.querySelectorAll("button[data-copy]")) {
  if (!navigator.clipboard || !window.isSecureContext) continue;
  const wrapper = button.closest("[hidden]");
  if (wrapper) wrapper.hidden = false;
  const status = wrapper && wrapper.querySelector("[data-copy-status]");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      if (status) status.textContent = "Link copied";
    } catch {
      if (status) status.textContent = "Your browser did not allow copying: select the link above and copy it";
    }
  });
}
