#!/usr/bin/env python3
"""Loopback mock of the OpenAI Responses API for driving the real Codex CLI offline.

Usage: mock_responses.py [--port-file FILE] [--log FILE] [--slow-seconds N] [--outside-path PATH]

Listens on 127.0.0.1 on a free port (written to --port-file, else printed on stdout) and answers
`POST /v1/responses` (`stream: true`) with server-sent events: `response.created`, one
`response.output_item.done` per item, then `response.completed` with usage.

The reply is steered by the text of the LAST user message in `input`:
  * last input item is a `function_call_output`  -> final message "Done: status updated."
  * `approve:` [PATH]   -> `exec_command` function call `echo hello > PATH` (PATH defaults to
                           --outside-path) with `sandbox_permissions: require_escalated` and a
                           justification, so an `on-request` client shows its approval prompt
  * `run: CMD`          -> `exec_command` function call running CMD (no escalation)
  * `slow` / `slow=N`   -> response.created at once, then N seconds (default --slow-seconds) before
                           the items, so the turn is visibly busy and can be interrupted
  * `reply: TEXT`       -> message TEXT instead of the default
  * anything else       -> message "Done: status updated."
A request without tools (the per-turn thread-title request of the interactive client) gets a short
title at once, never delayed. Every request is logged as one JSON line to --log.
"""

import argparse
import json
import os
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_TEXT = "Done: status updated."
TITLE_TEXT = "Update status"

ARGS = None
LOG_LOCK = threading.Lock()
COUNTER = {"n": 0}


def log_line(record):
    """Append one JSON record to the request log (if any)."""
    if not ARGS.log:
        return
    record["ts"] = round(time.time(), 3)
    with LOG_LOCK:
        with open(ARGS.log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, sort_keys=True) + "\n")


def content_text(content):
    """Join the text parts of a message `content` (string or list of parts)."""
    if isinstance(content, str):
        return content
    parts = []
    for part in content or []:
        if isinstance(part, dict) and isinstance(part.get("text"), str):
            parts.append(part["text"])
    return "\n".join(parts)


def last_user_text(items):
    """Text of the last real user message (skipping injected <environment_context>-style blocks)."""
    for item in reversed(items):
        if item.get("type", "message") == "message" and item.get("role") == "user":
            text = content_text(item.get("content"))
            if text.lstrip().startswith("<"):
                continue
            return text
    return ""


def plan_reply(body):
    """Decide (kind, delay_seconds, items) for one request body."""
    items = body.get("input") or []
    if isinstance(items, str):
        items = [{"type": "message", "role": "user", "content": items}]
    if not body.get("tools"):
        return "title", 0.0, [message_item(TITLE_TEXT)]
    prompt = last_user_text(items)
    delay = 0.0
    m = re.search(r"\bslow(?:[=:](\d+(?:\.\d+)?))?", prompt)
    if m:
        delay = float(m.group(1)) if m.group(1) else ARGS.slow_seconds
    last = items[-1] if items else {}
    if last.get("type") == "function_call_output":
        return "final", delay, [message_item(DEFAULT_TEXT)]
    m = re.search(r"approve:\s*(/\S+)?", prompt)
    if m:
        path = m.group(1) or ARGS.outside_path
        args = {"cmd": "echo hello > %s" % path,
                "sandbox_permissions": "require_escalated",
                "justification": "Write outside workspace for test"}
        return "approve", delay, [call_item(args)]
    m = re.search(r"run:\s*(.+)", prompt)
    if m:
        return "run", delay, [call_item({"cmd": m.group(1).strip()})]
    m = re.search(r"reply:\s*(.+)", prompt)
    if m:
        return "reply", delay, [message_item(m.group(1).strip())]
    return "message", delay, [message_item(DEFAULT_TEXT)]


def message_item(text):
    """An assistant output message item."""
    return {"type": "message", "id": "msg_" + uuid.uuid4().hex[:10], "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": text, "annotations": []}]}


def call_item(arguments):
    """An `exec_command` function call item."""
    return {"type": "function_call", "id": "fc_" + uuid.uuid4().hex[:10], "status": "completed",
            "name": "exec_command", "arguments": json.dumps(arguments),
            "call_id": "call_" + uuid.uuid4().hex[:12]}


class Handler(BaseHTTPRequestHandler):
    """Serves POST /v1/responses as server-sent events; everything else is 404."""

    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        """Silence the default stderr access log (the JSON log has it all)."""

    def _read_body(self):
        """Read the request body (Content-Length or chunked)."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _not_found(self, raw=b""):
        """Answer 404 and log the request."""
        log_line({"method": self.command, "path": self.path, "status": 404, "bytes": len(raw)})
        payload = b'{"error":{"message":"not found in mock"}}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        """Any GET is unknown to the mock."""
        self._not_found()

    def do_POST(self):
        """Answer a Responses API request with a scripted SSE stream."""
        raw = self._read_body()
        if not self.path.split("?")[0].endswith("/responses"):
            self._not_found(raw)
            return
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except ValueError:
            log_line({"method": "POST", "path": self.path, "status": 400, "bytes": len(raw),
                      "encoding": self.headers.get("Content-Encoding")})
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with LOG_LOCK:
            COUNTER["n"] += 1
            n = COUNTER["n"]
        kind, delay, items = plan_reply(body)
        inputs = body.get("input") or []
        log_line({"method": "POST", "path": self.path, "n": n, "kind": kind, "delay": delay,
                  "prompt": last_user_text(inputs) if isinstance(inputs, list) else inputs,
                  "last_input_type": (inputs[-1].get("type") if isinstance(inputs, list) and inputs
                                      else None),
                  "tools": len(body.get("tools") or []), "stream": body.get("stream"),
                  "model": body.get("model"), "items": [i["type"] for i in items]})
        resp_id = "resp_%d_%s" % (n, uuid.uuid4().hex[:8])
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            self._event("response.created", {"type": "response.created",
                                             "response": {"id": resp_id, "status": "in_progress"}})
            deadline = time.monotonic() + delay
            while time.monotonic() < deadline:
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
            for index, item in enumerate(items):
                self._event("response.output_item.done", {"type": "response.output_item.done",
                                                          "output_index": index, "item": item})
            usage = {"input_tokens": 10, "input_tokens_details": {"cached_tokens": 0},
                     "output_tokens": 5, "output_tokens_details": {"reasoning_tokens": 0},
                     "total_tokens": 15}
            self._event("response.completed", {"type": "response.completed",
                                               "response": {"id": resp_id, "status": "completed",
                                                            "output": items, "usage": usage}})
        except (BrokenPipeError, ConnectionResetError):
            log_line({"n": n, "event": "client_disconnected"})

    def _event(self, name, data):
        """Write one server-sent event and flush it."""
        self.wfile.write(("event: %s\ndata: %s\n\n" % (name, json.dumps(data))).encode("utf-8"))
        self.wfile.flush()


def main():
    """Parse arguments, bind to a free loopback port, publish it and serve forever."""
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port-file")
    parser.add_argument("--log")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=8.0)
    parser.add_argument("--outside-path",
                        default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                             "conveyor-e2e-outside.txt"))
    ARGS = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if ARGS.port_file:
        tmp = ARGS.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("%d\n" % port)
        os.replace(tmp, ARGS.port_file)
    else:
        print(port, flush=True)
    log_line({"event": "listening", "port": port, "pid": os.getpid()})
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
