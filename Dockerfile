# CPU image of sayso. The default model is built at image build time from the corpus in the
# repository (about 10-15 minutes on 2 cores), so the container starts ready to classify.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    SAYSO_MODEL_DIR=/opt/sayso/model

WORKDIR /opt/sayso/src
COPY pyproject.toml README.md ./
COPY models ./models
COPY training ./training
COPY service ./service
COPY sayso ./sayso
# Pass a CPU-only torch wheel index with --build-arg PIP_EXTRA_INDEX_URL=... to keep the image small.
ARG PIP_EXTRA_INDEX_URL=""
RUN pip install torch==2.13.0 && pip install .

RUN sayso build && useradd --uid 10001 --no-create-home sayso
USER 10001
