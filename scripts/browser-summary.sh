#!/usr/bin/env bash
# Say plainly, in the last lines of a test run, when the browser tests could not run.
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo
  echo "NOTE: browser tests were SKIPPED because Chromium is not installed."
  echo "      Install it with: sudo apt-get install chromium"
fi
