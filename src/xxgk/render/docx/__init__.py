"""The filed Word report: the docxtpl template (``template``), its context and raw OOXML."""

from xxgk.render.docx.template import (
    CompiledTemplate,
    core_properties,
    default_template,
    load_template,
    render_docx,
    zip_parts,
)

__all__ = [
    "CompiledTemplate",
    "core_properties",
    "default_template",
    "load_template",
    "render_docx",
    "zip_parts",
]
