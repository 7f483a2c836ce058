# syntax=docker/dockerfile:1
# Build: docker build -t thaksa .
# Run:   docker run -p 8000:8000 -e THAKSA_DATABASE_URL=postgresql://user:pw@db/thaksa \
#               -e THAKSA_JWT_JWKS_URL=https://idp.example/jwks -e THAKSA_PII_HASH_KEY=... thaksa
# Without THAKSA_DATABASE_URL the container starts its own embedded PostgreSQL in /data.
# The image is production: it refuses to start with the development THAKSA_JWT_SECRET (unless
# THAKSA_JWT_JWKS_URL is given) or THAKSA_PII_HASH_KEY. Make each with
#   python -c 'import secrets; print(secrets.token_urlsafe(48))'


# The portal (portal/), built against the published GraphQL contract; served at /portal.
FROM node:20-slim AS portal
WORKDIR /src/portal
COPY portal/package.json portal/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY openapi/schema.graphql /src/openapi/schema.graphql
COPY portal/ ./
RUN npm run build

FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install .

FROM python:3.11-slim AS runtime
RUN groupadd --system thaksa && useradd --system --gid thaksa --home-dir /srv/thaksa thaksa \
    && mkdir -p /srv/thaksa /data && chown thaksa:thaksa /srv/thaksa /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv/thaksa
COPY --chown=thaksa:thaksa migrations ./migrations
COPY --chown=thaksa:thaksa seed ./seed
COPY --from=portal --chown=thaksa:thaksa /src/portal/dist ./portal
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    THAKSA_ENV=production \
    THAKSA_HOST=0.0.0.0 \
    THAKSA_PORT=8000 \
    THAKSA_DATA_DIR=/data \
    THAKSA_MIGRATIONS_DIR=/srv/thaksa/migrations \
    THAKSA_SEED_DIR=/srv/thaksa/seed \
    THAKSA_PORTAL_DIR=/srv/thaksa/portal
USER thaksa
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status==200 else 1)"
# `thaksa serve` runs the migrations (and loads the seed data) before it starts the server.
CMD ["thaksa", "serve"]
