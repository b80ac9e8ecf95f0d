#!/usr/bin/env bash
# One-shot init of the compose setup: trains the three small models the compose jobs serve into the models volume,
# on the same simulated network, shop and street scenes the compose producers send (same sizes and seed 42), so
# every sensor and item the producers emit is one the models know. A model that is already there (an earlier run,
# or a volume of your own mounted at the models root) is kept: training is skipped, never repeated or overwritten.
set -euo pipefail
root="${ATTNSTREAM_MODELS_ROOT:-/var/lib/attnstream/models}"
mkdir -p "$root"

train_once() {
    local name=$1
    shift
    if [ -f "$root/$name/1/model.json" ]; then
        echo "init-models: $name@1 is already in $root, not training it"
    else
        echo "init-models: training $name@1 into $root"
        attnstream train "$@" --name "$name" --version 1 --out "$root"
    fi
}

# The same recipes as the demo's (DemoModels, src/main/resources/demo-models/README.md): about a minute each.
train_once traffic-demo traffic --simulate 20 --days 14 --seed 42 --epochs 12 --patience 3 --max-minutes 1
train_once clicks-demo clicks --simulate 500 --items 1000 --events-per-user 40 --seed 42 --max-minutes 0.5
train_once video-demo video --simulate 96 --width 96 --height 72 --max-minutes 1 --learning-rate 0.003 \
    --no-class-weighting --seed 42
echo "init-models: models ready in $root"
