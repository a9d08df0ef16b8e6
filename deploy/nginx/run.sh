#!/usr/bin/env bash
# Scale-out check: two instances of a flasky app behind Debian's nginx on
# loopback, restarted one at a time under load; reports failed requests
# (goal 0) and the client address the apps see. Installs nginx when it is
# missing and this runs as root with apt-get; without nginx it says so
# and exits 0. Arguments go to the program: -duration 20s -clients 4.
#
#   bash deploy/nginx/run.sh
#   bash deploy/nginx/run.sh -duration 60s
set -euo pipefail
cd "$(dirname "$0")/../.."

have_nginx() { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }

if ! have_nginx && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "cluster: installing nginx (apt-get install -y nginx)"
  # policy-rc.d-less machines start the packaged nginx service on port
  # 80; the check itself never uses it.
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx) >/dev/null 2>&1 ||
    echo "cluster: apt-get install nginx failed"
fi
if ! have_nginx; then
  echo "cluster: nginx is not installed and could not be installed: skipped"
  exit 0
fi
exec go run ./deploy/nginx "$@"
