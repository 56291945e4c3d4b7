"""How results read and look, for pages and PDFs: view data (results, plan), chart geometry,
answers as text, and the PDF's HTML.

Services (the PDF plan, exports, the results view) and views both use this layer. It
builds from domain objects and plain figures handed to it, formats with Flask-Babel and
renders templates; it never imports the services, storage or views (the layer contract in
pyproject.toml says so).
"""
