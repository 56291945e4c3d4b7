"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py 'assessor:create_app()'``.

Page requests take milliseconds; a PDF plan takes about a second of CPU (WeasyPrint), and
is cached afterwards. Workers are processes (no shared state: everything is in PostgreSQL),
one or two per core. See docs/deployment.md.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A cold PDF of the flagship plan takes ~0.85 s here; the timeout leaves room for a slow
# machine and a busy database without letting a stuck worker live long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# WeasyPrint and font caches grow slowly: recycle workers now and then. A new worker costs
# about 0.9 s of CPU (building the app); after 10,000 requests of ~5 ms that is under 2%.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = 1000
accesslog = None  # the app logs every request as JSON itself
errorlog = "-"
raw_env = ["FLASK_LOG_REQUESTS=true", "FLASK_JSON_LOGS=true"]
