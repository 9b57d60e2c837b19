#!/usr/bin/env bash
# Point-in-time recovery drill for PostgreSQL with pgBackRest.
#
# Proves, end to end on this machine, that a base backup plus archived WAL
# restores a cluster to a chosen moment: every transaction committed before
# that moment is back, and nothing committed after it is.
#
#   1. initdb a throwaway cluster in a fresh temporary directory; it listens
#      only on a Unix socket inside that directory, so it cannot collide with
#      (or be reached instead of) any PostgreSQL server already running here
#   2. write a pgBackRest configuration whose repository is a local path in
#      the same directory, and start the cluster with WAL archiving on
#   3. stanza-create, check, full backup
#   4. create a table, insert the "before" rows, switch WAL
#   5. note the target time from the server's clock
#   6. insert the "after" rows, then `check` again, which switches WAL and
#      waits until that segment is in the repository
#   7. stop the cluster and restore the backup into a new, empty data
#      directory with --type=time --target=<target> --target-action=promote
#   8. start the restored cluster, wait for recovery to finish, and verify
#      that exactly the "before" rows are present and none of the "after"
#
# Every step is printed with the time it took. The clusters are stopped and
# the temporary directory removed on exit, also on failure (PITR_KEEP=1
# keeps the directory for a look at the logs).
#
# Run:  make pitr-drill    or    bash deploy/pgbackrest/pitr-drill.sh
# Needs: pgbackrest and the PostgreSQL server binaries (Debian:
#   apt-get install postgresql pgbackrest). initdb and postgres refuse to run
#   as root, so when started as root the cluster and pgBackRest run as
#   PITR_OS_USER (default: postgres, which the postgresql package creates).
#
# Settings (environment):
#   PG_BIN        directory holding initdb, pg_ctl, postgres and psql
#                 (default: the one initdb on PATH lives in, else the newest
#                 /usr/lib/postgresql/*/bin)
#   PITR_OS_USER  OS user for the cluster when run as root (default postgres)
#   PITR_PORT     port number; only names the socket file (default 55432)
#   PITR_ROWS     rows in each batch (default 100)
#   PITR_TMPDIR   where the temporary directory is made (default $TMPDIR or /tmp)
#   PITR_KEEP=1   keep the temporary directory
#
# As a template for a drill against the real repository: run on a spare
# host (never the primary) with the production /etc/pgbackrest/pgbackrest.conf
# and the repository credentials in the environment, leave out the throwaway
# cluster, its backup and its rows, and keep the restore and the checks as
# they are: restore into an empty directory with
#   pgbackrest --stanza=reccollection restore --pg1-path=/srv/pitr-restore \
#     --type=time --target="2026-01-31 12:00:00+00" --target-action=promote \
#     --archive-mode=off
# (--archive-mode=off keeps the restored copy from pushing WAL of a new
# timeline into the production repository), start it on a free port, wait
# for pg_is_in_recovery() to turn false and replace the row checks with
# queries that matter, e.g. the newest recipes.created_at must lie just before
# the target. Record how long the restore took: that is the recovery time
# to plan with.
set -euo pipefail
export LC_ALL=C
# An operator's shell may carry PGBACKREST_* settings for the production
# repository (environment beats the configuration file in pgBackRest) or
# PGHOST and friends; none of them may steer the drill.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^PG[A-Z]' || true)

stanza=drill
rows=${PITR_ROWS:-100}
port=${PITR_PORT:-55432}
os_user=${PITR_OS_USER:-postgres}

# Timing: EPOCHREALTIME (bash 5) to the microsecond, printed in seconds.
now_us() { local t=${EPOCHREALTIME}; echo "${t/./}"; }
fmt_us() { printf '%d.%02ds' "$(($1 / 1000000))" "$(($1 % 1000000 / 10000))"; }
drill_start=$(now_us)
step_name=
step_start=
step_no=0

