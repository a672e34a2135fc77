// Shows a choice that needs an email address (data-needs-email names the
// email field's id) only once one is typed, as GOV.UK's conditional reveal
// does. Without JavaScript the choice is always shown, with a hint saying
// it needs an email, and the server refuses it without one.
for (const group of document.querySelectorAll("[data-needs-email]")) {
  const email = document.getElementById(group.dataset.needsEmail);
  const box = group.querySelector("input[type=checkbox]");
  if (!email || !box) continue;
  const update = () => {
    // Never hide a ticked box: what a person chose stays in view.
    group.hidden = email.value.trim() === "" && !box.checked;
  };
  email.addEventListener("input", update);
  update();
}
