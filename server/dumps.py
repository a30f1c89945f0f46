"""GET /dumps/<file>: the files of the current release (``COPROKG_RELEASES``, its newest).

The release's description (``/.well-known/void``) names each file with its size and sha256;
``GET /dumps/`` lists them. Without a release every path here is 404, saying how to make one.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, send_from_directory

from coprokg.release import DESCRIPTION, current
from coprokg.server.http import settings

bp = Blueprint("dumps", __name__)

NO_RELEASE = "no release is served: write one with 'coprokg release DIR' and set COPROKG_RELEASES=DIR"


@bp.get("/dumps/")
def index():
    release = _release()
    files = sorted(path.name for path in release.iterdir() if path.is_file())
    return jsonify(release=release.name, description=request.host_url + ".well-known/void",
                   files=[{"name": name, "url": request.host_url + "dumps/" + name,
                           "bytes": (release / name).stat().st_size} for name in files])


@bp.get("/dumps/<name>")
def file(name: str):
    release = _release()
    if name == DESCRIPTION:
        return send_from_directory(release, name, mimetype="text/turtle")
    return send_from_directory(release, name)


def _release():
    release = current(settings().releases)
    if release is None:
        abort(404, description=NO_RELEASE)
    return release
