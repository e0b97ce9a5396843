#!/usr/bin/env python3
"""The client side of bench/nginx-two-nodes.sh: every request goes through nginx, as a browser's would.

Signs in and asks a question; two tabs follow the answer's stream (nginx may send each to either node). Once a
tab has about two seconds of text, the node generating the answer (found in the database: the answer names its
node, and a node's name ends with its process id) is killed with SIGKILL. Each tab then does what the web UI's
stream.js does: a cut stream is reopened with Last-Event-ID; a refused one (4xx) is tried again every 2 s while
the answer is still streaming; a server's `done` or `error` event ends it. Then one more (short) question, and
one JSON object on stdout.

Environment: PROXY (http://127.0.0.1:port), EMAIL, PASSWORD, SCHEMA (the database schema, for psql with the
usual PG* variables), NODES (name=pid:port,...), ACCESS_LOG (nginx's: the request, then upstream=<addresses>),
REDIS and NGINX_VERSION (only reported).
"""
import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

PROXY = os.environ["PROXY"]
cookies = http.cookiejar.CookieJar()
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
ENDED = threading.Event()  # set once the answer is stored with a final status


def request(method, path, body=None, headers=None, timeout=30):
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    xsrf = next((c.value for c in cookies if c.name == "XSRF-TOKEN"), None)
    if method != "GET" and xsrf:
        headers["X-XSRF-TOKEN"] = xsrf
    return browser.open(urllib.request.Request(PROXY + path, data=data, headers=headers, method=method),
                        timeout=timeout)


def call(method, path, body=None):
    with request(method, path, body) as response:
        text = response.read()
        return json.loads(text) if text else None


def events(response):
    """Server-Sent Events as (id, name, data) until the stream ends or is cut."""
    event_id, name, data = None, "message", []
    try:
        while True:
            line = response.readline()
            if not line:
                return
            line = line.decode().rstrip("\r\n")
            if line == "":
                if data:
                    yield event_id, name, json.loads("\n".join(data))
                name, data = "message", []
            elif line.startswith("id:"):
                event_id = line[3:].strip()
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
    except Exception:  # the connection was cut (the node died)
        return


class Tab:
    """One browser tab following the answer, from offset 0, reconnecting as the web UI does."""

    def __init__(self, number, stream_url):
        self.number = number
        self.url = stream_url
        self.text = ""
        self.attempts = []  # how each request for the stream ended
        self.end = None  # the server's last word: "done" or "error", with the message's status

    def follow(self):
        deadline = time.monotonic() + 90
        while self.end is None and time.monotonic() < deadline:
            headers = {"Accept": "text/event-stream"}
            if self.text:
                headers["Last-Event-ID"] = str(len(self.text))
            try:
                response = request("GET", "%s?tab=%d" % (self.url, self.number), headers=headers, timeout=60)
            except urllib.error.HTTPError as refused:
                detail = json.loads(refused.read() or b"{}").get("detail", "")
                self.attempts.append("refused %d: %s" % (refused.code, detail))
                if ENDED.wait(2):  # stream.js: look again in 2 s; an ended answer is shown as stored
                    return
                continue
            for event_id, name, data in events(response):
                if name == "delta":
                    start = int(event_id) - len(data["text"])
                    if start > len(self.text):  # a gap is never papered over: reopen from what we have
                        self.attempts.append("gap at %d" % len(self.text))
                        break
                    self.text += data["text"][len(self.text) - start:]
                elif name in ("done", "error"):
                    message = data.get("message", data)
                    self.end = "%s (%s)" % (name, message.get("status"))
                    self.attempts.append(name + (": " + data["reason"] if data.get("reason") else ""))
                    break
            else:
                self.attempts.append("cut after %d characters" % len(self.text))
            response.close()

    def report(self, stored, before_kill, served_by):
        return {
            "served_by": served_by,
            "chars_before_kill": before_kill,
            "attempts": self.attempts,
            "end": self.end,
            "chars": len(self.text),
            "text_matches_stored": self.text == stored,
            "stored_is_prefix": self.text.startswith(stored),
        }


def node_of(answer_id):
    """The process id of the node generating this answer, from the database."""
    sql = ("SELECT n.name FROM {0}.messages m JOIN {0}.nodes n ON n.id = m.node_id WHERE m.id = '{1}'"
           .format(os.environ["SCHEMA"], answer_id))
    out = subprocess.run(["psql", "-XAtq", "-c", sql], capture_output=True, text=True, check=True).stdout.strip()
    return int(out.rsplit(":", 1)[1])


def wait_until_ended(answer_id, deadline_s):
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        message = call("GET", "/api/v1/messages/" + answer_id)
        if message["status"] not in ("pending", "streaming"):
            return message
        time.sleep(0.1)
    return call("GET", "/api/v1/messages/" + answer_id)


def access_log(names_by_address):
    """(request line, the nodes nginx sent it to) for every request but the script's health checks."""
    lines = []
    with open(os.environ["ACCESS_LOG"]) as log:
        for line in log:
            if "/actuator/health" not in line:
                request_line, addresses = line.rsplit(" upstream=", 1)
                lines.append((request_line, ",".join(names_by_address.get(a.strip(), a.strip())
                                                     for a in addresses.split(","))))
    return lines


def main():
    nodes = [item.replace("=", ":").split(":") for item in os.environ["NODES"].split(",")]
    names_by_pid = {int(pid): name for name, pid, port in nodes}
    names_by_address = {"127.0.0.1:" + port: name for name, pid, port in nodes}
    call("POST", "/api/v1/auth/login", {"email": os.environ["EMAIL"], "password": os.environ["PASSWORD"]})
    chat = call("POST", "/api/v1/chats", {"title": "Through nginx"})
    sent = call("POST", "/api/v1/chats/%s/messages" % chat["id"], {"content": "Count for a while", "model": "paced"})
    answer_id = sent["assistantMessage"]["id"]

    tabs = [Tab(n, sent["streamUrl"]) for n in (1, 2)]
    threads = [threading.Thread(target=tab.follow) for tab in tabs]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    while max(len(t.text) for t in tabs) < 500 and time.monotonic() - started < 15:
        time.sleep(0.05)  # about two seconds of text in one tab at least
    before_kill = [len(t.text) for t in tabs]
    pid = node_of(answer_id)
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()

    stored = wait_until_ended(answer_id, 60)
    ended_ms = round((time.monotonic() - killed) * 1000)
    ENDED.set()
    for thread in threads:
        thread.join(90)
    short = call("POST", "/api/v1/chats/%s/messages" % chat["id"], {"content": "short one", "model": "paced"})
    after = wait_until_ended(short["assistantMessage"]["id"], 30)

    log = access_log(names_by_address)
    counts = {}
    for _, served in log:
        counts[served] = counts.get(served, 0) + 1
    print(json.dumps({
        "bench": "nginx-two-nodes",
        "nginx": os.environ.get("NGINX_VERSION"),
        "redis": os.environ.get("REDIS") == "true",
        "answer_node_killed": names_by_pid.get(pid, pid),
        "final_status": stored["status"],
        "stored_chars": len(stored["content"]),
        "time_to_final_status_ms": ended_ms,
        "tabs": [tab.report(stored["content"], before_kill[i],
                            [served for line, served in log if "tab=%d" % tab.number in line])
                 for i, tab in enumerate(tabs)],
        "next_question_through_nginx": after["status"],
        "requests_by_node": counts,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
