# Praxis in a container: a non-root user, data in a volume, served on port 8000.
# Debian 13 (trixie): its postgresql-client (17) carries the pg_dump and pg_restore that `praxis backup`
# and `praxis restore` run against PostgreSQL 17 or older (compose.yaml runs 16).
FROM python:3.11-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PRAXIS_DATA_DIR=/data \
    PRAXIS_CONTENT_DIR=/app/content

# /data/uploads exists in the image so that a volume mounted there (shared by several app
# containers, see compose.yaml) starts out owned by praxis.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --uid 10001 praxis \
    && mkdir -p /data/uploads && chown -R praxis:praxis /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY praxis ./praxis
COPY migrations ./migrations
COPY templates ./templates
COPY content ./content
# Editable install: migrations/ and templates/ are read from /app, beside the package.
RUN pip install -e . && chown -R root:root /app

USER praxis
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
CMD ["praxis", "serve", "--host", "0.0.0.0", "--port", "8000"]
