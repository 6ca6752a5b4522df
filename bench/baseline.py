"""The baseline of the benchmark: a bare Starlette endpoint returning bytes prepared in advance.

It serves the same bytes as /sv/ (read from a file named by TRYGG_BENCH_BODY), so the comparison
measures what the site adds on top of Starlette itself: routing, headers, negotiation.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ.get("TRYGG_BENCH_BODY", "/dev/null")).read_bytes()


async def page(request: Request) -> Response:
    return Response(BODY, media_type="text/html; charset=utf-8")


app = Starlette(routes=[Route("/sv/", page)])
