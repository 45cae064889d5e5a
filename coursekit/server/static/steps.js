// The "show the steps" view: with the box ticked, the page asks /api/steps instead of /api/generate
// and draws each `step` event in #steps, beside the answer: a step appears when it starts, nested
// under the step it runs in, and is marked when it ends (or interrupted, if the stream stops first).
// app.js calls endpoint(), reset(), show() and interrupt(); the labels come from #steps' data-*.
"use strict";

const stepsView = (() => {
  const list = document.getElementById("steps");
  const toggle = document.getElementById("show-steps");
  const items = new Map(); // run id -> <li>

  function setState(item, state) {
    item.dataset.status = state;
    item.querySelector(".step-state").textContent = list.dataset[state];
  }

  function newItem(step) {
    const item = document.createElement("li");
    item.dataset.id = step.id;
    item.dataset.type = step.type;
    const name = document.createElement("span");
    name.className = "step-name";
    name.textContent = step.name;
    const type = document.createElement("span");
    type.className = "step-type";
    type.textContent = step.type;
    const state = document.createElement("span");
    state.className = "step-state";
    item.append(name, type, state, document.createElement("ol"));
    setState(item, "running");
    return item;
  }

  // A step whose parent is not drawn (the chain itself) goes at the top level.
  function show(step) {
    if (step.status === "start") {
      const item = newItem(step);
      const parent = items.get(step.parent);
      (parent ? parent.querySelector(":scope > ol") : list).append(item);
      items.set(step.id, item);
    } else if (items.has(step.id)) {
      setState(items.get(step.id), "ended");
    }
  }

  function interrupt() {
    for (const item of items.values()) {
      if (item.dataset.status === "running") setState(item, "interrupted");
    }
  }

  function reset() {
    items.clear();
    list.replaceChildren();
  }

  function showPanel() {
    document.getElementById("steps-view").hidden = !toggle.checked;
    document.getElementById("views").classList.toggle("with-steps", toggle.checked);
  }

  toggle.addEventListener("change", showPanel);
  showPanel(); // a reload may keep the box ticked

  return {
    endpoint: () => (toggle.checked ? "/api/steps" : "/api/generate"),
    reset,
    show,
    interrupt,
  };
})();
