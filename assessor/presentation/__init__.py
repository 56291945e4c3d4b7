"""How results read and look: chart geometry and answers as text, for pages and PDFs.

Services (the PDF plan, exports, the results view) and views both use this layer; it
uses the domain and Flask-Babel's formatting, never the services, storage or views.
"""
