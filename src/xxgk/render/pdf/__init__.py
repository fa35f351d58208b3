"""The PDF: LibreOffice headless with a throw-away profile (``convert``)."""
