#!/usr/bin/env bash
# PDF reports are drawn by WeasyPrint, which needs Pango and its fonts from the system.
# Install them when missing and we may; else explain.
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' && ldconfig -p | grep -q 'libpangoft2-1.0.so'; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Pango for PDF reports..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
  exit 0
fi
echo "Pango is missing, so PDF reports cannot be drawn (and their tests fail)."
echo "Install it with: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
