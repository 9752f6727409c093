#!/usr/bin/env bash
# install-deps.sh — installs every Debian 12 package Postino's build, tests and
# tools need. Idempotent and non-interactive: when everything is already
# installed it does nothing (not even `apt-get update`).
set -euo pipefail

PACKAGES=(
  g++ cmake ninja-build pkg-config git ccache
  libboost-dev libyaml-cpp-dev catch2 libcli11-dev nlohmann-json3-dev libfmt-dev
  libssl-dev openssl
  libmimalloc-dev
  libimgui-dev libglfw3-dev libstb-dev libgl-dev libgl1-mesa-dri xvfb xauth
  clang clang-tidy libclang-rt-14-dev
  tshark
  curl swaks python3 jq
  chromium fonts-dejavu-core
  # swaks -tls (STARTTLS tests, tests/wire/serve_tls.py)
  libnet-ssleay-perl libio-socket-ssl-perl
  # Real servers for conformance/peers/ (docs/peers.md): Postfix (with
  # smtp-sink and smtp-source), Dovecot IMAP and POP3, and the libraries of
  # the Exim binary that is unpacked from its .deb below (Exim itself
  # conflicts with postfix, so it is not installed).
  postfix dovecot-core dovecot-imapd dovecot-pop3d libidn12
)

# Exim's packages are fetched, not installed (they conflict with postfix, as
# every mail-transport-agent does); conformance/peers/exim.sh unpacks the
# .deb with dpkg-deb -x into its private directory.
EXIM_DEBS=(exim4-daemon-light)
PEERS_CACHE="${POSTINO_PEERS_CACHE:-/var/cache/postino-peers}"

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

missing_debs=()
for p in "${EXIM_DEBS[@]}"; do
  compgen -G "$PEERS_CACHE/${p}_*.deb" >/dev/null || missing_debs+=("$p")
done
# The Exim binary looks up its compiled-in user before reading any config;
# exim4-base's install script would create it.
exim_user=Debian-exim
getent passwd "$exim_user" >/dev/null && exim_user=""

if [ ${#missing[@]} -eq 0 ] && [ ${#missing_debs[@]} -eq 0 ] && [ -z "$exim_user" ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed, ${#EXIM_DEBS[@]} .deb in $PEERS_CACHE"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]} ${missing_debs[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -ne 0 ] || [ ${#missing_debs[@]} -ne 0 ]; then $SUDO apt-get update -qq; fi

if [ ${#missing[@]} -ne 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  # tshark asks whether non-root users may capture; answer no, non-interactively.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections 2>/dev/null || true
  # Postfix asks for its mailer type and mail name; "Local only" keeps its
  # system instance from relaying anything.
  printf '%s\n' "postfix postfix/main_mailer_type select Local only" \
                "postfix postfix/mailname string example.test" | $SUDO debconf-set-selections
  # Package scripts must not start system daemons on ports 25/110/143: an
  # /usr/sbin/policy-rc.d that exits 101 forbids it for the install. One that
  # was already there (containers ship one) is left as it is.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# install-deps.sh: no daemon starts during the install\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    trap '$SUDO rm -f "$policy"' EXIT
  fi
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ${#missing_debs[@]} -ne 0 ]; then
  echo "install-deps: fetching ${missing_debs[*]} into $PEERS_CACHE"
  $SUDO mkdir -p "$PEERS_CACHE"
  # apt-get download writes into the current directory as the _apt user, so
  # it downloads into a fresh directory _apt owns; the .deb moves into the
  # cache only once complete, so an interrupted run is simply repeated.
  tmp=$($SUDO mktemp -d)
  $SUDO chown _apt "$tmp" 2>/dev/null || true
  (cd "$tmp" && $SUDO apt-get download -qq "${missing_debs[@]}")
  $SUDO mv "$tmp"/*.deb "$PEERS_CACHE"/
  $SUDO rm -rf "$tmp"
fi
if [ -n "$exim_user" ]; then
  echo "install-deps: adding the system user $exim_user (for the unpacked Exim)"
  $SUDO useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$exim_user"
fi
echo "install-deps: done"
