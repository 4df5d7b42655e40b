"""A small, real OpenAI-compatible HTTP server for tests, with a scriptable queue of behaviours.

It speaks just enough of the API for the `openai` SDK and LangChain's ChatOpenAI: chat
completions (JSON and SSE streaming, text or tool calls), image generation and edits,
moderations (text and image inputs, flagged by the rules of `FLAGGED_PHRASES` and
`FLAGGED_PIXEL`) and the model list. Generated and edited images carry a C2PA manifest, as
OpenAI's do, signed by a test CA of the server's own (`SERVICE_IDENTITY`). Every request is
recorded; failures (HTTP errors, stalls, garbled bodies, content refusals) are queued with
`fail_next`, `stall_next`, `malformed_next` and `refuse_next`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import c2pa
from PIL import Image, ImageOps

from social.signing_keys import issue_identity

Route = Literal["chat", "images", "edits", "moderations"]
ROUTES: dict[str, Route] = {
    "/v1/chat/completions": "chat",
    "/v1/images/generations": "images",
    "/v1/images/edits": "edits",
    "/v1/moderations": "moderations",
}
MODELS = ("gpt-4.1-mini", "gpt-image-1")
CONTENT_POLICY_MESSAGE = (
    "Your request was rejected as a result of our safety system. Your prompt may contain text "
    "that is not allowed by our safety system."
)
DEFAULT_REFUSAL = "I'm sorry, but I can't help with that request."
# Moderation: text with one of these phrases is flagged under its category; so is any picture
# whose top-left pixel is FLAGGED_PIXEL (under "sexual").
FLAGGED_PHRASES = {"i will hurt you": "harassment/threatening", "gore everywhere": "violence"}
FLAGGED_PIXEL = (255, 0, 255)
MODERATION_CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/instructions",
    "self-harm/intent",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)


@dataclass
class UploadedFile:
    """One file part of a multipart request."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """What the client sent: method, path, headers (lower-case names) and the decoded body."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    @property
    def route(self) -> Route | None:
        """The endpoint ("chat", "images", "edits" or "moderations") of a POST, else None."""
        return ROUTES.get(self.path)


@dataclass
class Behaviour:
    """One scripted reply, taken from the queue by the next request on a matching route."""

    kind: Literal["text", "tool_calls", "refusal", "error", "stall", "malformed", "url", "png"]
    route: Route | None = None
    text: str = ""
    chunks: list[str] | None = None
    tool_calls: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    status: int = 500
    error_body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    png: bytes = b""

    def matches(self, route: Route) -> bool:
        """True if this behaviour applies to a request on `route`."""
        if self.route is not None:
            return self.route == route
        # Chat-only replies never answer image requests, and vice versa.
        if self.kind in ("text", "tool_calls"):
            return route == "chat"
        if self.kind in ("url", "png"):
            return route in ("images", "edits")
        return True


def make_png(width: int, height: int, seed: str = "") -> bytes:
    """A real PNG of the given size, coloured by `seed` so different prompts differ."""
    digest = hashlib.sha256(seed.encode()).digest()
    image = Image.new("RGB", (width, height), tuple(digest[:3]))
    # A second block makes the picture non-uniform, so edits visibly change pixels.
    image.paste(tuple(digest[3:6]), (0, 0, width // 2, height // 2))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


SERVICE_IDENTITY = issue_identity("Image service test")
SERVICE_MODEL = "gpt-image-1"


def sign_as_service(png: bytes) -> bytes:
    """`png` with the C2PA manifest an image service puts on its output: AI-generated."""
    info = c2pa.C2paSignerInfo(
        c2pa.C2paSigningAlg.ES256,
        SERVICE_IDENTITY.chain_pem.encode(),
        SERVICE_IDENTITY.private_key_pem.encode(),
        None,
    )
    settings = {"builder": {"thumbnail": {"enabled": False}}}
    manifest = {
        "claim_generator_info": [{"name": "Image service test", "version": "1.0"}],
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": "http://cv.iptc.org/newscodes/"
                            "digitalsourcetype/trainedAlgorithmicMedia",
                            "softwareAgent": {"name": SERVICE_MODEL},
                        }
                    ]
                },
            }
        ],
    }
    context = c2pa.Context.from_dict(settings, signer=c2pa.Signer.from_info(info))
    signed = io.BytesIO()
    c2pa.Builder(manifest, context=context).sign("image/png", io.BytesIO(png), signed)
    return signed.getvalue()


