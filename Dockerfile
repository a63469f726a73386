# gilscope for the classroom: the dashboard on port $PORT, results kept in the /data volume.
#   docker build -t gilscope .
#   docker run -p 8000:8000 -v gilscope-data:/data gilscope
# Give it at least 2 CPUs: a quota such as --cpus 1 throttles the worker and the sampler together.
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

# Editable install: the server finds templates/ and static/ next to app/, in /opt/gilscope. Only wheels are
# needed (no compiler); the sources stay owned by root and read-only for the server. Bytecode compiled here
# so that the non-root server starts fast.
COPY . /opt/gilscope
RUN pip install --no-cache-dir -e '/opt/gilscope[numpy]' \
 && python -m compileall -q /opt/gilscope/app /opt/gilscope/workloads \
 && rm -rf /root/.cache /tmp/* /var/lib/apt/lists/*

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
