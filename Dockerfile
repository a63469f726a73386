# gilscope for the classroom: the dashboard on port $PORT, results kept in the /data volume.
#   docker build -t gilscope .
#   docker run -p 8000:8000 -v gilscope-data:/data gilscope
# Give it at least 2 CPUs: a quota such as --cpus 1 throttles the worker and the sampler together.

# Stage 1: the gilscope wheel and the wheels of its dependencies (numpy extra), then an install of them into a
# staging root. Only the installed files go on to the final image: no sources, wheels or build tools.
FROM python:3.13-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /src
COPY pyproject.toml README.md ./
COPY gilscope ./gilscope
# --root: the files land where a plain install would put them (site-packages, bin), under /staging. pip compiles
# the bytecode as it installs, so that the non-root server (which cannot write __pycache__) starts fast.
RUN pip wheel --wheel-dir /wheels '.[numpy]' \
 && pip install --no-index --find-links /wheels --root /staging --no-warn-script-location 'gilscope[numpy]'

FROM python:3.13-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# The non-root user the server (and every experiment worker it starts) runs as. The sampler reads its own
# child's memory through /proc/<pid>/mem: same uid, no extra capability needed.
# (useradd when the base has it, as the official image does; plain passwd/group lines otherwise.)
RUN if command -v useradd >/dev/null; then \
      useradd --uid 10001 --user-group --create-home --home-dir /home/gilscope --shell /usr/sbin/nologin gilscope; \
    else \
      echo 'gilscope:x:10001:10001:gilscope:/home/gilscope:/usr/sbin/nologin' >> /etc/passwd \
      && echo 'gilscope:x:10001:' >> /etc/group \
      && mkdir -p /home/gilscope && chown 10001:10001 /home/gilscope; \
    fi \
 && mkdir -p /data \
 && chown gilscope:gilscope /data

# One layer of installed files, owned by root (read-only for the server). Copying them rather than the wheels
# keeps the wheels (the sources, zipped) out of the image's layers.
COPY --from=builder /staging/ /

ENV PORT=8000 \
    HOST=0.0.0.0 \
    GILSCOPE_DATA=/data

VOLUME /data
EXPOSE 8000
USER gilscope
WORKDIR /home/gilscope

# Slim images have no curl: ask with Python's own urllib. Shell form, so that ${PORT} is the run's port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=2)" || exit 1

CMD ["gilscope", "serve"]
