"""The domain core: questionnaires, answers, scoring and action planning.

Plain Python only. A test (tests/domain/test_boundary.py) fails if anything
here imports Flask, SQLAlchemy or WeasyPrint.
"""
