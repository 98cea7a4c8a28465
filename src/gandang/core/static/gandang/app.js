// Small progressive enhancements; every page works without them.
// What a person types is never lost: forms warn before the page is left with unsaved changes, report
// cards save drafts as they are typed, every form keeps a copy in this browser until it is sent, and
// a form sent after the session ended is filled in again after signing in (gandang.core.unsent).
(function () {
  "use strict";
  const USER = document.body.dataset.user || "";
  // The page's language (the server sends Chinese unless the person chose English).
  const EN = (document.documentElement.lang || "").indexOf("en") === 0;
  function t(zh, en) { return EN ? en : zh; }
  const STORE = "gd:";
  const dirty = new Set();
  let leaving = false;

  function hhmm(d) {
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }
  function debounce(fn, ms) {
    let t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function load(key) {
    try { return JSON.parse(localStorage.getItem(STORE + key) || "null"); } catch (e) { return null; }
  }
  function keep(key, value) {
    try { localStorage.setItem(STORE + key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }
  function drop(key) {
    try { localStorage.removeItem(STORE + key); } catch (e) { /* ignore */ }
  }
  function fieldsOf(el) {
    return Array.from(el.querySelectorAll("input, textarea, select")).filter(function (f) {
      return f.name && !f.disabled && f.type !== "file" && f.type !== "submit" && f.type !== "button" &&
        f.type !== "password" && f.name !== "csrfmiddlewaretoken";
    });
  }
  // The fields' values as [name, value] pairs, the way the browser would post them.
  function pairs(el) {
    const out = [];
    fieldsOf(el).forEach(function (f) {
      if ((f.type === "checkbox" || f.type === "radio") && !f.checked) return;
      if (f.tagName === "SELECT" && f.multiple) {
        Array.from(f.selectedOptions).forEach(function (o) { out.push([f.name, o.value]); });
        return;
      }
      out.push([f.name, f.value]);
    });
    return out;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  // Fill `el` with posted pairs; hidden fields (versions, tokens) keep what the server sent.
  function apply(el, values) {
    const byName = {};
    values.forEach(function (p) { (byName[p[0]] = byName[p[0]] || []).push(p[1]); });
    const seen = {};
    fieldsOf(el).forEach(function (f) {
      if (f.type === "hidden") return;
      const vals = byName[f.name] || [];
      if (f.type === "checkbox" || f.type === "radio") { f.checked = vals.indexOf(f.value) >= 0; return; }
      if (f.tagName === "SELECT" && f.multiple) {
        Array.from(f.options).forEach(function (o) { o.selected = vals.indexOf(o.value) >= 0; });
        return;
      }
      const i = seen[f.name] || 0;
      seen[f.name] = i + 1;
      if (i < vals.length) f.value = vals[i];
    });
    fieldsOf(el).forEach(function (f) { if (f.type !== "hidden") f.dispatchEvent(new Event("input", { bubbles: true })); });
  }
  function banner(where, text, buttons) {
    const box = document.createElement("div");
    box.className = "msg msg-warning restore-banner";
    box.setAttribute("role", "status");
    box.append(text);
    (buttons || []).forEach(function (b) {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn";
      btn.textContent = b[0];
      btn.addEventListener("click", function () { b[1](); box.remove(); });
      box.append(" ", btn);
    });
    where.prepend(box);
    return box;
  }
  function hasErrors(el) {
    return !!el.querySelector(".err, .errorlist, .has-error, .msg-error");
  }

  // --- confirmation and double submit --------------------------------------------------------------
  document.addEventListener("submit", function (ev) {
    const btn = ev.submitter;
    const msg = btn && btn.dataset.confirm;
    if (msg && !window.confirm(msg)) { ev.preventDefault(); return; }
    const form = ev.target;
    if (form.dataset.submitted === "1" && !form.hasAttribute("hx-get")) { ev.preventDefault(); return; }
    if (form.method && form.method.toLowerCase() === "post") {
      // A step (sign, issue, accept…) acts on what is saved: refused while text typed on this page
      // is not saved yet, so nobody issues or signs something other than what they see.
      const others = Array.from(dirty).filter(function (d) { return d !== form && !form.contains(d); });
      if (others.length && (form.hasAttribute("data-step") || !keepable(form)) && !form.querySelector("[data-autosave]")) {
        ev.preventDefault();
        const old = form.parentNode && form.parentNode.querySelector(".step-blocked");
        if (old) old.remove();
        banner(form.parentNode || form, t("本页还有未保存的修改，请先保存（或撤销）后再进行此操作。", "This page has unsaved changes: save (or undo) them first, then take this step.")).classList.add("step-blocked");
        others[0].scrollIntoView && others[0].scrollIntoView({ block: "center" });
        return;
      }
      form.dataset.submitted = "1";
      if (form._keepKey && dirty.has(form)) {
        // Kept until the page that answers shows it arrived (a success message).
        keep(form._keepKey, { at: Date.now(), base: form._keepBase, sent: Date.now(), fields: pairs(form) });
      }
      dirty.delete(form);
      form.querySelectorAll("[data-autosave]").forEach(function (c) { dirty.delete(c); });
      // Text typed in another form of the page would be lost: the browser asks before leaving.
      leaving = others.length === 0 && !form.hasAttribute("hx-post");
      setTimeout(function () { leaving = false; }, 1500);  // the page stayed (a download, an htmx save)
    }
  });
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) {
      leaving = false;
      document.querySelectorAll("form[data-submitted]").forEach(function (f) { delete f.dataset.submitted; });
    }
  });

  // --- unsaved changes ---------------------------------------------------------------------------------
  window.addEventListener("beforeunload", function (ev) {
    if (leaving || dirty.size === 0) return;
    ev.preventDefault();
    ev.returnValue = "";
  });

  // --- character counters (字数) -------------------------------------------------------------------
  // The limit is shown as the person types, never enforced by cutting: a paste that is too long
  // stays whole, marked in red, and the server says what to shorten.
  function counter(f) {
    const max = parseInt(f.getAttribute("maxlength") || f.dataset.maxlength || "0", 10);
    if (!max || max < 100) return;
    f.removeAttribute("maxlength");
    f.dataset.maxlength = String(max);
    const out = document.createElement("small");
    out.className = "counter";
    out.setAttribute("aria-live", "polite");
    f.insertAdjacentElement("afterend", out);
    const update = function () {
      const n = f.value.length;
      out.textContent = n > max
        ? t(n + "/" + max + "字，超出" + (n - max) + "字", n + "/" + max + ", " + (n - max) + " over the limit")
        : n + "/" + max + t("字", "");
      out.classList.toggle("over", n > max);
      f.classList.toggle("over", n > max);
    };
    f.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("textarea[maxlength], input[maxlength]").forEach(counter);

  // --- milestones: ticking one fills in its date ------------------------------------------------------
  document.addEventListener("change", function (ev) {
    const box = ev.target;
    if (box.matches && box.matches("input[type=checkbox][data-reach-date]") && box.checked) {
      const date = document.getElementById(box.dataset.reachDate);
      if (date && !date.value) {
        date.value = box.dataset.defaultDate || "";
        date.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    if (box.matches && box.matches("input[data-check-all]")) {
      const form = box.form || document;
      form.querySelectorAll('input[type=checkbox][name="' + box.dataset.checkAll + '"]').forEach(function (c) {
        c.checked = box.checked;
      });
    }
  });

  // --- the office opening a period by hand: its deadline is the chosen plan's own for that span -------------
  // (dispatch.forms.PeriodForm: data-plan-deadlines {plan id: {span's last month: "MM-DD"}}; the city's
  // month, or a plan without days of its own, is due on data-city-day of the month.)
  document.addEventListener("change", function (ev) {
    const form = ev.target.form;
    const box = form && form.querySelector("input[data-plan-deadlines]");
    if (!box || !/^(year|month|plan)$/.test(ev.target.name)) return;
    const year = parseInt(form.elements.year.value, 10);
    const month = parseInt(form.elements.month.value, 10);
    if (!(year >= 2000 && year <= 2100 && month >= 1 && month <= 12)) return;
    let own = null;
    try { own = (JSON.parse(box.dataset.planDeadlines)[form.elements.plan.value] || {})[String(month)]; } catch (e) { own = null; }
    const two = function (n) { return (n < 10 ? "0" : "") + n; };
    box.value = year + "-" + (own || two(month) + "-" + two(parseInt(box.dataset.cityDay, 10) || 25));
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // --- a choice whose own fields are being filled is the chosen one (the import page's 导入到) -------------
  function chooseOwner(ev) {
    const choice = ev.target.closest && ev.target.closest(".target-choice");
    const radio = choice && choice.querySelector("input[type=radio]");
    if (radio && ev.target !== radio && !radio.checked) radio.checked = true;
  }
  document.addEventListener("input", chooseOwner);
  document.addEventListener("change", chooseOwner);

  // --- a fresh CSRF token after signing in again in another window ---------------------------------------
  let hiddenSince = 0;
  function refreshToken() {
    return fetch("/csrf/", { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (j && j.token) {
          document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (i) { i.value = j.token; });
        }
        return j && j.token;
      })
      .catch(function () { return null; });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { hiddenSince = Date.now(); return; }
    if (hiddenSince && Date.now() - hiddenSince > 20000 && document.querySelector("form[method=post]")) {
      refreshToken().then(function () { cards.forEach(function (c) { if (c.retry) c.save(); }); });
    }
  });

  // --- report cards: drafts saved as they are typed ------------------------------------------------
  const cards = [];
  function Card(el) {
    const self = this;
    const form = el.closest("form");
    const status = el.querySelector(".autosave-status");
    const versionInput = el.querySelector('input[name="' + el.dataset.prefix + '-version"]');
    const key = "draft:" + USER + ":" + el.dataset.draftKey;
    let seq = 0, savedSeq = 0, busy = false, again = false, stopped = false, tokenTried = false;
    self.retry = false;

    function say(text, cls) {
      if (!status) return;
      status.textContent = text;
      status.className = "autosave-status small " + (cls || "muted");
    }
    function snapshot() {
      keep(key, { v: versionInput ? versionInput.value : "", at: Date.now(), fields: pairs(el) });
    }
    self.save = function () {
      if (stopped) return;
      if (busy) { again = true; return; }
      if (seq === savedSeq) { self.retry = false; return; }
      busy = true;
      const mine = seq;
      const body = new FormData();
      pairs(el).forEach(function (p) { body.append(p[0], p[1]); });
      const token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
      if (token) body.append("csrfmiddlewaretoken", token.value);
      say(t("正在保存…", "Saving…"));
      fetch(el.dataset.autosave, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      }).then(function (r) {
        return r.json().catch(function () { return { error: null }; }).then(function (j) { return [r.status, j]; });
      }).then(function (res) {
        const code = res[0], j = res[1] || {};
        busy = false;
        if (code === 200 && j.ok) {
          if (versionInput && j.version) versionInput.value = j.version;
          if (mine === seq) { savedSeq = seq; dirty.delete(el); drop(key); } else { snapshot(); }
          self.retry = false;
          tokenTried = false;
          if (!j.unchanged) say(t("已自动保存 ", "Saved automatically at ") + (j.saved_at || hhmm(new Date())) + (j.warning ? t("。", ". ") + j.warning : ""), j.warning ? "warn" : "ok");
        } else if (code === 401) {
          self.retry = true;
          say(j.error || t("登录已过期，内容已保存在本机浏览器；请在新窗口重新登录，回到本页后将自动保存。", "Your session has ended. What you typed is kept in this browser: sign in again in a new window, then come back here and it saves itself."), "err");
          showLogin();
        } else if (code === 403 && !j.error && !tokenTried) {
          tokenTried = true;  // the page's token is stale (signed in again elsewhere): fetch one and retry
          refreshToken().then(function () { self.save(); });
          return;
        } else if (code === 409) {
          stopped = true;
          say(j.error, "err");
        } else {
          self.retry = true;
          say((j.error || t("暂时无法自动保存", "Autosave is not possible right now")) + t("。内容已保存在本机浏览器，请点“保存”。", ". What you typed is kept in this browser: press \"Save\"."), "err");
        }
        if (again) { again = false; self.save(); }
      }).catch(function () {
        busy = false;
        self.retry = true;
        say(t("网络中断，内容已保存在本机浏览器，恢复后自动保存", "The network is down. What you typed is kept in this browser and saves itself when it is back."), "err");
      });
    };
    const later = debounce(self.save, 1500);
    const note = debounce(snapshot, 300);
    el.addEventListener("input", function (ev) {
      if (ev.target.type === "file") return;
      seq += 1;
      dirty.add(el);
      note();
      later();
    });
    el.addEventListener("change", function (ev) {
      if (ev.target.type === "file") { dirty.add(el); return; }
      seq += 1;
      dirty.add(el);
      note();
      later();
    });
    // A draft this browser kept that the server never got (tab closed, session ended, network down).
    const draft = load(key);
    if (draft && versionInput && String(draft.v) === versionInput.value && !same(draft.fields, pairs(el)) && !hasErrors(el)) {
      apply(el, draft.fields);
      say(t("已恢复 " + hhmm(new Date(draft.at)) + " 未保存的内容，正在保存…", "Restored what you typed at " + hhmm(new Date(draft.at)) + ", saving…"), "warn");
      seq += 1;
      dirty.add(el);
      setTimeout(self.save, 300);
    } else if (draft) {
      drop(key);
    }
  }
  function showLogin() {
    if (document.getElementById("relogin")) return;
    const box = banner(document.querySelector("main") || document.body, t("登录已过期。您填写的内容仍在本页，并已保存在本机浏览器。", "Your session has ended. What you typed is still on this page and kept in this browser."));
    box.id = "relogin";
    const a = document.createElement("a");
    a.href = "/login/?next=/signed-in/";
    a.target = "_blank";
    a.textContent = t("在新窗口重新登录", "Sign in again in a new window");
    box.append(" ", a, t("，登录后回到本页，内容会自动保存。", ", then come back to this page: your text saves itself."));
  }
  window.addEventListener("focus", function () { cards.forEach(function (c) { if (c.retry) c.save(); }); });
  setInterval(function () { cards.forEach(function (c) { if (c.retry) c.save(); }); }, 30000);
  document.querySelectorAll("[data-autosave]").forEach(function (el) { cards.push(new Card(el)); });

  // --- every other form: a copy in this browser until it is sent ------------------------------------------
  function keepable(form) {
    return (form.method || "").toLowerCase() === "post" && !form.hasAttribute("data-no-keep") && !form.hasAttribute("data-step") &&
      !form.querySelector("input[type=password]") && form.querySelector("textarea, input[type=text], input:not([type])");
  }
  const recentSend = document.querySelector(".msg-success");
  Object.keys(localStorage).forEach(function (k) {
    if (k.indexOf(STORE + "form:") !== 0) return;
    const d = load(k.slice(STORE.length));
    if (!d || Date.now() - d.at > 7 * 86400000 || (recentSend && d.sent && Date.now() - d.sent < 120000)) drop(k.slice(STORE.length));
  });
  // Forms arrive with the page and with htmx swaps (a bulletin section's editor): set each up once.
  function setUp(form) {
    if (form._keepKey !== undefined || !keepable(form)) return;
    const action = new URL(form.action, location.href).pathname;
    const twins = Array.from(document.querySelectorAll("form")).filter(function (f) {
      return new URL(f.action, location.href).pathname === action;
    });
    const key = "form:" + USER + ":" + location.pathname + ":" + action + ":" + twins.indexOf(form);
    form._keepKey = key;
    const version = form.querySelector("input[name=version], input[name$=-version]");
    const base = version ? version.value : "";
    form._keepBase = base;
    const draft = load(key);
    if (draft) {
      if (hasErrors(form) || draft.base !== base || same(draft.fields, pairs(form))) {
        drop(key);
      } else {
        const fold = form.closest("details");
        if (fold) fold.open = true;
        banner(form, t("本页有您 " + hhmm(new Date(draft.at)) + " 填写、尚未保存成功的内容。", "This page has text you entered at " + hhmm(new Date(draft.at)) + " that was not saved."), [
          [t("恢复", "Restore"), function () { apply(form, draft.fields); dirty.add(form); }],
          [t("丢弃", "Discard"), function () { drop(key); }],
        ]);
      }
    }
    form._note = debounce(function () { keep(key, { at: Date.now(), base: base, sent: null, fields: pairs(form) }); }, 400);
  }
  function noteTyping(ev) {
    const form = ev.target.form;
    if (!form || !form._note || ev.target.type === "file") return;
    dirty.add(form);
    form._note();
  }
  document.addEventListener("input", noteTyping);
  document.addEventListener("change", noteTyping);
  document.querySelectorAll("form").forEach(setUp);
  document.addEventListener("htmx:load", function (ev) {
    const root = ev.detail && ev.detail.elt;
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll("textarea[maxlength], input[maxlength]").forEach(counter);
    (root.tagName === "FORM" ? [root] : Array.from(root.querySelectorAll("form"))).forEach(setUp);
  });
  // An htmx save that answered replaces its form: what it held is saved (or shown back with errors).
  document.addEventListener("htmx:beforeSwap", function (ev) {
    const target = ev.detail && ev.detail.target;
    if (!target) return;
    Array.from(dirty).forEach(function (d) { if (d === target || target.contains(d)) dirty.delete(d); });
  });

  // --- ordered places (OrderedSelects): move a choice up or down a place ------------------------------
  // Without script the places are changed by choosing another record in each; these buttons swap two.
  function orderedPlaces(root) {
    root.querySelectorAll("ol.ordered-selects").forEach(function (list) {
      if (list.dataset.moves) return;
      list.dataset.moves = "1";
      const selects = Array.from(list.querySelectorAll("select"));
      selects.forEach(function (sel, i) {
        const own = sel.closest("li").querySelector("label");  // 第1位 (the field's label is the first's too)
        const name = (own ? own.textContent : String(i + 1)).trim();
        [[-1, "↑", t("上移", "Move up")], [1, "↓", t("下移", "Move down")]].forEach(function (m) {
          const btn = document.createElement("button");
          btn.type = "button";
          btn.className = "btn";
          btn.textContent = m[1];
          btn.setAttribute("aria-label", name + " " + m[2]);
          btn.title = m[2];
          const other = selects[i + m[0]];
          btn.disabled = !other;
          btn.addEventListener("click", function () {
            if (!other) return;
            const v = sel.value;
            sel.value = other.value;
            other.value = v;
            [sel, other].forEach(function (s) { s.dispatchEvent(new Event("change", { bubbles: true })); });
            (other.closest("li").querySelector("button[title='" + m[2] + "']") || other).focus();
          });
          sel.parentNode.append(btn);
        });
      });
    });
  }
  orderedPlaces(document);
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail && ev.detail.elt && ev.detail.elt.querySelectorAll) orderedPlaces(ev.detail.elt);
  });

  // --- a form posted after the session ended, back on its page after signing in ------------------------
  const unsent = document.getElementById("gd-unsent");
  if (unsent) {
    let kept = null;
    try { kept = JSON.parse(unsent.textContent); } catch (e) { kept = null; }
    if (kept && kept.fields) {
      const target = Array.from(document.querySelectorAll("form")).find(function (f) {
        return new URL(f.action, location.href).pathname === kept.action;
      });
      if (target) {
        apply(target, kept.fields);
        dirty.add(target);
        target.querySelectorAll("[data-autosave]").forEach(function (c) { c.dispatchEvent(new Event("change")); });
        banner(target, t("已填回您登录过期前填写的内容，请核对后再提交。", "What you entered before your session ended is filled in again: check it, then send it.") + (kept.files ? t("所选的附件需要重新选择。", " Files you chose must be chosen again.") : ""));
      }
    }
  }
})();
