// EventSource: the browser's own SSE client. It can only GET and cannot add headers, but it
// parses the frames for you and reconnects by itself, sending the last id it saw in the
// Last-Event-ID header so the server can resume where the stream broke.
"use strict";

function listen() {
  const output = document.getElementById("es-output");
  const status = document.getElementById("es-status");
  const reconnects = document.getElementById("es-reconnects");
  output.textContent = "";
  reconnects.textContent = "0";

  const prompt = "Tell me about Server-Sent Events";
  // drop_after=5 asks the demo server to cut the first connection after 5 tokens.
  const source = new EventSource(`/events?prompt=${encodeURIComponent(prompt)}&drop_after=5`);
  status.textContent = "connecting";

  source.addEventListener("token", (event) => {
    output.textContent += JSON.parse(event.data).text;
    status.textContent = `streaming (last id ${event.lastEventId})`;
  });
  source.addEventListener("done", () => {
    // Without close(), EventSource would reconnect and ask for the answer all over again.
    source.close();
    status.textContent = "done";
  });
  source.addEventListener("error", () => {
    // Called when the connection drops: readyState says whether the browser will retry.
    if (source.readyState === EventSource.CONNECTING) {
      reconnects.textContent = String(Number(reconnects.textContent) + 1);
      status.textContent = "reconnecting";
    } else {
      status.textContent = "closed";
    }
  });
}

document.getElementById("listen").addEventListener("click", listen);
