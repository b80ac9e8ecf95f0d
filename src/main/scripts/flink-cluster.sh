#!/usr/bin/env bash
# A standalone Flink session cluster on this machine, started from the Maven artifacts the build resolved (no Flink
# distribution tarball is needed), and Flink's own client to submit attnstream to it or to any other cluster.
#
# The JobManager (StandaloneSessionClusterEntrypoint) and every TaskManager (TaskManagerRunner) are separate JVMs,
# started the way Flink's bin/jobmanager.sh and bin/taskmanager.sh start them: memory flags and derived -D options
# from BashJavaUtils, JVM options from env.java.opts.* in config.yaml, log4j to one file per process.
#
#   flink-cluster.sh start [-D key=value ...]           JobManager + $ATTNSTREAM_TASKMANAGERS TaskManagers (1)
#   flink-cluster.sh start-taskmanager [-D key=value ...] one more TaskManager
#   flink-cluster.sh kill-taskmanager [N]               kill -9 TaskManager N (default: the newest): fault injection
#   flink-cluster.sh stop                               stop every process this work directory started
#   flink-cluster.sh status                             processes and the cluster's REST overview
#   flink-cluster.sh submit [flink run options --] ARGS flink run -d <jar> ARGS (ARGS: attnstream's CLI, e.g. run clicks ...)
#   flink-cluster.sh flink ARGS                         any Flink CLI command: list, stop --savepointPath, cancel, run -s ...
#   flink-cluster.sh classpath                          the cluster's classpath (Flink runtime + DJL)
#
# Environment:
#   FLINK_CONF_DIR          configuration directory (default: <repo>/flink-conf)
#   ATTNSTREAM_CLUSTER_DIR  logs, pid files, checkpoints and savepoints of the local cluster
#                           (default: <repo>/target/flink-cluster)
#   ATTNSTREAM_JAR          the job jar to submit (default: <repo>/target/attnstream.jar)
#   ATTNSTREAM_FLINK_CLASSPATH  file holding the cluster classpath (default: <repo>/target/flink-dist.classpath,
#                           written by `mvn package`)
#   ATTNSTREAM_TASKMANAGERS TaskManagers `start` starts (default: 1)
#   ATTNSTREAM_START_TIMEOUT seconds to wait for the cluster to answer with its TaskManagers (default: 120)
#   JAVA_HOME               the JDK to run (default: java on PATH)
#
# Against a real cluster only `submit` and `flink` are used: point them at its REST endpoint with
# `submit -m host:8081 -- run clicks ...` (or -D rest.address=... -D rest.port=...).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../../.." && pwd)
GIVEN_CONF_DIR=${FLINK_CONF_DIR:-}
export FLINK_CONF_DIR=${FLINK_CONF_DIR:-$REPO/flink-conf}
WORK=${ATTNSTREAM_CLUSTER_DIR:-$REPO/target/flink-cluster}
# `start` writes the effective configuration (config.yaml + its -D options) here; the local cluster's processes
# and the client talking to it all read it, so an option given once at start applies everywhere.
LOCAL_CONF=$WORK/conf
JAR=${ATTNSTREAM_JAR:-$REPO/target/attnstream.jar}
CLASSPATH_FILE=${ATTNSTREAM_FLINK_CLASSPATH:-$REPO/target/flink-dist.classpath}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
RESULT_PREFIX="BASH_JAVA_UTILS_EXEC_RESULT:"
# Reporters are on the classpath, not plugins; an empty plugins directory keeps Flink from warning about it.
export FLINK_PLUGINS_DIR=${FLINK_PLUGINS_DIR:-$WORK/plugins}
mkdir -p "$FLINK_PLUGINS_DIR"

die() { echo "flink-cluster.sh: $*" >&2; exit 1; }

cluster_classpath() {
    [[ -f "$CLASSPATH_FILE" ]] || die "$CLASSPATH_FILE not found: build first with 'mvn package -DskipTests'"
    cat "$CLASSPATH_FILE"
}

