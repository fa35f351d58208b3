"""Renderers: Report → document bytes (docx, xlsx, html). Nothing here writes files."""
