// OurSay "Copy link" buttons. app.js loads this module only on pages with
// [data-copy] elements. Without it (or without JavaScript) the link is
// plain text that people select and copy themselves.
//
// Markup: an element with data-copy holds one element with
// data-copy-text, whose text is the link. The button goes after it, and a
// status line says whether the copy worked, for screen readers too.

function copyBySelection(el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

async function copy(el) {
  const text = el.textContent.trim();
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, say): fall back to selecting the text.
    }
  }
  return copyBySelection(el);
}

for (const box of document.querySelectorAll("[data-copy]")) {
  const text = box.querySelector("[data-copy-text]");
  if (!text) continue;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-2";
  button.textContent = "Copy link";
  const status = document.createElement("p");
  status.className = "govuk-body-s govuk-!-margin-bottom-0";
  status.setAttribute("role", "status");
  button.addEventListener("click", async () => {
    status.textContent = "";
    const ok = await copy(text);
    status.textContent = ok ? "Link copied" : "Your browser did not let us copy the link: select it and copy it yourself";
  });
  box.append(button, status);
}
