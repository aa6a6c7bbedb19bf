#!/bin/sh
# Keeps a Secret beside every ConfigMap labelled copy=true: same name, same data, owned by the
# ConfigMap. Run it as
#
#   kubectl watchq configmaps -l copy=true --owns secrets \
#     --finalizer example.com/copy-to-secret --exec examples/controllers/copy-to-secret.sh
#
# --owns secrets: someone deletes or edits the Secret → this runs again (WATCHQ_EVENT=resync)
# and makes it again. --finalizer: deleting the ConfigMap runs this with WATCHQ_EVENT=finalize,
# even when it happened while watchq was down, and the Secret goes with it.
# The ConfigMap's JSON is on stdin; what to write back goes to $WATCHQ_PATCH, carried out by
# watchq after exit 0 (as the same user, on the same cluster).
set -eu

secret_ops() {
  # The ConfigMap's UID and data, read from stdin by kubectl itself (no jq needed).
  out=$(kubectl create --dry-run=client -f - -o jsonpath='{.metadata.uid} {.data}')
  uid=${out%% *}
  data=${out#* }
  [ -n "$data" ] || data='{}'
  cat <<EOF
{"operation": "Apply",
 "object": {"apiVersion": "v1", "kind": "Secret",
  "metadata": {"name": "$WATCHQ_NAME", "namespace": "$WATCHQ_NAMESPACE",
   "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "$WATCHQ_NAME", "uid": "$uid", "controller": true}]},
  "stringData": $data}}
EOF
}

case "$WATCHQ_EVENT" in
  sync | add | update | resync)
    secret_ops > "$WATCHQ_PATCH"
    echo "secret $WATCHQ_NAME up to date"
    ;;
  finalize | delete)
    printf '{"operation": "DeleteInBackground", "apiVersion": "v1", "kind": "Secret", "namespace": "%s", "name": "%s"}\n' "$WATCHQ_NAMESPACE" "$WATCHQ_NAME" > "$WATCHQ_PATCH"
    echo "secret $WATCHQ_NAME deleted"
    ;;
esac
