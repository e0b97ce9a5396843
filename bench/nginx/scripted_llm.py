#!/usr/bin/env python3
"""A tiny OpenAI-compatible model server for bench/nginx-two-nodes.sh, in the Python 3 standard library.

Lists one chat model, "paced", and one embedding model, "embed"; answers every chat request with the
tokens "w0 ", "w1 ", ... streamed as Server-Sent Events at a steady pace, so that any cut in the text shows
(20 tokens only when the question starts with "short").
Embeddings are a few numbers derived from the text: enough for Nosso to index finished answers.

Usage: scripted_llm.py PORT [TOKENS [MILLISECONDS_PER_TOKEN]]
"""
import hashlib
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKENS = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
PACE = (int(sys.argv[3]) if len(sys.argv) > 3 else 20) / 1000.0


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: a streamed body ends when the connection closes, as many model servers do it.
    protocol_version = "HTTP/1.0"
    disable_nagle_algorithm = True  # each token leaves at once, as real model servers send it

    def log_message(self, *args):
        pass

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [
                {"id": "paced", "object": "model", "owned_by": "bench"},
                {"id": "embed", "object": "model", "owned_by": "bench"}]})
        else:
            self.send_json(404, {"error": {"message": "no route " + self.path}})

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path == "/v1/embeddings":
            texts = request.get("input")
            texts = texts if isinstance(texts, list) else [texts]
            data = [{"object": "embedding", "index": i, "embedding": vector(t)} for i, t in enumerate(texts)]
            self.send_json(200, {"object": "list", "model": request.get("model"), "data": data})
        elif self.path == "/v1/chat/completions" and request.get("stream"):
            question = (request.get("messages") or [{}])[-1].get("content") or ""
            self.stream(request.get("model"), 20 if question.startswith("short") else TOKENS)
        elif self.path == "/v1/chat/completions":
            text = "".join("w%d " % i for i in range(TOKENS))
            self.send_json(200, {"id": "c", "object": "chat.completion", "model": request.get("model"),
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                              "finish_reason": "stop"}]})
        else:
            self.send_json(404, {"error": {"message": "no route " + self.path}})

    def stream(self, model, tokens):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for i in range(tokens):
                time.sleep(PACE)
                self.event({"choices": [{"index": 0, "delta": {"content": "w%d " % i}, "finish_reason": None}]}, model)
            self.event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}, model)
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the node stopped the call, or died

    def event(self, chunk, model):
        chunk.update({"id": "c", "object": "chat.completion.chunk", "model": model})
        self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
        self.wfile.flush()


def vector(text):
    digest = hashlib.sha256(str(text).encode()).digest()
    return [b / 255.0 + 0.01 for b in digest[:16]]


if __name__ == "__main__":
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
