#!/usr/bin/env bash
# Installs the command-line tools the hub needs, idempotently, the ordinary way for their kind:
# Go tools with `go install` (pinned versions), Debian's package as the fallback for nats-server.
#   scripts/install-tools.sh            # nats-server (what the tests and `npm start` need)
#   scripts/install-tools.sh all        # also grpcurl and the nats CLI (to call the hub by hand)
#   scripts/install-tools.sh grpcurl    # just one tool
#   scripts/install-tools.sh deploy     # helm and kubeconform (CI renders and validates the chart)
set -euo pipefail

NATS_SERVER_VERSION=v2.15.2
GRPCURL_VERSION=v1.9.3
NATS_CLI_VERSION=v0.5.1
HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0

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

# A Go tool at an exact version: present when the binary's build information (`go version -m`: `go install`
# records the module version there, where the tools' own version commands may not) names it, else `go install`.
install_versioned() { # install_versioned NAME MODULE VERSION
  local name=$1 module=$2 version=$3 bin
  command -v go >/dev/null 2>&1 || { echo "$name: needs Go (go install)" >&2; return 1; }
  bin="$(gobin)/$name"
  if [ -x "$bin" ] && go version -m "$bin" 2>/dev/null | grep -qE "^\s+mod\s+\S+\s+${version}\s"; then
    echo "$name ${version}: present ($bin)"
    return
  fi
  echo "$name: go install ${module}@${version}"
  go install "${module}@${version}"
}

install_deploy_tools() {
  install_versioned helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
  install_versioned kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
}

case "${1:-nats-server}" in
  nats-server) install_nats_server ;;
  grpcurl) install_grpcurl ;;
  nats) install_nats_cli ;;
  deploy) install_deploy_tools ;;
  all) install_nats_server; install_grpcurl; install_nats_cli; install_deploy_tools ;;
  *) echo "usage: $0 [nats-server|grpcurl|nats|deploy|all]" >&2; exit 2 ;;
esac
command -v go >/dev/null 2>&1 && echo "Go tools are in $(gobin); add it to PATH to call them by hand." || true
