#!/usr/bin/env python3
"""A tiny OpenAI-compatible chat server for Agora's tests: answers /v1/chat/completions with a valid choice
picked from the request's seed, and can misbehave on purpose.

  fake_server.py [--throttle N] [--malformed] [--port 0]

--throttle N: the first N requests get HTTP 429 with Retry-After: 0.
--malformed: every reply is prose, not JSON.
--tokenizer: answer llama.cpp's POST /tokenize ({"content": text}) with one token per two UTF-8 bytes; without it
every path but the chat completions is 404, as on an OpenAI server.
--decoder SPEC: choose like a known decoder instead of by the seed alone, for the surrogate's parameter-recovery
test: "uniform" (uniformly at random), or "key=value,..." with temperature, guilt, envy, altruism, salience: the
options "give X and keep Y" / "offer X and keep Y" are scored U(s) = (1 - s) + altruism s - guilt max(1 - 2s, 0)
- envy max(2s - 1, 0) (s = X / (X + Y)), plus the decoder's amount weights (half at the ends) and the salience
bonus at the equal split, and one is drawn from the softmax at the temperature with the request's seed; other
prompts get the seed's choice. "model:key=value,...;model:key=value,..." gives each requested model its own
decoder (a mixture of types, for the mixture surrogate's test; a model not named gets the seed's choice).
When the request's schema asks for a "message", the reply writes one: --message TEXT (default "m<seed>"), then
" heard: " and the first word of every quoted text the prompt says another agent wrote, in order (so tests see
what was passed on; --echo-full: the whole quoted text), padded with "x" to --message-length characters.
Prints "port <P>" on the first line of stdout once listening; counts requests in /stats (GET). Stops after
--lifetime seconds (default 300) so a test that dies cannot leave it running.
"""

import argparse
import json
import math
import random
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--throttle", type=int, default=0)
    parser.add_argument("--malformed", action="store_true")
    parser.add_argument("--tokenizer", action="store_true")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--lifetime", type=float, default=300)
    parser.add_argument("--decoder", default="")
    parser.add_argument("--message", default="")
    parser.add_argument("--message-length", type=int, default=0)
    parser.add_argument("--echo-full", action="store_true")
    args = parser.parse_args()
    def parse(spec):
        return {k: float(v) for k, v in (item.split("=") for item in spec.split(","))}

    known = {}
    by_model = {}
    if args.decoder and args.decoder != "uniform":
        if ":" in args.decoder:
            by_model = {m: parse(spec) for m, spec in (part.split(":", 1) for part in args.decoder.split(";"))}
        else:
            known = parse(args.decoder)
    globals_known = known

    def decoder_choice(request, allowed):
        """The known decoder's choice (1-based) for the request, or None when its options are not amounts."""
        rng = random.Random(request.get("seed", 0))
        if args.decoder == "uniform":
            return allowed[rng.randrange(len(allowed))]
        user = request["messages"][-1]["content"]
        amounts = [(int(m.group(1)), float(m.group(2)), float(m.group(3)))
                   for m in re.finditer(r"^(\d+)\. (?:give|offer) (\S+) and keep (\S+)$", user, re.M)]
        known = by_model.get(request.get("model"), {}) if by_model else globals_known
        if not known or len(amounts) < 2:
            return None
        logits = []
        for index, (number, give, keep) in enumerate(amounts):
            s = give / (give + keep)
            u = (1 - s) + known.get("altruism", 0) * s - known.get("guilt", 0) * max(1 - 2 * s, 0) \
                - known.get("envy", 0) * max(2 * s - 1, 0)
            width = 0.5 if index in (0, len(amounts) - 1) else 1.0
            logits.append(u / known["temperature"] + math.log(width) + (known.get("salience", 0) if s == 0.5 else 0))
        top = max(logits)
        weights = [math.exp(x - top) for x in logits]
        x = rng.random() * sum(weights)
        for (number, _, _), w in zip(amounts, weights):
            x -= w
            if x < 0:
                return number
        return amounts[-1][0]
    lock = threading.Lock()
    stats = {"requests": 0, "throttled": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def reply(self, status, body, headers=()):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers:
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            with lock:
                self.reply(200, dict(stats))

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            request = json.loads(self.rfile.read(length))
            if not self.path.endswith("/chat/completions"):
                if args.tokenizer and self.path == "/tokenize":
                    with lock:
                        stats["tokenized"] = stats.get("tokenized", 0) + 1
                    self.reply(200, {"tokens": list(range(len(request["content"].encode()) // 2))})
                else:
                    self.reply(404, {"detail": "Not Found"})
                return
            with lock:
                stats["requests"] += 1
                model_key = "model:" + str(request.get("model", ""))
                stats[model_key] = stats.get(model_key, 0) + 1
                throttle = stats["throttled"] < args.throttle
                if throttle:
                    stats["throttled"] += 1
            if throttle:
                self.reply(429, {"error": {"message": "rate limited"}}, [("Retry-After", "0")])
                return
            schema = request.get("response_format", {}).get("schema") or request.get("response_format", {}).get(
                "json_schema", {}
            ).get("schema", {})
            allowed = schema.get("properties", {}).get("choice", {}).get("enum", [1, 2])
            choice = (decoder_choice(request, allowed) if args.decoder else None) or allowed[
                request.get("seed", 0) % len(allowed)
            ]
            reply = {"choice": choice, "reason": "fake"}
            if "message" in schema.get("properties", {}):
                user = request["messages"][-1]["content"]
                heard = re.findall(r'wrote: "([^"]*)"', user)
                if not args.echo_full:
                    heard = [h.split(" ")[0] for h in heard]
                text = (args.message or f"m{request.get('seed', 0)}") + ("".join(f" heard: {h}" for h in heard))
                reply["message"] = text.ljust(args.message_length, "x")
            content = "I would rather not say." if args.malformed else json.dumps(reply)
            prompt = sum(len(m["content"]) for m in request["messages"])
            self.reply(
                200,
                {
                    "id": "fake",
                    "object": "chat.completion",
                    "model": request.get("model", ""),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": prompt, "completion_tokens": len(content), "total_tokens": prompt + len(content)},
                },
            )

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"port {server.server_address[1]}", flush=True)
    threading.Timer(args.lifetime, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
