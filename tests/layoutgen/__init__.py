"""A layout generator for tests: random consistent reports in table styles unlike our template
(truth.py → national.py/styles.py → layout.py → docx_out.py/html_out.py; batch.py makes the PDFs
and pdftotext texts, score.py compares every imported cell with the truth)."""
