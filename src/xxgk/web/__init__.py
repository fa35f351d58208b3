"""``xxgk serve``: the whole report as a local web form, checked live by the library's checks."""

from xxgk.web.server import FormServer, prepare

__all__ = ["FormServer", "prepare"]
