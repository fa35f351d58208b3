"""The audit as a workbook (render_audit_xlsx) and as one web page (render_audit_html)."""
