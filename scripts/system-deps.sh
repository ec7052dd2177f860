#!/usr/bin/env bash
# Installs the Debian packages Govern's tests use when they are missing:
# git, PostgreSQL (throwaway clusters), Redis (broker), Chromium (portal browser tests),
# Pango and the Noto CJK font (PDF reports through WeasyPrint),
# OpenLDAP's slapd and ldap-utils (a throwaway directory for the LDAP sign-in tests).
# Needs root (or sudo); on a machine that has them all it does nothing.
set -euo pipefail

missing=()
command -v git >/dev/null || missing+=(git)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium)
[ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapadd >/dev/null || missing+=(ldap-utils)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing+=(fonts-noto-cjk)
# WeasyPrint (PDF reports) renders text through Pango.
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || missing+=(libpangoft2-1.0-0)
python3 -m venv --help >/dev/null 2>&1 || missing+=(python3-venv)
[ -x /usr/lib/git-core/git-http-backend ] || missing+=(git)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
