#!/bin/sh
# A handler for kubectl watchq --exec: run once per changed object, its JSON on stdin.
#   kubectl watchq cm --exec examples/reconcile.sh
# watchq sets WATCHQ_KEY (namespace/name), WATCHQ_EVENT (sync, add, update, resync or delete) and WATCHQ_ATTEMPT
# (1, then 2, 3, ... while it retries). Exit 0: done. Any other exit: retried with growing
# delays, dropped after --max-retries. What this prints goes to watchq's stderr.
set -eu
bytes=$(wc -c | tr -d ' ')
case "$WATCHQ_EVENT" in
  delete) echo "reconcile: $WATCHQ_KEY is gone, nothing to clean up" ;;
  *) echo "reconcile: $WATCHQ_KEY (attempt $WATCHQ_ATTEMPT, $bytes bytes of JSON) is as it should be" ;;
esac
