"""`pshell development.ini`: an interactive shell with the app, a transaction and a session.

Changes are written by `tm.commit()` (or thrown away by `tm.abort()`).
"""

from . import models


def setup(env):
    request = env["request"]
    request.tm.begin()
    env["tm"] = request.tm
    env["dbsession"] = request.dbsession
    env["models"] = models
