#!/usr/bin/env bash
# Installs the command-line tools the hub needs, idempotently, the ordinary way for their kind:
# Go tools with `go install` (pinned versions), Debian's package as the fallback for nats-server.
#   scripts/install-tools.sh            # nats-server (what the tests and `npm start` need)
#   scripts/install-tools.sh all        # also grpcurl and the nats CLI (to call the hub by hand)
#   scripts/install-tools.sh grpcurl    # just one tool
set -euo pipefail

NATS_SERVER_VERSION=v2.15.2
GRPCURL_VERSION=v1.9.3
NATS_CLI_VERSION=v0.5.1

gobin() {
  local dir
  dir=$(go env GOBIN 2>/dev/null || true)
  [ -n "$dir" ] || dir="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
  echo "$dir"
}

have() { # have NAME: the tool is on PATH or in Go's bin directory
  command -v "$1" >/dev/null 2>&1 || { command -v go >/dev/null 2>&1 && [ -x "$(gobin)/$1" ]; }
}

install_nats_server() {
  local bin
  if command -v go >/dev/null 2>&1; then
    bin="$(gobin)/nats-server"
    if [ -x "$bin" ] && "$bin" --version | grep -q "${NATS_SERVER_VERSION}"; then
      echo "nats-server ${NATS_SERVER_VERSION}: present ($bin)"
      return
    fi
    echo "nats-server: go install github.com/nats-io/nats-server/v2@${NATS_SERVER_VERSION}"
    if go install "github.com/nats-io/nats-server/v2@${NATS_SERVER_VERSION}"; then
      "$bin" --version
      return
    fi
    echo "nats-server: go install failed; falling back to Debian's package" >&2
  fi
  if command -v nats-server >/dev/null 2>&1; then
    echo "nats-server: using $(command -v nats-server) ($(nats-server --version))"
    return
  fi
  apt-get update -qq && apt-get install -y -qq nats-server
  nats-server --version
}

install_grpcurl() {
  if have grpcurl; then
    echo "grpcurl: present"
    return
  fi
  echo "grpcurl: go install github.com/fullstorydev/grpcurl/cmd/grpcurl@${GRPCURL_VERSION}"
  go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@${GRPCURL_VERSION}"
}

install_nats_cli() {
  if have nats; then
    echo "nats CLI: present"
    return
  fi
  echo "nats CLI: go install github.com/nats-io/natscli/nats@${NATS_CLI_VERSION}"
  go install "github.com/nats-io/natscli/nats@${NATS_CLI_VERSION}"
}

case "${1:-nats-server}" in
  nats-server) install_nats_server ;;
  grpcurl) install_grpcurl ;;
  nats) install_nats_cli ;;
  all) install_nats_server; install_grpcurl; install_nats_cli ;;
  *) echo "usage: $0 [nats-server|grpcurl|nats|all]" >&2; exit 2 ;;
esac
command -v go >/dev/null 2>&1 && echo "Go tools are in $(gobin); add it to PATH to call them by hand." || true
