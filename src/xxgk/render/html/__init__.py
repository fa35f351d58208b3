"""The web page: the report as accessible HTML with the national tables' spans."""

from xxgk.render.html.page import render_html

__all__ = ["render_html"]
