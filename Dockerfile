# ClaimWatch in a container: docs/deploy.md.
#   docker build -t claimwatch .
#   docker run -d --env-file .env -p 127.0.0.1:8080:8080 -v claimwatch-data:/data claimwatch
# Any other subcommand runs the same way: docker run --rm ... claimwatch feeds list

# ---- build: the project and every dependency (the spaCy model included) in a venv
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN python -m venv /opt/claimwatch \
    && /opt/claimwatch/bin/pip install . \
    && /opt/claimwatch/bin/python -c "from bot.analysis.nlp import load; load('en_core_web_sm')"

# ---- run: the venv only, as an unprivileged user
FROM python:3.11-slim
ENV PATH=/opt/claimwatch/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////data/claimwatch.db \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080
RUN groupadd --system --gid 10001 claimwatch \
    && useradd --system --uid 10001 --gid claimwatch --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin claimwatch \
    && mkdir -p /data \
    && chown claimwatch:claimwatch /data
COPY --from=build /opt/claimwatch /opt/claimwatch
USER 10001:10001
WORKDIR /data
# the SQLite file (with PostgreSQL in DATABASE_URL nothing is written here)
VOLUME ["/data"]
EXPOSE 8080
# stdlib only (no curl in the slim image): GET /healthz on HTTP_HOST:HTTP_PORT
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]
# `claimwatch run` stops cleanly on SIGTERM: in-flight work ends, unsent alerts stay queued
STOPSIGNAL SIGTERM
ENTRYPOINT ["claimwatch"]
CMD ["run"]
