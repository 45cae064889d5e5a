// The routed chat (day 6): with the box ticked, the page asks /api/route instead of /api/generate.
// Its first event, `route`, names the route the classifier chose (math, code or general, with
// `fallback: true` and its reason when the classifier failed and the general route answers); #route-badge
// shows it at once, before the answer's first token, then the answer streams below it as usual. The stop
// button aborts the fetch, and the server cancels the classifier or the answer, whichever is running.
// app.js calls active(), reset() and show(); the route names come from #route-badge's data-*.
"use strict";

const routeView = (() => {
  const badge = document.getElementById("route-badge");
  const name = document.getElementById("route-name");
  const fallback = document.getElementById("route-fallback");
  const generic = fallback.title;
  const toggle = document.getElementById("route-question");
  const others = [document.getElementById("show-steps"), document.getElementById("show-form")];

  // The route's name in the page's language; a category the page does not know is shown as sent.
  function label(category) {
    return Object.hasOwn(badge.dataset, category) ? badge.dataset[category] : category;
  }

  // Why the general route answers, as the fallback mark's tooltip; the generic reason if the server names another.
  function why(reason) {
    return reason && Object.hasOwn(fallback.dataset, reason) ? fallback.dataset[reason] : generic;
  }

  function show(route) {
    badge.dataset.route = route.category;
    badge.dataset.fallback = String(Boolean(route.fallback));
    name.textContent = label(route.category);
    fallback.hidden = !route.fallback;
    fallback.title = route.fallback ? why(route.reason) : generic;
    badge.hidden = false;
    return label(route.category);
  }

  function reset() {
    badge.hidden = true;
    fallback.hidden = true;
    fallback.title = generic;
    name.textContent = "";
    delete badge.dataset.route;
    delete badge.dataset.fallback;
  }

  // One view at a time: the steps view and the form read other endpoints, which do not route.
  function untick(box) {
    if (!box.checked) return;
    box.checked = false;
    box.dispatchEvent(new Event("change"));
  }

  toggle.addEventListener("change", () => toggle.checked && others.forEach(untick));
  for (const other of others) other.addEventListener("change", () => other.checked && untick(toggle));
  if (toggle.checked) others.forEach(untick); // a reload may keep the boxes ticked

  return {
    active: () => toggle.checked,
    reset,
    show,
  };
})();