# -D options given on the command line, as "-D key=value" pairs for the entrypoints and BashJavaUtils. The local
# cluster keeps its checkpoints and savepoints in its work directory unless the caller names other places.
DYNAMIC=()
collect_dynamic() {
    DYNAMIC=(-D "execution.checkpointing.dir=file://$WORK/checkpoints"
             -D "execution.checkpointing.savepoint-dir=file://$WORK/savepoints")
    while [[ $# -gt 0 ]]; do
        case "$1" in
            -D) [[ $# -ge 2 ]] || die "-D needs key=value"; DYNAMIC+=(-D "$2"); shift 2 ;;
            -D*) DYNAMIC+=(-D "${1#-D}"); shift ;;
            *) die "unexpected argument '$1' (only -D key=value is accepted here)" ;;
        esac
    done
}

# Runs BashJavaUtils and prints its result lines without the prefix; fails with its output when it fails.
bash_java_utils() {
    local out
    if ! out=$("$JAVA" -classpath "$(cluster_classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
            --configDir "$FLINK_CONF_DIR" "${DYNAMIC[@]}" "${@:2}" 2>&1); then
        echo "$out" | tail -n 20 >&2
        die "BashJavaUtils $1 failed (configuration in $FLINK_CONF_DIR)"
    fi
    echo "$out" | grep "^$RESULT_PREFIX" | sed "s/^$RESULT_PREFIX//"
}

# The flattened configuration (config.yaml + -D options) in CONF[key].
declare -A CONF
load_config() {
    local line key value
    while IFS= read -r line; do
        key=${line%%: *}
        value=${line#*: }
        value=${value#\'}; value=${value%\'}
        CONF[$key]=$value
    done < <(bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION --flatten)
}

rest_url() {
    local address=${CONF[rest.address]:-localhost} port=${CONF[rest.port]:-8081}
    echo "http://$address:$port"
}

java_opts() { # role: jobmanager | taskmanager | client
    echo "${CONF[env.java.opts.all]:-} ${CONF[env.java.opts.$1]:-}"
}

# Starts one Flink process in the background: $1 = name (log/pid file), $2 = main class, $3 = role,
# $4 = JVM memory flags, $5 = derived -D options; the caller's -D options follow.
start_process() {
    local name=$1 main=$2 role=$3 memory=$4 derived=$5
    mkdir -p "$WORK/log" "$WORK/pid"
    local log="$WORK/log/$name.log"
    # Word splitting of the flag strings is intended: they are lists of JVM options and "-D k=v" pairs.
    # shellcheck disable=SC2086,SC2046
    nohup "$JAVA" $memory $(java_opts "$role") \
        -Dlog.file="$log" \
        -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j.properties" \
        -classpath "$(cluster_classpath)" "$main" \
        --configDir "$FLINK_CONF_DIR" $derived "${DYNAMIC[@]}" \
        > "$WORK/log/$name.out" 2>&1 < /dev/null &
    echo $! > "$WORK/pid/$name.pid"
    STARTED_LOG=$log
    echo "started $name (pid $!), log $log"
}

# Waits until the TaskManager logging to $1 has registered at the ResourceManager.
wait_for_registration() {
    local log=$1 deadline=$((SECONDS + ${ATTNSTREAM_START_TIMEOUT:-120}))
    while (( SECONDS < deadline )); do
        if grep -q "Successful registration at resource manager" "$log" 2> /dev/null; then
            echo "$(basename "$log" .log) registered at $(rest_url)"
            return 0
        fi
        sleep 1
    done
    die "$(basename "$log" .log) did not register within ${ATTNSTREAM_START_TIMEOUT:-120}s; see $log"
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2> /dev/null; }

# Writes $LOCAL_CONF: the log4j files of $FLINK_CONF_DIR and a flat config.yaml that Flink itself merged from
# config.yaml and the -D options (Flink 2 reads flat keys as well as nested ones).
write_local_conf() {
    local flat
    flat=$(bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION --flatten)
    mkdir -p "$LOCAL_CONF"
    cp "$FLINK_CONF_DIR"/log4j*.properties "$LOCAL_CONF"/ 2> /dev/null || true
    { echo "# Written by flink-cluster.sh start from $FLINK_CONF_DIR/config.yaml and the -D options given to it."
      echo "$flat"; } > "$LOCAL_CONF/config.yaml"
    export FLINK_CONF_DIR=$LOCAL_CONF
    DYNAMIC=()
}

# Commands after `start` use the local cluster's configuration while it runs, unless FLINK_CONF_DIR was given.
use_local_conf_if_running() {
    if [[ -z "$GIVEN_CONF_DIR" && -f "$LOCAL_CONF/config.yaml" ]] && alive "$WORK/pid/jobmanager.pid"; then
        export FLINK_CONF_DIR=$LOCAL_CONF
    fi
}

# Waits until the REST endpoint answers and reports at least $1 TaskManagers (0: just answers).
wait_for_cluster() {
    local want=$1 deadline=$((SECONDS + ${ATTNSTREAM_START_TIMEOUT:-120})) overview
    while (( SECONDS < deadline )); do
        if overview=$(curl -sf "$(rest_url)/overview" 2> /dev/null); then
            local tms
            tms=$(echo "$overview" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p')
            if (( ${tms:-0} >= want )); then
                echo "cluster up at $(rest_url): $overview"
                return 0
            fi
        fi
        if ! alive "$WORK/pid/jobmanager.pid"; then
            tail -n 30 "$WORK/log/jobmanager.out" "$WORK/log/jobmanager.log" 2> /dev/null >&2 || true
            die "the JobManager exited; see $WORK/log/jobmanager.log"
        fi
        sleep 1
    done
    die "no cluster with $want TaskManager(s) at $(rest_url) after ${ATTNSTREAM_START_TIMEOUT:-120}s; see $WORK/log"
}

start_jobmanager() {
    local params
    mapfile -t params < <(bash_java_utils GET_JM_RESOURCE_PARAMS)
    [[ ${#params[@]} -eq 2 ]] || die "BashJavaUtils GET_JM_RESOURCE_PARAMS printed ${#params[@]} lines, expected 2"
    start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint jobmanager \
        "${params[0]}" "${params[1]}"
}

start_taskmanager() {
    local params index=1
    # A new number for every TaskManager this work directory has seen: each keeps its own log (a killed one's
    # log is evidence), and a registration is only looked for in the new process's log.
    while [[ -e "$WORK/pid/taskmanager-$index.pid" || -e "$WORK/log/taskmanager-$index.log" ]]; do index=$((index + 1)); done
    mapfile -t params < <(bash_java_utils GET_TM_RESOURCE_PARAMS)
    [[ ${#params[@]} -eq 2 ]] || die "BashJavaUtils GET_TM_RESOURCE_PARAMS printed ${#params[@]} lines, expected 2"
    start_process "taskmanager-$index" org.apache.flink.runtime.taskexecutor.TaskManagerRunner taskmanager \
        "${params[0]}" "${params[1]}"
}

stop_pid_file() {
    local f=$1 pid
    [[ -f "$f" ]] || return 0
    pid=$(cat "$f")
    if kill -0 "$pid" 2> /dev/null; then
        kill "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2> /dev/null || break; sleep 1; done
        kill -0 "$pid" 2> /dev/null && kill -9 "$pid" && echo "$(basename "$f" .pid) did not stop in 30 s: killed"
        echo "stopped $(basename "$f" .pid) (pid $pid)"
    fi
    rm -f "$f"
}

client() {
    # shellcheck disable=SC2046
    "$JAVA" $(java_opts client) \
        -Dlog.file="$WORK/log/client.log" \
        -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j-cli.properties" \
        -classpath "$(cluster_classpath)" org.apache.flink.client.cli.CliFrontend "$@"
}

command=${1:-}
[[ $# -gt 0 ]] && shift
case "$command" in
    start)
        alive "$WORK/pid/jobmanager.pid" && die "a JobManager already runs (pid $(cat "$WORK/pid/jobmanager.pid")); stop it first"
        # The previous run's logs stay one generation (log.previous/), as Flink's scripts rotate theirs.
        if [[ -d "$WORK/log" ]]; then
            rm -rf "$WORK/log.previous"
            mv "$WORK/log" "$WORK/log.previous"
        fi
        for f in "$WORK"/pid/*.pid; do
            [[ -e "$f" ]] || continue
            alive "$f" && die "$(basename "$f" .pid) of an earlier start still runs (pid $(cat "$f")); run stop first"
            rm -f "$f" # stale: its process is gone
        done
        collect_dynamic "$@"
        write_local_conf
        load_config
        start_jobmanager
        wait_for_cluster 0
        for _ in $(seq 1 "${ATTNSTREAM_TASKMANAGERS:-1}"); do start_taskmanager; done
        wait_for_cluster "${ATTNSTREAM_TASKMANAGERS:-1}"
        ;;
    start-taskmanager)
        use_local_conf_if_running
        collect_dynamic "$@"
        load_config
        start_taskmanager
        # Not the REST count of TaskManagers: a killed one stays registered until its heartbeats time out.
        wait_for_registration "$STARTED_LOG"
        ;;
    kill-taskmanager)
        if [[ $# -gt 0 ]]; then
            f="$WORK/pid/taskmanager-$1.pid"
        else
            # shellcheck disable=SC2012 # our own pid file names: newest by modification time
            f=$(ls -t "$WORK"/pid/taskmanager-*.pid 2> /dev/null | head -n 1 || true)
        fi
        [[ -n "$f" && -f "$f" ]] || die "no TaskManager pid file in $WORK/pid"
        kill -9 "$(cat "$f")" && echo "killed -9 $(basename "$f" .pid) (pid $(cat "$f"))"
        rm -f "$f"
        ;;
    stop)
        shopt -s nullglob
        for f in "$WORK"/pid/taskmanager-*.pid "$WORK"/pid/jobmanager.pid; do stop_pid_file "$f"; done
        ;;
    status)
        use_local_conf_if_running
        collect_dynamic
        load_config
        shopt -s nullglob
        for f in "$WORK"/pid/*.pid; do
            if alive "$f"; then state=running; else state=dead; fi
            echo "$(basename "$f" .pid) pid $(cat "$f") $state"
        done
        curl -sf "$(rest_url)/overview" && echo || echo "no cluster answers at $(rest_url)"
        ;;
    submit)
        [[ -f "$JAR" ]] || die "$JAR not found: build first with 'mvn package -DskipTests'"
        use_local_conf_if_running
        collect_dynamic
        load_config
        run_options=()
        if [[ " $* " == *" -- "* ]]; then
            while [[ $# -gt 0 && "$1" != "--" ]]; do run_options+=("$1"); shift; done
            shift
        fi
        [[ $# -gt 0 ]] || die "submit needs the attnstream command to run, e.g. submit -- run clicks --model ..."
        mkdir -p "$WORK/log"
        client run -d "${run_options[@]}" "$JAR" "$@"
        ;;
    flink)
        use_local_conf_if_running
        collect_dynamic
        load_config
        mkdir -p "$WORK/log"
        client "$@"
        ;;
    classpath)
        cluster_classpath
        ;;
    help | -h | --help | "")
        # The comment block at the top of this file is the help.
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
        ;;
    *)
        echo "flink-cluster.sh: unknown command '$command' (commands: start, start-taskmanager, kill-taskmanager, stop, status, submit, flink, classpath, help)" >&2
        exit 2
        ;;
esac
