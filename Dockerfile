# Siaga 112 API. The database is a separate PostGIS service (see compose.yaml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 SIAGA_HOST=0.0.0.0 SIAGA_PORT=8112
WORKDIR /app

COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY api ./api
COPY geo ./geo
COPY migrations ./migrations
COPY alembic.ini ./
COPY data ./data
RUN pip install --no-cache-dir --no-deps . && useradd --system --home /app siaga && \
    mkdir -p /app/var && chown siaga /app/var
USER siaga

EXPOSE 8112
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8112/api/health')"
# Migrate, load the city (and the demo fleet and users only when asked), then serve.
CMD ["sh", "-c", "siaga migrate && siaga vapid && if [ \"$SIAGA_LOAD_DEMO\" = 1 ]; then siaga import --demo; else siaga import; fi && exec siaga serve"]
