// Conditional reveal for radios (GOV.UK's pattern): a radio with
// data-reveal names the block of fields under it, shown only while it is
// chosen. Without JavaScript every block shows (the CSS hides
// .govuk-radios__conditional--hidden only once JavaScript runs), and the
// server reads only the chosen answer's fields. This replaces
// govuk-frontend's own, which sets aria-expanded on radios, an attribute
// a radio may not carry.
for (const group of document.querySelectorAll("[data-reveals]")) {
  const radios = [...group.querySelectorAll("input[type=radio]")];
  const update = () => {
    for (const r of radios) {
      const block = r.dataset.reveal && document.getElementById(r.dataset.reveal);
      if (block) block.classList.toggle("govuk-radios__conditional--hidden", !r.checked);
    }
  };
  for (const r of radios) r.addEventListener("change", update);
  update();
}
