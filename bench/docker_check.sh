#!/usr/bin/env bash
# The classroom image by hand: builds the real Dockerfile (on the local stand-in for python:3.13-slim where no
# registry serves images), starts it, waits for /healthz, and prints the image size and the seconds to healthy.
# Then shows where the package is installed (from the wheel: site-packages, no source tree in the image) and runs
# one experiment inside (as the non-root user), printing its instruments. Removes its containers.
#
#   bench/docker_check.sh                 # from the project root; PORT=18765 TAG=gilscope by default
#   STANDIN=none bench/docker_check.sh    # skip the stand-in step (a real registry serves the base image)
set -euo pipefail
cd "$(dirname "$0")/.."
TAG=${TAG:-gilscope}
STANDIN=${STANDIN:-${GILSCOPE_STANDIN:-../shared/tools/docker-standin-base}}
LIMIT_S=${LIMIT_S:-10}
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

if [ "$STANDIN" != none ] && [ -x "$STANDIN" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  echo "stand-in base: $STANDIN (log in /tmp/docker-check-standin.log)"
  $SUDO "$STANDIN" >/tmp/docker-check-standin.log 2>&1 || { tail -20 /tmp/docker-check-standin.log; exit 1; }
fi

echo "building $TAG (log in /tmp/docker-check-build.log)"
SECONDS=0
docker build --network host -t "$TAG" . >/tmp/docker-check-build.log 2>&1 || { tail -20 /tmp/docker-check-build.log; exit 1; }
echo "built in ${SECONDS} s"

name=gilscope-check-$$
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' EXIT
docker run -d --name "$name" --network host -e PORT="$PORT" "$TAG" >/dev/null
# Seconds from just after `docker run -d` returned to the first /healthz answer (empty: none within LIMIT_S).
healthy=$(python3 - "$PORT" "$LIMIT_S" <<'PY'
import sys, time, urllib.request
port, limit = sys.argv[1], float(sys.argv[2])
t0 = time.monotonic()
while time.monotonic() - t0 < limit:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
        print(f"{time.monotonic() - t0:.2f}")
        break
    except OSError:
        time.sleep(0.1)
PY
)
size=$(docker image inspect "$TAG" -f '{{.Size}}')
echo "image $TAG: $size bytes ($((size / 1000000)) MB)"
if [ -z "$healthy" ]; then
  echo "no /healthz answer on port $PORT within $LIMIT_S s; container log:"; docker logs "$name" 2>&1 | tail -20
  exit 1
fi
echo "/healthz answered $healthy s after docker run (port $PORT), as uid $(docker exec "$name" id -u)"
docker rm -f "$name" >/dev/null

# The multi-stage build installs the wheel: no /opt/gilscope, no editable install, no gilscope pyproject.toml left.
docker run --rm --user 0 "$TAG" sh -c 'python -c "import gilscope; print(\"gilscope installed in\", gilscope.__file__)"
  left=$(ls -d /opt/gilscope /src /wheels /staging 2>/dev/null; find / -xdev \( -name "__editable__*gilscope*" -o -name "gilscope*.whl" \) 2>/dev/null;
    find / -xdev -name pyproject.toml -exec grep -l "name = \"gilscope\"" {} + 2>/dev/null)
  [ -z "$left" ] && echo "no source tree in the image" || { echo "left in the image: $left"; exit 1; }'

docker run --name "$name" --network host "$TAG" gilscope run --mix cpu:2 --duration 1 --json - \
  | python3 -c 'import json, sys; i = json.load(sys.stdin)["instruments"]; print("instruments in the container:", {k: v for k, v in i.items() if not k.endswith("_detail")}); print("details:", {k: v for k, v in i.items() if k.endswith("_detail") and v}); sys.exit(0 if i["locator"] and i["proc_sampler"] else 1)'
