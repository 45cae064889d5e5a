// The "Fill in a form" view (day 5): with the box ticked, the page asks /api/form instead of
// /api/generate. Each `patch` event holds RFC 6902 operations (the server's JsonOutputParser(diff=True));
// fast-json-patch (vendor/fast-json-patch, the global `jsonpatch`) applies them to the object so
// far, and every field of #answer-form shows its key's value while the model is still writing it.
// app.js calls active(), reset(), apply(), done() and interrupt().
"use strict";

const formView = (() => {
  const form = document.getElementById("answer-form");
  const toggle = document.getElementById("show-form");
  const steps = document.getElementById("show-steps");
  let answer = null; // what the patches have built so far

  // A field shows text: a list one item per line, a number as written.
  function text(value) {
    if (value === undefined || value === null) return "";
    if (Array.isArray(value)) return value.map(text).join("\n");
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  // The top-level key an operation changes: "/key_points/1" -> "key_points" (RFC 6901 escapes undone).
  function key(operation) {
    return (operation.path.split("/")[1] || "").replace(/~1/g, "/").replace(/~0/g, "~");
  }

  function apply(operations) {
    // The first patch replaces the root (path ""), so use the document applyPatch returns.
    answer = jsonpatch.applyPatch(answer, operations, true).newDocument;
    const changed = new Set(operations.map(key));
    const object = answer !== null && typeof answer === "object" ? answer : {};
    for (const field of form.elements) {
      field.value = text(object[field.name]);
      field.dataset.state = changed.has(field.name) ? "writing" : field.value ? "filled" : "empty";
    }
  }

  function setStates(from, to) {
    for (const field of form.elements) {
      if (field.dataset.state === from) field.dataset.state = to;
    }
  }

  function reset() {
    answer = null;
    for (const field of form.elements) {
      field.value = "";
      field.dataset.state = "empty";
    }
  }

  function showPanel() {
    document.getElementById("form-view").hidden = !toggle.checked;
    document.getElementById("answer-view").hidden = toggle.checked;
  }

  // One view at a time: the form's answer has no steps, and the steps' answer is not a form.
  function untick(box) {
    if (!box.checked) return;
    box.checked = false;
    box.dispatchEvent(new Event("change"));
  }

  toggle.addEventListener("change", () => {
    if (toggle.checked) untick(steps);
    showPanel();
  });
  steps.addEventListener("change", () => steps.checked && untick(toggle));
  form.addEventListener("submit", (event) => event.preventDefault());
  if (toggle.checked) untick(steps); // a reload may keep the boxes ticked
  showPanel();

  return {
    active: () => toggle.checked,
    reset,
    apply,
    done: () => setStates("writing", "filled"),
    interrupt: () => setStates("writing", "interrupted"),
    value: () => answer,
  };
})();
