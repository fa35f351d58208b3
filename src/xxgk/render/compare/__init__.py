"""The year-over-year comparison as .docx (公文 format), .xlsx and one web page."""
