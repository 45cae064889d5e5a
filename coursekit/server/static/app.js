// The day-3 page: log in, POST a prompt, and show the Server-Sent Events as they arrive.
//
// EventSource can only GET and cannot send an Authorization header, so this page uses
// fetch() with a stream reader and parses the SSE frames itself; an AbortController stops it.
// With "Show the steps" ticked it reads /api/steps instead, and steps.js draws its step events (day 4);
// with "Fill in a form" ticked it reads /api/form, and form.js applies its patch events to a form (day 5);
// with "Route the question" ticked it reads /api/route, and route.js shows its route event as a badge (day 6).
"use strict";

const messages = JSON.parse(document.getElementById("messages").textContent);
const byId = (id) => document.getElementById(id);
// The server's error messages follow Accept-Language; ask for the language the page is in.
const language = document.documentElement.lang;

let accessToken = null;
let controller = null;

function setStatus(state, text) {
  const status = byId("status");
  status.dataset.state = state;
  status.textContent = text;
}

function showChat(loggedIn) {
  byId("login-section").hidden = loggedIn;
  byId("chat-section").hidden = !loggedIn;
  (loggedIn ? byId("prompt") : byId("username")).focus();
}

function setStreaming(streaming) {
  byId("send-button").disabled = streaming;
  byId("stop-button").disabled = !streaming;
  byId("answer").setAttribute("aria-busy", String(streaming));
  byId("show-steps").disabled = streaming;
  byId("show-form").disabled = streaming;
  byId("route-question").disabled = streaming;
  byId("answer-form").setAttribute("aria-busy", String(streaming));
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    return body.error.message;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

// --- SSE parsing (https://html.spec.whatwg.org/multipage/server-sent-events.html) ---

// Append decoded text to the buffer and return the complete frames it now holds.
// A "\r" at the very end is kept back: it may be the first half of a "\r\n".
function takeFrames(reader, text) {
  let usable = reader.buffer + text;
  let carry = "";
  if (usable.endsWith("\r")) {
    carry = "\r";
    usable = usable.slice(0, -1);
  }
  const blocks = usable.replace(/\r\n?/g, "\n").split("\n\n");
  reader.buffer = blocks.pop() + carry;
  return blocks.map(parseFrame).filter((frame) => frame !== null);
}

function parseFrame(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue; // comments are keep-alive pings
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { event, data: data.join("\n") } : null;
}

// --- the stream ---

// Handle one event; returns true when the stream is over (done or error).
function handleEvent(frame, progress) {
  const payload = JSON.parse(frame.data);
  if (frame.event === "route") {
    const name = routeView.show(payload);
    setStatus("waiting", messages.routed.replace("{route}", name));
    return false;
  }
  if (frame.event === "step") {
    stepsView.show(payload);
    return false;
  }
  if (frame.event === "patch") {
    progress.patches += 1;
    formView.apply(payload);
    setStatus("streaming", messages.filling.replace("{count}", progress.patches));
    return false;
  }
  if (frame.event === "token") {
    progress.tokens += 1;
    byId("answer").append(payload.text);
    setStatus("streaming", messages.streaming.replace("{count}", progress.tokens));
    return false;
  }
  if (frame.event === "done") {
    if (formView.active()) {
      formView.done();
      setStatus("done", messages.filled.replace("{count}", progress.patches));
      return true;
    }
    setStatus("done", messages.done.replace("{count}", progress.tokens));
    return true;
  }
  if (frame.event === "error") {
    setStatus("error", payload.error.message);
    return true;
  }
  return false;
}

function endpoint() {
  if (formView.active()) return "/api/form";
  if (routeView.active()) return "/api/route";
  return stepsView.endpoint();
}

async function streamAnswer(prompt) {
  controller = new AbortController();
  const routed = routeView.active();
  byId("answer").textContent = "";
  stepsView.reset();
  formView.reset();
  routeView.reset();
  setStreaming(true);
  if (routed) setStatus("routing", messages.routing);
  else setStatus("waiting", messages.waiting);
  try {
    const response = await fetch(endpoint(), {
      method: "POST",
      headers: {
        "Authorization": `Bearer ${accessToken}`,
        "Content-Type": "application/json",
        "Accept": "text/event-stream",
        "Accept-Language": language,
      },
      body: JSON.stringify({ prompt }),
      signal: controller.signal,
    });
    if (!response.ok) {
      const message = await errorMessage(response);
      if (response.status === 401) logOut(message);
      else setStatus("error", message);
      return;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = { buffer: "" };
    const progress = { tokens: 0, patches: 0 };
    let finished = false;
    while (!finished) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const frame of takeFrames(parser, value)) {
        finished = handleEvent(frame, progress) || finished;
      }
    }
    if (!finished) setStatus("error", messages.connection_lost);
  } catch (error) {
    if (error.name === "AbortError") setStatus("stopped", routed ? messages.route_stopped : messages.stopped);
    else setStatus("error", messages.network_error);
  } finally {
    controller = null;
    stepsView.interrupt(); // steps still running when the stream ended never will end
    formView.interrupt(); // nor will a field the model was still writing
    setStreaming(false);
  }
}

// --- log in / out ---

async function logIn(event) {
  event.preventDefault();
  const error = byId("login-error");
  error.textContent = "";
  try {
    const response = await fetch("/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": language },
      body: JSON.stringify({ username: byId("username").value, password: byId("password").value }),
    });
    if (!response.ok) {
      error.textContent = await errorMessage(response);
      return;
    }
    accessToken = (await response.json()).access_token;
    byId("password").value = "";
    setStatus("idle", messages.ready);
    showChat(true);
  } catch {
    error.textContent = messages.network_error;
  }
}

function logOut(reason) {
  if (controller) controller.abort();
  accessToken = null;
  byId("login-error").textContent = reason || "";
  showChat(false);
}

byId("login-form").addEventListener("submit", logIn);
byId("logout-button").addEventListener("click", () => logOut(""));
byId("stop-button").addEventListener("click", () => controller && controller.abort());
byId("prompt-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const prompt = byId("prompt").value;
  if (prompt.trim() && !controller) streamAnswer(prompt);
});
