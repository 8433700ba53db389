# CPU image of sayso: the default model is built at image build time from the corpus in the
# repository (about 13 minutes on 2 cores), so a container starts ready to classify.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    SAYSO_MODEL_DIR=/opt/sayso/model \
    SAYSO_HOST=0.0.0.0 \
    SAYSO_PORT=8000

WORKDIR /opt/sayso/src
COPY pyproject.toml README.md ./
COPY models ./models
COPY training ./training
COPY service ./service
COPY sayso ./sayso

# torch is pinned to 2.13.0 in pyproject.toml; pass a CPU-only wheel index through
# --build-arg PIP_EXTRA_INDEX_URL=... (or a page of local wheels through PIP_FIND_LINKS=...)
# to keep the image small.
ARG PIP_EXTRA_INDEX_URL=""
ARG PIP_FIND_LINKS=""
RUN pip install --no-cache-dir . \
    && sayso build \
    && useradd --uid 10001 --no-create-home sayso \
    && chown -R 10001 /opt/sayso/model

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=8).status != 200)"]
CMD ["sayso", "serve", "--no-build"]
