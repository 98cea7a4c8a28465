/* Date fields (core.forms.DateInput) are text in 年-月-日 order whatever the browser's language: an
 * <input type=date> shows mm/dd/yyyy in an English browser. This adds a calendar button beside each one
 * that opens the browser's own date picker (showPicker on a hidden <input type=date>) and writes the
 * chosen day back as 2023-12-05. Without script, or without showPicker, the field is typed as text.
 * No inline script or style: the page runs under a strict CSP. */
(function () {
  "use strict";

  var ICON = '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M7 2h2v2h6V2h2v2h3a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 ' +
    '1-1h3zm12 8H5v9h14zM8 12h3v3H8z"/></svg>';

  // 2023-12-05, 2023-12-5, 2023/12/5, 2023.12.5, 2023年12月5日 → 2023-12-05; anything else → "".
  function iso(text) {
    var m = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*$/.exec(text || "");
    if (!m) return "";
    function two(s) { return s.length < 2 ? "0" + s : s; }
    return m[1] + "-" + two(m[2]) + "-" + two(m[3]);
  }

  function enhance(input) {
    if (input.dataset.dateReady) return;
    input.dataset.dateReady = "1";
    var native = document.createElement("input");
    native.type = "date";
    if (native.type !== "date" || typeof native.showPicker !== "function") return;
    native.className = "date-native";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "date-pick";
    button.title = input.dataset.pickLabel || "";
    button.setAttribute("aria-label", input.dataset.pickLabel || "");
    button.innerHTML = ICON;
    if (input.disabled || input.readOnly) button.disabled = true;
    // Field and button side by side, whatever the form's layout (a filter label stacks its children).
    var wrap = document.createElement("span");
    wrap.className = "date-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
    wrap.appendChild(native);

    button.addEventListener("click", function () {
      native.value = iso(input.value);
      try {
        native.showPicker();
      } catch (e) {
        input.focus();  // the picker refused (e.g. in a cross-origin frame): type the date
      }
    });
    native.addEventListener("change", function () {
      if (!native.value) return;
      input.value = native.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    });
  }

  function scan(root) {
    var inputs = (root || document).querySelectorAll("input[data-date]");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { scan(); });
  else scan();
  document.addEventListener("htmx:load", function (ev) { scan(ev.target); });
  window.gandangDateISO = iso;  // for tests
})();
