#!/usr/bin/env bash
# Starts a real single-node SLURM cluster, submits a sweep as a job array with a dependent
# merge job, waits, and checks points.csv is byte-identical to the same sweep on one machine.
# Stops the daemons it started. Needs root and Debian's packages.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/target/release/collabgov"
[ -x "$BIN" ] || cargo build --release -p collabgov-cli
if ! command -v slurmctld >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmd slurmctld slurm-client munge >/dev/null
fi
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
rm -rf /var/spool/slurmctld/* /var/spool/slurmd/*
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
[ -f /etc/munge/munge.key ] || { mkdir -p /etc/munge; dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
chown munge:munge /run/munge && chmod 755 /run/munge
started=()
stop() {
  for pidfile in /run/slurmd.pid /run/slurmctld.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  if [ "${#started[@]}" -gt 0 ] && [ -f /run/munge/munged.pid ]; then kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true; fi
}
trap stop EXIT
if ! pgrep -x munged >/dev/null; then runuser -u munge -- /usr/sbin/munged; started+=(munged); fi
/usr/sbin/slurmctld
/usr/sbin/slurmd -N localhost
for _ in $(seq 1 60); do
  sinfo -h -o %t 2>/dev/null | grep -q idle && break
  sleep 1
done
sinfo

work="$(mktemp -d)"
cp scenarios/siloed-government.toml "$work/"
cat > "$work/small.sweep.toml" <<SWEEP
name = "slurm-check"
base = "siloed-government.toml"
design = "grid"
replicates = 8
rounds = 60
seed = 5
[[factors]]
key = "parameters.silo"
from = 0.0
to = 1.0
steps = 6
[[factors]]
key = "parameters.leadership"
values = [0.2, 0.8]
SWEEP
"$BIN" sweep "$work/small.sweep.toml" --out "$work/single" --no-charts >/dev/null
COLLABGOV="$BIN" scripts/slurm/submit.sh "$work/small.sweep.toml" "$work/cluster" 3
for _ in $(seq 1 180); do
  [ -f "$work/cluster/points.csv" ] && ! squeue -h | grep -q . && break
  sleep 1
done
squeue || true
cat "$work"/cluster/slurm-merge-*.out 2>/dev/null || true
if cmp "$work/single/points.csv" "$work/cluster/points.csv"; then
  echo "slurm: 1 passed, 0 failed"
else
  echo "slurm: the cluster's points.csv differs from one machine's" >&2
  for log in "$work"/cluster/slurm-*.out; do echo "== $log"; cat "$log"; done >&2
  echo "slurm: 0 passed, 1 failed"
  exit 1
fi
rm -rf "$work"