def service_ca_pem() -> str:
    """The test CA the server's manifests chain to."""
    return SERVICE_IDENTITY.ca_pem


def _parse_size(value: Any, default: tuple[int, int] = (1024, 1024)) -> tuple[int, int]:
    if not isinstance(value, str) or "x" not in value:
        return default
    width, height = value.lower().split("x", 1)
    return int(width), int(height)


def _split_words(text: str) -> list[str]:
    """Split text into streaming pieces the way a tokenizer roughly would: word by word."""
    words = text.split(" ")
    return [word if i == 0 else " " + word for i, word in enumerate(words)]


def _split_n(text: str, parts: int) -> list[str]:
    step = max(1, -(-len(text) // parts))
    return [text[i : i + step] for i in range(0, len(text), step)] or [""]


class OpenAITestServer:
    """An OpenAI-compatible server on 127.0.0.1 with a scriptable queue of behaviours."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._queue: list[Behaviour] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> OpenAITestServer:
        """Listen on a free port in a background thread."""
        server = self

        class Handler(_Handler):
            owner = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            # A short poll keeps stop() fast: shutdown() waits for the loop's next poll.
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and wake any stalled handler."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> OpenAITestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """The URL to give the SDK as base_url, ending in /v1."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting ---------------------------------------------------------------------------

    def queue(self, behaviour: Behaviour, times: int = 1) -> None:
        """Append `behaviour` to the queue `times` times."""
        with self._lock:
            self._queue.extend(behaviour for _ in range(times))

    def queue_chat_text(self, text: str, *, chunks: list[str] | None = None) -> None:
        """The next chat request answers `text` (streamed in `chunks`, default word by word)."""
        self.queue(Behaviour("text", text=text, chunks=chunks))

    def queue_tool_call(
        self, name: str, args: dict[str, Any], *, call_id: str | None = None
    ) -> None:
        """The next chat request answers with one call of tool `name` with `args`."""
        self.queue_tool_calls([(name, args)], call_ids=[call_id] if call_id else None)

    def queue_tool_calls(
        self, calls: list[tuple[str, dict[str, Any]]], *, call_ids: list[str] | None = None
    ) -> None:
        """The next chat request answers with several (parallel) tool calls."""
        ids = call_ids or [f"call_{uuid.uuid4().hex[:24]}" for _ in calls]
        scripted = [(name, args, call_id) for (name, args), call_id in zip(calls, ids, strict=True)]
        self.queue(Behaviour("tool_calls", tool_calls=scripted))

    def fail_next(
        self,
        status: int = 500,
        *,
        times: int = 1,
        message: str | None = None,
        code: str | None = None,
        error_type: str | None = None,
        retry_after: float | None = None,
        retry_after_ms: int | None = None,
        route: Route | None = None,
    ) -> None:
        """The next `times` requests fail with HTTP `status` and an OpenAI-style error body."""
        headers: dict[str, str] = {}
        if retry_after is not None:
            headers["retry-after"] = f"{retry_after:g}"
        if retry_after_ms is not None:
            headers["retry-after-ms"] = str(retry_after_ms)
        default_type = "requests" if status == 429 else "server_error" if status >= 500 else None
        body = {
            "error": {
                "message": message or f"Scripted failure with HTTP {status}.",
                "type": error_type or default_type or "invalid_request_error",
                "param": None,
                "code": code,
            }
        }
        self.queue(
            Behaviour("error", route=route, status=status, error_body=body, headers=headers),
            times,
        )

    def drip_chat_text(self, text: str, *, seconds_per_chunk: float) -> None:
        """The next chat request streams `text` word by word, waiting between the words."""
        self.queue(Behaviour("text", text=text, seconds=seconds_per_chunk))

    def reply_with_png_next(self, png: bytes, *, route: Route | None = None) -> None:
        """The next image request answers with these bytes as its one image (e.g. a bomb)."""
        self.queue(Behaviour("png", route=route, png=png))

    def stall_next(self, seconds: float, *, times: int = 1, route: Route | None = None) -> None:
        """The next `times` requests wait `seconds` before answering (to trip client timeouts)."""
        self.queue(Behaviour("stall", route=route, seconds=seconds), times)

    def malformed_next(self, *, times: int = 1, route: Route | None = None) -> None:
        """The next `times` requests get HTTP 200 with a truncated, invalid JSON body."""
        self.queue(Behaviour("malformed", route=route), times)

    def refuse_next(self, *, route: Route | None = None, text: str = DEFAULT_REFUSAL) -> None:
        """The next request is refused: images get 400 content_policy_violation, chat a refusal."""
        self.queue(Behaviour("refusal", route=route, text=text))

    def reply_with_url_next(self, *, route: Route | None = None) -> None:
        """The next image request answers with `url` instead of `b64_json`."""
        self.queue(Behaviour("url", route=route))

    def reset(self) -> None:
        """Forget recorded requests and queued behaviours."""
        with self._lock:
            self.requests.clear()
            self._queue.clear()

    def pending(self) -> int:
        """How many queued behaviours are still unused."""
        with self._lock:
            return len(self._queue)

    def requests_to(self, route: Route) -> list[RecordedRequest]:
        """The recorded requests on `route` ("chat", "images", "edits" or "moderations")."""
        with self._lock:
            return [request for request in self.requests if request.route == route]

    @property
    def last(self) -> RecordedRequest:
        """The most recent request."""
        with self._lock:
            return self.requests[-1]

    # -- used by the handler -----------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _take(self, route: Route) -> Behaviour | None:
        with self._lock:
            for index, behaviour in enumerate(self._queue):
                if behaviour.matches(route):
                    return self._queue.pop(index)
        return None

    def _sleep(self, seconds: float) -> None:
        # Interruptible, so stop() never waits for a stalled handler.
        self._stopping.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    owner: OpenAITestServer
    # HTTP/1.0: every reply ends by closing the connection, which also delimits SSE streams.
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Keep test output quiet."""

    # -- request parsing ---------------------------------------------------------------------

    def _read(self) -> RecordedRequest:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        request = RecordedRequest(
            method=self.command,
            path=path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        content_type = self.headers.get("content-type", "")
        if content_type.startswith("application/json") and body:
            try:
                request.json = json.loads(body)
            except json.JSONDecodeError:
                request.json = None
        elif content_type.startswith("multipart/form-data"):
            self._parse_multipart(request, content_type)
        return request

    @staticmethod
    def _parse_multipart(request: RecordedRequest, content_type: str) -> None:
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + request.body)
        for part in message.walk():
            if part.is_multipart():
                continue
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if not isinstance(name, str):
                continue
            filename = part.get_filename()
            if filename is not None or part.get_content_type() != "text/plain":
                request.files[name] = UploadedFile(filename, part.get_content_type(), payload)
            else:
                request.form[name] = payload.decode()

    # -- replies -----------------------------------------------------------------------------

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self._send_raw(status, data, "application/json", headers)

    def _send_raw(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _start_sse(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def _event(self, payload: Any) -> None:
        data = payload if isinstance(payload, str) else json.dumps(payload)
        self.wfile.write(f"data: {data}\n\n".encode())
        self.wfile.flush()

    # -- routing -----------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        """The model list; anything else is a 404."""
        request = self._read()
        self.owner._record(request)
        if request.path == "/v1/models":
            created = int(time.time())
            models = [
                {"id": name, "object": "model", "created": created, "owned_by": "plaza-tests"}
                for name in MODELS
            ]
            self._send_json(200, {"object": "list", "data": models})
        else:
            self._not_found(request.path)

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        """Chat completions, image generations and image edits, as scripted."""
        request = self._read()
        self.owner._record(request)
        route = request.route
        if route is None:
            self._not_found(request.path)
            return
        try:
            self._answer(route, request)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. its timeout fired during a stall); nothing to answer.
            pass

    def _not_found(self, path: str) -> None:
        error = {"message": f"Unknown path {path}", "type": "invalid_request_error", "code": None}
        self._send_json(404, {"error": error})

    def _answer(self, route: Route, request: RecordedRequest) -> None:
        behaviour = self.owner._take(route)
        if behaviour is not None and behaviour.kind == "stall":
            self.owner._sleep(behaviour.seconds)
            # Answer the stalled request by default rather than taking the next queued
            # behaviour, which belongs to the client's retry.
            behaviour = None
        if behaviour is None:
            # Default reply: chat echoes the last user message, images are generated.
            behaviour = Behaviour("text")
        if behaviour.kind == "error":
            self._send_json(behaviour.status, behaviour.error_body, behaviour.headers)
        elif behaviour.kind == "malformed":
            self._malformed(request)
        elif route == "chat":
            self._chat(request, behaviour)
        elif route == "moderations":
            self._moderations(request)
        elif behaviour.kind == "refusal":
            error = {
                "message": CONTENT_POLICY_MESSAGE,
                "type": "image_generation_user_error",
                "param": None,
                "code": "content_policy_violation",
            }
            self._send_json(400, {"error": error})
        elif behaviour.kind == "png":
            data = [{"b64_json": base64.b64encode(behaviour.png).decode()}]
            self._send_json(200, {"created": int(time.time()), "data": data})
        else:
            self._images(route, request, as_url=behaviour.kind == "url")

    def _malformed(self, request: RecordedRequest) -> None:
        if isinstance(request.json, dict) and request.json.get("stream"):
            self._start_sse()
            self._event('{"id": "chatcmpl-broken", "object": "chat.completion.chunk", "choi')
            self._event("[DONE]")
        else:
            self._send_raw(
                200, b'{"id": "broken", "object": "chat.completion", "choi', "application/json"
            )

    # -- chat --------------------------------------------------------------------------------

    def _chat(self, request: RecordedRequest, behaviour: Behaviour) -> None:
        body = request.json if isinstance(request.json, dict) else {}
        model = str(body.get("model", "unknown"))
        if behaviour.kind == "text" and not behaviour.text:
            behaviour = Behaviour("text", text=self._echo(body))
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            self._chat_stream(model, behaviour, include_usage)
        else:
            self._send_json(200, self._chat_completion(model, behaviour))

    @staticmethod
    def _echo(body: dict[str, Any]) -> str:
        """Default reply: repeat the last user message, so tests can see what was sent."""
        for message in reversed(body.get("messages") or []):
            if message.get("role") == "user":
                content = message.get("content")
                if isinstance(content, list):
                    content = " ".join(
                        part.get("text", "") for part in content if isinstance(part, dict)
                    )
                return f"You said: {content}"
        return "Hello from the test server."

    @staticmethod
    def _usage() -> dict[str, int]:
        return {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}

    def _chat_completion(self, model: str, behaviour: Behaviour) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
        finish_reason = "stop"
        if behaviour.kind == "tool_calls":
            message["content"] = behaviour.text or None
            message["tool_calls"] = [
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": json.dumps(args)},
                }
                for name, args, call_id in behaviour.tool_calls
            ]
            finish_reason = "tool_calls"
        elif behaviour.kind == "refusal":
            message["refusal"] = behaviour.text
        else:
            message["content"] = behaviour.text
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:20]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}
            ],
            "usage": self._usage(),
        }

    def _chat_stream(self, model: str, behaviour: Behaviour, include_usage: bool) -> None:
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:20]}"
        created = int(time.time())

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            return {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [
                    {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
                ],
            }

        self._start_sse()
        if behaviour.kind == "tool_calls":
            self._event(chunk({"role": "assistant", "content": None}))
            for index, (name, args, call_id) in enumerate(behaviour.tool_calls):
                # As OpenAI does: the first delta names the call, the arguments follow in pieces.
                first = {
                    "index": index,
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": ""},
                }
                self._event(chunk({"tool_calls": [first]}))
                for piece in _split_n(json.dumps(args), 3):
                    self._event(
                        chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
                    )
            finish_reason = "tool_calls"
        elif behaviour.kind == "refusal":
            self._event(chunk({"role": "assistant", "content": None, "refusal": ""}))
            for piece in _split_words(behaviour.text):
                self._event(chunk({"refusal": piece}))
            finish_reason = "stop"
        else:
            self._event(chunk({"role": "assistant", "content": "", "refusal": None}))
            for piece in behaviour.chunks or _split_words(behaviour.text):
                if behaviour.seconds:
                    self.owner._sleep(behaviour.seconds)
                self._event(chunk({"content": piece}))
            finish_reason = "stop"
        self._event(chunk({}, finish_reason))
        if include_usage:
            usage_chunk = chunk({})
            usage_chunk["choices"] = []
            usage_chunk["usage"] = self._usage()
            self._event(usage_chunk)
        self._event("[DONE]")

    # -- images ------------------------------------------------------------------------------

    def _images(self, route: Route, request: RecordedRequest, *, as_url: bool) -> None:
        if route == "images":
            body = request.json if isinstance(request.json, dict) else {}
            prompt = str(body.get("prompt", ""))
            n = int(body.get("n") or 1)
            width, height = _parse_size(body.get("size"))
            images = [make_png(width, height, f"{prompt}#{i}") for i in range(n)]
            size = f"{width}x{height}"
        else:
            prompt = request.form.get("prompt", "")
            n = int(request.form.get("n") or 1)
            upload = request.files.get("image") or request.files.get("image[]")
            if upload is None:
                error = {
                    "message": "Missing required parameter: 'image'.",
                    "type": "invalid_request_error",
                    "param": "image",
                    "code": "missing_required_parameter",
                }
                self._send_json(400, {"error": error})
                return
            with Image.open(io.BytesIO(upload.data)) as source:
                original = source.convert("RGB")
            width, height = _parse_size(request.form.get("size"), original.size)
            edited = ImageOps.invert(original).resize((width, height))
            out = io.BytesIO()
            edited.save(out, format="PNG")
            images = [out.getvalue()] * n
            size = f"{width}x{height}"
        images = [sign_as_service(png) for png in images]
        if as_url:
            data = [{"url": f"http://127.0.0.1:{self.owner.port}/files/{i}.png"} for i in range(n)]
        else:
            data = [{"b64_json": base64.b64encode(png).decode()} for png in images]
        self._send_json(
            200,
            {
                "created": int(time.time()),
                "data": data,
                "output_format": "png",
                "size": size,
                "quality": "medium",
                "usage": {
                    "input_tokens": 10,
                    "input_tokens_details": {"image_tokens": 0, "text_tokens": 10},
                    "output_tokens": 272,
                    "total_tokens": 282,
                },
            },
        )

    # -- moderations -------------------------------------------------------------------------

    def _moderations(self, request: RecordedRequest) -> None:
        body = request.json if isinstance(request.json, dict) else {}
        inputs = body.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        parts = [
            part if isinstance(part, dict) else {"type": "text", "text": str(part)}
            for part in inputs or []
        ]
        found: dict[str, list[str]] = {}
        for part in parts:
            if part.get("type") == "text":
                text = str(part.get("text", "")).lower()
                for phrase, category in FLAGGED_PHRASES.items():
                    if phrase in text:
                        found.setdefault(category, []).append("text")
            elif part.get("type") == "image_url" and _flagged_picture(part):
                found.setdefault("sexual", []).append("image")
        result = {
            "flagged": bool(found),
            "categories": {name: name in found for name in MODERATION_CATEGORIES},
            "category_scores": {
                name: 0.97 if name in found else 0.001 for name in MODERATION_CATEGORIES
            },
            "category_applied_input_types": {
                name: found.get(name, []) for name in MODERATION_CATEGORIES
            },
        }
        model = str(body.get("model", "omni-moderation-latest"))
        self._send_json(
            200, {"id": f"modr-{uuid.uuid4().hex[:12]}", "model": model, "results": [result]}
        )


def _flagged_picture(part: dict[str, Any]) -> bool:
    url = str((part.get("image_url") or {}).get("url", ""))
    if not url.startswith("data:") or "," not in url:
        return False
    with Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))) as picture:
        return picture.convert("RGB").getpixel((0, 0)) == FLAGGED_PIXEL
