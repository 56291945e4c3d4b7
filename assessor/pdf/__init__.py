"""PDF rendering with WeasyPrint: our own small wrapper, usable without a request.

WeasyPrint (and so Pango) is imported only when a PDF is rendered.
"""