end_step() {
	if [[ -n $step_name ]]; then
		printf '    done in %s\n' "$(fmt_us $(($(now_us) - step_start)))"
	fi
	step_name=
}
step() {
	end_step
	step_no=$((step_no + 1))
	step_name=$1
	step_start=$(now_us)
	printf '==> [%s] %d. %s\n' "$(fmt_us $((step_start - drill_start)))" "$step_no" "$step_name"
}
fail() {
	printf 'PITR drill FAILED: %s\n' "$*" >&2
	exit 1
}

# --- the tools ---------------------------------------------------------------

pgbackrest_bin=$(command -v pgbackrest) ||
	fail "pgbackrest not found (Debian: apt-get install pgbackrest)"
if [[ -z ${PG_BIN:-} ]]; then
	if initdb_path=$(command -v initdb); then
		PG_BIN=$(dirname "$(readlink -f "$initdb_path")")
	else
		PG_BIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
	fi
fi
for tool in initdb pg_ctl postgres psql; do
	[[ -x ${PG_BIN:-}/$tool ]] ||
		fail "$tool not found in '${PG_BIN:-}' (set PG_BIN, or Debian: apt-get install postgresql)"
done

# initdb and postgres refuse root, and pgBackRest must run as the user that
# owns the data directory, so everything touching the cluster runs as one
# unprivileged user.
run_as=()
if ((EUID == 0)); then
	id -u "$os_user" >/dev/null 2>&1 ||
		fail "running as root needs an unprivileged OS user for the cluster; '$os_user' does not exist (set PITR_OS_USER)"
	run_as=(runuser -u "$os_user" --)
fi
as_user() { "${run_as[@]}" "$@"; }

# --- the temporary directory and its cleanup -----------------------------------

# Made by root but used by the cluster's user, so every directory above it
# must let that user through; a root-only $TMPDIR falls back to /tmp.
make_tmp() {
	local dir
	dir=$(mktemp -d "$1/pitr-drill.XXXXXX") || return 1
	chmod 700 "$dir"
	if ((EUID == 0)); then
		chown "$os_user" "$dir"
	fi
	if ! as_user test -w "$dir"; then
		rm -rf "$dir"
		return 1
	fi
	echo "$dir"
}
base=${PITR_TMPDIR:-${TMPDIR:-/tmp}}
if ! tmp=$(make_tmp "$base"); then
	[[ -z ${PITR_TMPDIR:-} && $base != /tmp ]] ||
		fail "cannot make a directory in $base that the cluster's user can write to (set PITR_TMPDIR)"
	tmp=$(make_tmp /tmp) || fail "cannot make a directory in /tmp that the cluster's user can write to (set PITR_TMPDIR)"
fi
# The path goes into archive_command and postgresql.conf between single quotes.
[[ $tmp =~ ^[A-Za-z0-9/._-]+$ ]] || { rm -rf "$tmp"; fail "temporary directory path '$tmp' has characters unsafe in archive_command; set PITR_TMPDIR"; }
conf=$tmp/pgbackrest.conf
# An explicit, empty include path, so that no /etc/pgbackrest/conf.d/*.conf
# on this machine is merged into the drill's configuration.
conf_d=$tmp/conf.d
primary=$tmp/primary
restored=$tmp/restored
sock=$tmp/socket
running=()

