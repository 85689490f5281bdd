#!/usr/bin/env bash
# A throw-away single-node Slurm cluster (Debian's slurm-wlm and munge) for testing `sweep --format slurm`.
# Usage: scripts/slurm-single-node.sh start DIR   (prints: export SLURM_CONF=DIR/slurm.conf)
#        scripts/slurm-single-node.sh stop DIR    (stops only the daemons this script started, by their pid files)
# Needs root (slurmd and munged); exits 3 with one line naming what is missing when it cannot start.
set -euo pipefail
action="${1:?usage: $0 start|stop DIR}"
dir="$(mkdir -p "${2:?usage: $0 start|stop DIR}" && cd "$2" && pwd)"
conf="$dir/slurm.conf"
fail() { echo "slurm-single-node: $*" >&2; exit 3; }

stop() {
  for name in slurmd slurmctld munged; do
    if [[ -f "$dir/$name.pid" ]]; then
      pid="$(cat "$dir/$name.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/$name.pid"
    fi
  done
}

if [[ "$action" == stop ]]; then stop; exit 0; fi
[[ "$action" == start ]] || fail "unknown action '$action' (start or stop)"
for tool in slurmctld slurmd munged sbatch sinfo; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] || fail "$tool is missing: apt-get install -y slurm-wlm munge"
done
[[ "$(id -u)" == 0 ]] || fail "slurmd and munged need root here; run as root (CI does)"
host="$(hostname -s)"
cpus="$(nproc)"
mkdir -p "$dir/state" "$dir/spool" "$dir/munge" "$dir/log"
# munge: a key of our own, a socket in DIR (the system's munged, if any, is left alone)
[[ -f "$dir/munge/munge.key" ]] || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 700 "$dir/munge"; chmod 400 "$dir/munge/munge.key"
socket="$dir/munge/munge.socket"
/usr/sbin/munged --force --key-file="$dir/munge/munge.key" --socket="$socket" --pid-file="$dir/munged.pid" \
  --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed" || fail "munged did not start (see $dir/log/munged.log)"
cat > "$conf" <<CONF
ClusterName=scratchnet
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmctldPort=6917
SlurmdPort=6918
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"
/usr/sbin/slurmctld -f "$conf" || { stop; fail "slurmctld did not start (see $dir/log/slurmctld.log)"; }
/usr/sbin/slurmd -f "$conf" || { stop; fail "slurmd did not start (see $dir/log/slurmd.log)"; }
for _ in $(seq 100); do
  if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then echo "export SLURM_CONF=$conf"; exit 0; fi
  sleep 0.2
done
stop
fail "the node did not become idle in 20 s: $(tail -n 1 "$dir/log/slurmctld.log" 2>/dev/null)"
