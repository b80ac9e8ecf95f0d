#!/usr/bin/env bash
# attnstream-submit-once flink run [flink options] -m HOST:PORT JAR run PIPELINE [attnstream options]
#
# Runs the given `flink run` unless the cluster already runs (or restarts) that pipeline's job. Compose starts a
# finished one-shot service again on every `up`, and a second copy of a job would share the first one's Kafka
# transactional ids (attnstream-<pipeline>-...) and fence it.
set -euo pipefail
args=("$@")
jobmanager=""
pipeline=""
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
        -m | --jobmanager) jobmanager="${args[i + 1]:-}" ;;
        *.jar) if [ "${args[i + 1]:-}" = run ]; then pipeline="${args[i + 2]:-}"; fi ;;
    esac
done
if [ -z "$jobmanager" ] || [ -z "$pipeline" ]; then
    echo "attnstream-submit-once: expected 'flink run ... -m HOST:PORT JAR run PIPELINE ...', got: $*" >&2
    exit 2
fi
# `flink list -r` prints "<time> : <job id> : <job name> (RUNNING)"; the job of pipeline p is named attnstream-p.
if flink list -r -m "$jobmanager" | grep -qF " : attnstream-${pipeline} ("; then
    echo "attnstream-submit-once: attnstream-${pipeline} already runs on ${jobmanager}; not submitting it again"
    exit 0
fi
exec "$@"
