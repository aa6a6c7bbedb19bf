#!/bin/sh
# A hook written for shell-operator, run under watchq. Under shell-operator it answers --config
# with its binding and reads its object from the binding context file; under watchq the object
# is on stdin. What it writes back, `cat > "$KUBERNETES_PATCH_PATH"`, is the same for both.
#
#   kubectl watchq configmaps -l audit=true --exec examples/controllers/shell-operator-hook.sh
set -eu

if [ "${1:-}" = "--config" ]; then
  cat <<EOF
configVersion: v1
kubernetes:
- name: audited
  apiVersion: v1
  kind: ConfigMap
  executeHookOnEvent: ["Added", "Modified"]
  labelSelector: {matchLabels: {audit: "true"}}
EOF
  exit 0
fi

# Which object: shell-operator says it in $BINDING_CONTEXT_PATH (read with jq); watchq in WATCHQ_*.
if [ -n "${BINDING_CONTEXT_PATH:-}" ]; then
  name=$(jq -r '.[0].object.metadata.name' "$BINDING_CONTEXT_PATH")
  namespace=$(jq -r '.[0].object.metadata.namespace' "$BINDING_CONTEXT_PATH")
else
  name=$WATCHQ_NAME
  namespace=$WATCHQ_NAMESPACE
fi

# The write-back, unchanged between the two.
cat > "$KUBERNETES_PATCH_PATH" <<EOF
---
operation: CreateOrUpdate
object:
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: $name-audit
    namespace: $namespace
  data:
    source: $name
---
operation: MergePatch
apiVersion: v1
kind: ConfigMap
namespace: $namespace
name: $name
mergePatch:
  metadata:
    annotations:
      example.com/audited-as: $name-audit
EOF
