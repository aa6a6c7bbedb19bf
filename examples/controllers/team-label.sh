#!/bin/sh
# Gives every Deployment without a `team` label the label team=unassigned, and records what it
# did in an annotation, as a status. Run it as
#
#   kubectl watchq deployments --changes '{.spec}{.metadata.labels.team}' \
#     --exec examples/controllers/team-label.sh
#
# --changes: an update runs this only when the spec or the team label changed since its last
# successful run, so the annotation it writes never wakes it, and taking the label away does.
# Writing the label itself is such a change: the run after it finds the label and writes nothing.
set -eu

team=$(kubectl create --dry-run=client -f - -o jsonpath='{.metadata.labels.team}')
if [ -z "$team" ]; then
  cat > "$WATCHQ_PATCH" <<EOF
operation: MergePatch
apiVersion: apps/v1
kind: Deployment
namespace: $WATCHQ_NAMESPACE
name: $WATCHQ_NAME
mergePatch:
  metadata:
    labels: {team: unassigned}
    annotations: {example.com/team-label: "defaulted at $(date -u +%Y-%m-%dT%H:%M:%SZ) ($WATCHQ_EVENT)"}
EOF
  echo "labelled team=unassigned"
fi
