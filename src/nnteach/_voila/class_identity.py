"""Who is at the page, for the class space: a per-browser learner secret and the teacher's key.

- Every page render makes sure the browser holds an ``nnteach_learner`` secret (HttpOnly,
  SameSite=Strict, a year) and hands it to the page's kernel as the request header
  ``X-Nnteach-Learner`` (Voila passes it on as ``HTTP_X_NNTEACH_LEARNER`` because the
  lessons' ``voila.json`` lists it in ``http_header_envs``). Any such header the client sent
  itself is dropped first, so it can only come from the cookie.
- ``nnteach serve --class`` prints a teacher link ``…/nnteach/teacher#key=<key>``. The key
  is in the fragment, which browsers never send: it reaches neither the access log nor a proxy.
  The page at ``/nnteach/teacher`` posts it once; the server compares its SHA-256 with
  ``NNTEACH_TEACHER_KEY_SHA256`` in constant time, sets the HttpOnly ``nnteach_teacher``
  cookie and the page moves on to the class page (the key leaves the address bar). Kernels
  receive it as ``X-Nnteach-Teacher`` and check it the same way
  (:func:`nnteach.classroom.teacher.is_teacher_page`).

Example:
    >>> key_sha256("k" * 43)[:12]
    'a0484a6185b3'
"""

from __future__ import annotations

import hashlib
import hmac
import html
import os
import secrets
from typing import Any

from tornado import web

__all__ = [
    "LEARNER_COOKIE",
    "LEARNER_HEADER",
    "TEACHER_COOKIE",
    "TEACHER_HEADER",
    "TeacherKeyHandler",
    "give_class_identity",
    "key_sha256",
]

LEARNER_COOKIE, LEARNER_HEADER = "nnteach_learner", "X-Nnteach-Learner"
TEACHER_COOKIE, TEACHER_HEADER = "nnteach_teacher", "X-Nnteach-Teacher"
_YEAR = 365


def key_sha256(key: str) -> str:
    """The SHA-256 (hex) of a key, as the server and the kernels compare it."""
    return hashlib.sha256(key.encode()).hexdigest()


def _cookie_options(handler: web.RequestHandler) -> dict[str, Any]:
    return {
        "path": handler.settings.get("base_url", "/"),
        "httponly": True,
        "samesite": "Strict",
        "secure": handler.request.protocol == "https",
    }


def give_class_identity(handler: web.RequestHandler) -> None:
    """Before a page renders: the browser's learner secret (made if missing) and teacher key go to the kernel."""
    for header in (LEARNER_HEADER, TEACHER_HEADER):
        if header in handler.request.headers:
            del handler.request.headers[header]  # only nnteach's cookies may set these
    secret = handler.get_cookie(LEARNER_COOKIE) or ""
    if len(secret) < 32:
        secret = secrets.token_urlsafe(32)
        handler.set_cookie(LEARNER_COOKIE, secret, expires_days=_YEAR, **_cookie_options(handler))
    handler.request.headers[LEARNER_HEADER] = secret
    teacher = handler.get_cookie(TEACHER_COOKIE)
    if teacher:
        handler.request.headers[TEACHER_HEADER] = teacher[:200]


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>nnteach · teacher</title></head>
<body style="font: 18px system-ui, sans-serif; margin: 2em">
<p id="say">Checking the teacher key…</p>
<script>
const key = new URLSearchParams(location.hash.slice(1)).get("key") || "";
history.replaceState(null, "", location.pathname);
fetch(location.pathname, {method: "POST", headers: {"X-XSRFToken": "{xsrf}",
  "Content-Type": "application/x-www-form-urlencoded"}, body: "key=" + encodeURIComponent(key),
  credentials: "same-origin"})
  .then(r => r.ok ? location.replace("{next}") :
        (document.getElementById("say").textContent =
         "This teacher link is not valid for this server. Copy the link nnteach serve --class printed."));
</script></body></html>"""


class TeacherKeyHandler(web.RequestHandler):
    """``GET /nnteach/teacher``: the page that posts the fragment's key; ``POST``: check it, set the cookie."""

    def get(self) -> None:
        """Serve the small page that reads ``#key=…`` and posts it (the key never travels in a URL)."""
        page = _PAGE.replace("{xsrf}", html.escape(self.xsrf_token.decode())).replace("{next}", self._next())
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.write(page)

    def post(self) -> None:
        """Compare the posted key's hash with the server's in constant time; on success, set the cookie."""
        expected = os.environ.get("NNTEACH_TEACHER_KEY_SHA256", "")
        given = self.get_body_argument("key", "")[:200]
        if not expected or not given or not hmac.compare_digest(key_sha256(given), expected):
            raise web.HTTPError(403, "This teacher link is not valid for this server.")
        self.set_cookie(TEACHER_COOKIE, given, expires_days=1, **_cookie_options(self))
        self.set_status(204)

    def _next(self) -> str:
        base = self.settings.get("base_url", "/")
        return f"{base}voila/render/class.ipynb"
