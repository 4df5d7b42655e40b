"""Plaza's web server: the Streamlit page plus the routes a page cannot do over its websocket.

`streamlit run ui/server.py` serves `ui/app.py` with:
- `/plaza/session?code=…`: trades a one-time sign-in code for the session cookie (HttpOnly,
  SameSite=Lax, Secure over https), so the browser holds only an opaque token;
- `/plaza/signout`: revokes the cookie's session and clears the cookie;
- an error handler that logs an unexpected error and shows a short message with an id to quote,
  never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

from ui.cookie_routes import session_cookie, sign_out_cookie  # noqa: E402
from ui.errors import show_unexpected_error  # noqa: E402


async def _session(request: Request) -> Response:
    return await session_cookie(request)


async def _sign_out(request: Request) -> Response:
    return await sign_out_cookie(request)


app = st.App(
    "app.py",
    routes=[Route("/plaza/session", _session), Route("/plaza/signout", _sign_out)],
    on_script_error=show_unexpected_error,
)