stop_cluster() {
	local data=$1 mode=$2
	as_user "$PG_BIN/pg_ctl" -D "$data" -m "$mode" -w -t 60 stop >/dev/null 2>&1
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	set +e
	if ((rc != 0)); then
		local what=FAILED
		((rc == 130 || rc == 143)) && what=interrupted
		[[ -n $step_name ]] && printf 'PITR drill %s during step %d: %s\n' "$what" "$step_no" "$step_name" >&2
		# The servers' logs and the pgBackRest log written last, which
		# belongs to the command that failed if one did.
		local logs=("$tmp"/primary.log "$tmp"/restored.log) newest
		newest=$(find "$tmp/log" -name '*.log' -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
		[[ -n $newest ]] && logs+=("$newest")
		for log in "${logs[@]}"; do
			[[ -s $log ]] || continue
			printf -- '--- last lines of %s ---\n' "${log#"$tmp"/}" >&2
			tail -n 20 "$log" >&2
		done
	fi
	for data in "${running[@]}"; do
		stop_cluster "$data" immediate
	done
	# pgBackRest's asynchronous archive-push/archive-get workers outlive the
	# command that started them by a moment; let them finish before the
	# directory they work in goes.
	for _ in $(seq 1 50); do
		pgrep -f -- "--config=$conf" >/dev/null || break
		sleep 0.2
	done
	if [[ ${PITR_KEEP:-} == 1 ]]; then
		printf 'kept %s\n' "$tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The user's current directory may be one it cannot enter (e.g. /root).
cd "$tmp"

pgbr() { as_user "$pgbackrest_bin" --config="$conf" --config-include-path="$conf_d" --stanza="$stanza" "$@"; }
sql() {
	as_user "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
		-h "$sock" -p "$port" -U postgres -d postgres "$@"
}
start_cluster() {
	local data=$1 log=$2
	# Listed first: a start that times out may still leave a server behind.
	running+=("$data")
	as_user "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 120 start >/dev/null
}

printf 'PITR drill: pgBackRest %s, PostgreSQL %s, working in %s\n' \
	"$("$pgbackrest_bin" version | awk '{print $2}')" \
	"$("$PG_BIN/postgres" --version | awk '{print $3}')" "$tmp"

# --- 1. cluster ------------------------------------------------------------------

step "initdb a throwaway cluster"
as_user mkdir -m 700 "$sock" "$conf_d" "$tmp/repo" "$tmp/log" "$tmp/spool" "$tmp/lock"
# Data checksums on, as in production: pgBackRest verifies them while copying.
as_user "$PG_BIN/initdb" -D "$primary" -U postgres --auth=trust \
	--encoding=UTF8 --locale=C --data-checksums --no-sync >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log" >&2; fail "initdb failed"; }

# --- 2. configuration ------------------------------------------------------------

step "write the local-repository pgBackRest configuration and start with archiving"
# The same options as deploy/pgbackrest/pgbackrest.conf, except that the
# repository is a local path and everything pgBackRest writes (locks, logs,
# spool) stays inside the temporary directory.
as_user tee "$conf" >/dev/null <<EOF
[global]
repo1-path=$tmp/repo
repo1-retention-full=2
repo1-bundle=y
compress-type=zst
compress-level=3
archive-async=y
spool-path=$tmp/spool
lock-path=$tmp/lock
log-path=$tmp/log
log-level-console=warn
log-level-file=detail
process-max=2
start-fast=y

[$stanza]
pg1-path=$primary
pg1-port=$port
pg1-socket-path=$sock
pg1-user=postgres
EOF
as_user tee -a "$primary/postgresql.conf" >/dev/null <<EOF

# PITR drill: no TCP at all, only a socket in the drill's own directory.
listen_addresses = ''
port = $port
unix_socket_directories = '$sock'
# What production sets (deploy/pgbackrest/postgresql.conf.snippet).
wal_level = replica
archive_mode = on
archive_command = '$pgbackrest_bin --config=$conf --config-include-path=$conf_d --stanza=$stanza archive-push %p'
archive_timeout = 60
max_wal_senders = 3
EOF
start_cluster "$primary" "$tmp/primary.log"

# --- 3. stanza, check, full backup --------------------------------------------------

step "pgbackrest stanza-create"
pgbr stanza-create
step "pgbackrest check (archiving reaches the repository)"
pgbr check
step "pgbackrest full backup"
pgbr --type=full backup
info=$(pgbr --output=json info)
backup_label=$(grep -o '"label":"[^"]*"' <<<"$info" | tail -n 1 | cut -d'"' -f4)
# pgBackRest keeps the backup's stop time in whole seconds, and a time
# restore needs a backup that stopped before the target: the target must
# fall after that second, not merely after the backup.
backup_stop=$(grep -o '"stop":[0-9][0-9]*' <<<"$info" | tail -n 1 | cut -d: -f2)
[[ $backup_stop =~ ^[0-9]+$ ]] || fail "pgbackrest info shows no stop time for backup $backup_label"
printf '    backup %s, stopped at %s (epoch)\n' "$backup_label" "$backup_stop"

# --- 4-6. rows before and after the target ------------------------------------------

step "write $rows 'before' rows and switch WAL"
sql -c "select pg_sleep_until(to_timestamp($backup_stop + 1))" >/dev/null
sql -c "create table pitr_drill (
	id integer primary key,
	batch text not null check (batch in ('before', 'after')),
	written_at timestamptz not null default clock_timestamp())"
sql -c "insert into pitr_drill (id, batch) select g, 'before' from generate_series(1, $rows) g"
sql -c "select pg_switch_wal()" >/dev/null

step "note the target time from the server"
# Read after the "before" transaction has committed and before the "after"
# one starts, so the target lies strictly between the two commits. The
# short sleep keeps them apart even on a clock with coarse resolution.
target=$(sql -c "select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
sql -c "select pg_sleep(0.2)" >/dev/null
printf '    target %s\n' "$target"

step "write $rows 'after' rows and wait until their WAL is archived"
sql -c "insert into pitr_drill (id, batch) select g, 'after' from generate_series($rows + 1, 2 * $rows) g"
after_ok=$(sql -c "select min(written_at) > '$target'::timestamptz from pitr_drill where batch = 'after'")
[[ $after_ok == t ]] || fail "the 'after' rows were written no later than the target $target (server clock went backwards?)"
# check switches WAL and waits until that segment is in the repository, so
# the commit of the "after" rows, which recovery must see to stop before
# it, is archived.
pgbr check

# --- 7. restore -------------------------------------------------------------------------

step "stop the cluster"
stop_cluster "$primary" fast
running=()

step "pgbackrest restore --type=time --target=\"$target\" into an empty data directory"
as_user mkdir -m 700 "$restored"
# A new directory rather than --delta over the old one: the restore cannot
# lean on files left behind, and the original stays for comparison.
# --archive-mode=off: a restored copy must not push a new timeline's WAL
# into the repository it came from.
pgbr restore --pg1-path="$restored" --type=time --target="$target" \
	--target-action=promote --archive-mode=off

# --- 8. recover and verify -----------------------------------------------------------

step "start the restored cluster and wait for recovery to finish"
start_cluster "$restored" "$tmp/restored.log"
# pg_ctl returns once read-only connections are accepted; replay goes on
# until the target, then the promotion ends recovery. A target that the
# archived WAL never reaches makes the server stop instead (see its log).
in_recovery=t
for _ in $(seq 1 600); do
	in_recovery=$(sql -c "select pg_is_in_recovery()" 2>/dev/null) || in_recovery=
	[[ $in_recovery == f ]] && break
	if [[ -z $in_recovery ]] && ! as_user "$PG_BIN/pg_ctl" -D "$restored" status >/dev/null 2>&1; then
		fail "the restored cluster stopped during recovery (restored.log below)"
	fi
	sleep 0.1
done
[[ $in_recovery == f ]] || fail "the restored cluster was still in recovery after 60 s"
stop_line=$(grep -m 1 -o 'recovery stopping before commit of transaction [0-9]*, time .*' "$tmp/restored.log" || true)
[[ -n $stop_line ]] && printf '    %s\n' "$stop_line"

step "verify the rows"
read -r before after min_id max_id < <(sql -F ' ' -c "select
	count(*) filter (where batch = 'before'),
	count(*) filter (where batch = 'after'),
	coalesce(min(id), 0), coalesce(max(id), 0)
	from pitr_drill")
printf "    'before' rows: %s (want %d), 'after' rows: %s (want 0), ids %s..%s\n" \
	"$before" "$rows" "$after" "$min_id" "$max_id"
[[ $after == 0 ]] || fail "$after rows written after the target $target were restored"
[[ $before == "$rows" && $min_id == 1 && $max_id == "$rows" ]] ||
	fail "expected the $rows rows written before the target $target, found $before (ids $min_id..$max_id)"
end_step

printf "PITR drill passed: %d rows written before %s restored, none of the %d after it (%s)\n" \
	"$rows" "$target" "$rows" "$(fmt_us $(($(now_us) - drill_start)))"
