"""HTTP helpers shared by remote queries and push: one request, URL checks, credentials."""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from .errors import RemoteError, RemoteTimeoutError

__all__ = ["PASSWORD_ENV", "password_from_env"]

#: The environment variable holding the password for ``--user`` (never a flag).
PASSWORD_ENV = "OFSTED_KG_PASSWORD"


def _auth_header(user: str | None, password: str | None) -> dict[str, str]:
    if not user:
        return {}
    if password is None:
        raise RemoteError(f"--user {user} needs the password in the environment variable "
                          f"{PASSWORD_ENV}")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Authorization": "Basic " + token}


def _redact(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    if p.username or p.password:
        netloc = p.hostname or ""
        if p.port:
            netloc += f":{p.port}"
        return urllib.parse.urlunsplit((p.scheme, netloc, p.path, p.query, p.fragment))
    return url


def _check_url(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    if p.scheme not in ("http", "https") or not p.netloc:
        raise RemoteError(f"{url!r} is not an http(s) URL")
    if p.username or p.password:
        raise RemoteError("do not put credentials in the URL; use --user and "
                          f"{PASSWORD_ENV}")
    return url


def _request(method: str, url: str, *, data: bytes | None = None,
             headers: Mapping[str, str] | None = None, timeout: float | None = 60.0
             ) -> bytes:
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http(s) only)
            return resp.read()
    except urllib.error.HTTPError as exc:
        try:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        except OSError:
            detail = []
        msg = f"{method} {_redact(url)}: HTTP {exc.code} {exc.reason}"
        if detail:
            msg += f": {detail[0][:300]}"
        raise RemoteError(msg) from None
    except urllib.error.URLError as exc:
        raise RemoteError(f"cannot reach {_redact(url)}: {exc.reason}") from None
    except (TimeoutError, socket.timeout):
        raise RemoteTimeoutError(f"{method} {_redact(url)}: no answer within "
                                 f"{timeout or 0:.0f} s") from None
    except OSError as exc:
        raise RemoteError(f"{method} {_redact(url)}: {exc}") from None


def _with_param(url: str, key: str, value: str | None) -> str:
    p = urllib.parse.urlsplit(url)
    extra = urllib.parse.quote(key, safe="-") if value is None else urllib.parse.urlencode(
        {key: value})
    query = f"{p.query}&{extra}" if p.query else extra
    return urllib.parse.urlunsplit((p.scheme, p.netloc, p.path, query, p.fragment))


def password_from_env() -> str | None:
    """The password in :data:`PASSWORD_ENV`, if set."""
    return os.environ.get(PASSWORD_ENV)
