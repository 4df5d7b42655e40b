"""The two HTTP routes behind sign-in cookies (see `ui.server`)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from social.db import default_engine, unit_of_work
from social.errors import SocialError
from social.models import utcnow
from social.sessions import claim_handoff, end_session

COOKIE = "plaza_session"
# A 1×1 transparent GIF: the page fetches the route as an image, so no script is needed.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c000000000100010000020144003b"
)


def _pixel(status: int = 200) -> Response:
    return Response(PIXEL, status_code=status, media_type="image/gif",
                    headers={"Cache-Control": "no-store"})  # fmt: skip


async def session_cookie(request: Request) -> Response:
    """Claim the handoff code in `?code=` and set the session cookie."""
    code = request.query_params.get("code", "")

    def claim() -> tuple[str, int] | None:
        try:
            # The page that made the code migrated the database already.
            with unit_of_work(default_engine()) as session:
                token, expires = claim_handoff(session, code)
        except SocialError:
            return None
        return token, max(0, int((expires - utcnow()).total_seconds()))

    claimed = await run_in_threadpool(claim)
    if claimed is None:
        return _pixel(400)
    token, max_age = claimed
    response = _pixel()
    response.set_cookie(
        COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


async def sign_out_cookie(request: Request) -> Response:
    """Revoke the session of the cookie sent along, and clear it."""
    token = request.cookies.get(COOKIE, "")

    def revoke() -> None:
        if token:
            with unit_of_work(default_engine()) as session:
                end_session(session, token=token)

    await run_in_threadpool(revoke)
    response = _pixel()
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response
