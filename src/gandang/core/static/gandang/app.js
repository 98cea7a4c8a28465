// Small progressive enhancements; every page works without them.
document.addEventListener("submit", function (ev) {
  const btn = ev.submitter;
  const msg = btn && btn.dataset.confirm;
  if (msg && !window.confirm(msg)) { ev.preventDefault(); return; }
  // A double-clicked submit must not post twice.
  const form = ev.target;
  if (form.dataset.submitted === "1" && !form.hasAttribute("hx-get")) { ev.preventDefault(); return; }
  if (form.method && form.method.toLowerCase() === "post") { form.dataset.submitted = "1"; }
});
