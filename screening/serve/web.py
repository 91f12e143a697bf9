"""The workbench's web plumbing: templates that escape everything, session cookies, CSRF checks.

Every form carries a CSRF token: the session's own once signed in, and before that (the login form)
a random token also set as a cookie, which the form must repeat. Cookies are HttpOnly, SameSite=Strict
and, unless the server was told it runs behind plain HTTP, Secure.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any, Final

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from screening.serve.accounts import Session, find_session

SESSION_COOKIE: Final = "screening_session"
LOGIN_COOKIE: Final = "screening_login_csrf"
HEADERS: Final = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
TEMPLATES: Final = Environment(
    loader=PackageLoader("screening.serve", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


class RefusedError(Exception):
    """A workbench request is refused with a status and a message shown to the user."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Return a rendered template as an HTML response with the security headers."""
    html = TEMPLATES.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def redirect(url: str) -> RedirectResponse:
    """Return a see-other redirect (after a form, the browser fetches the target with GET)."""
    return RedirectResponse(url, status_code=303, headers=HEADERS)


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    """Set an HttpOnly, SameSite=Strict cookie, Secure unless the server runs on plain HTTP."""
    secure = bool(request.app.state.config.secure_cookies)
    response.set_cookie(name, value, max_age=max_age, path="/", secure=secure, httponly=True, samesite="strict")


def login_token(request: Request) -> str:
    """Return the login form's CSRF token: the cookie's, or a new one."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)


def same(a: str, b: str) -> bool:
    """Return whether two tokens are equal and non-empty, in constant time."""
    return bool(a) and hmac.compare_digest(a.encode(), b.encode())


def session_of(request: Request, store: Any) -> Session | None:
    """Return the request's live session, or None."""
    token = request.cookies.get(SESSION_COOKIE, "")
    return find_session(store, token) if token else None


async def form_of(request: Request) -> dict[str, str]:
    """Return a posted form's text fields."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def check_csrf(request: Request, fields: dict[str, str], session: Session | None) -> None:
    """Refuse a form whose CSRF token is not the session's (or, before login, the login cookie's)."""
    expected = session.csrf if session else request.cookies.get(LOGIN_COOKIE, "")
    if not same(fields.get("csrf", ""), expected):
        raise RefusedError(403, "the form's security token is missing or stale; reload the page and try again")
