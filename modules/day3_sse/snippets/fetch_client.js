// fetch() with a stream reader: POST, a JSON body and an Authorization header, which
// EventSource cannot send. The price: you parse the SSE frames yourself, and nothing
// reconnects for you. An AbortController is the stop button.
"use strict";

let controller = null;

// Split the text received so far into complete frames; keep the unfinished rest in state.buffer.
function takeFrames(state, text) {
  state.buffer += text;
  // A "\r" at the very end may be the first half of a "\r\n": leave it for the next read.
  const complete = state.buffer.endsWith("\r") ? state.buffer.slice(0, -1) : state.buffer;
  const blocks = complete.replace(/\r\n?/g, "\n").split("\n\n");
  state.buffer = blocks.pop() + state.buffer.slice(complete.length);
  return blocks.map((block) => {
    const frame = { event: "message", data: [] };
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue; // a comment: sse-starlette's keep-alive ping
      const [field, ...rest] = line.split(":");
      const value = rest.join(":").replace(/^ /, "");
      if (field === "event") frame.event = value;
      if (field === "data") frame.data.push(value);
    }
    return { event: frame.event, data: frame.data.join("\n") };
  }).filter((frame) => frame.data !== "");
}

async function send() {
  const output = document.getElementById("fetch-output");
  const status = document.getElementById("fetch-status");
  const token = document.getElementById("token").value;
  output.textContent = "";
  controller = new AbortController();
  document.getElementById("stop").disabled = false;
  status.textContent = "waiting";
  try {
    const response = await fetch("/generate", {
      method: "POST",
      headers: { "Authorization": `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "Tell me about fetch() streams" }),
      signal: controller.signal,
    });
    if (!response.ok) {
      status.textContent = `HTTP ${response.status}`;
      return;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const state = { buffer: "" };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const frame of takeFrames(state, value)) {
        if (frame.event === "token") output.textContent += JSON.parse(frame.data).text;
        if (frame.event === "done") status.textContent = "done";
      }
      if (status.textContent === "waiting") status.textContent = "streaming";
    }
  } catch (error) {
    status.textContent = error.name === "AbortError" ? "stopped" : `failed: ${error.message}`;
  } finally {
    controller = null;
    document.getElementById("stop").disabled = true;
  }
}

document.getElementById("send").addEventListener("click", send);
document.getElementById("stop").addEventListener("click", () => controller && controller.abort());
