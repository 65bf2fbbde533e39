#!/usr/bin/env bash
# Prepares a Docker engine and a postgres:<major> image without any container registry, so the
# testcontainers provider is tested for real. Idempotent: every step is skipped when already done.
# The image is a debootstrapped Debian (same mirror and suite as this machine's apt sources) with
# Debian's postgresql-<major> and an entrypoint compatible with the official image.
# Usage: .ci/docker-setup.sh [major ...]   (default 15)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KOINONIA_DOCKER_CACHE:-/var/cache/koinonia-db}"
majors=("${@:-15}")
log() { echo "docker-setup: $*" >&2; }

[ "$(id -u)" = 0 ] || { log "must run as root"; exit 1; }
mkdir -p "$cache"

apt_updated=
apt_install() {
	[ -n "$apt_updated" ] || { apt-get update -q >/dev/null; apt_updated=1; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}

# 1. Docker engine.
if ! command -v dockerd >/dev/null; then log "installing docker.io"; apt_install docker.io; fi
if ! docker info >/dev/null 2>&1; then
	# A dockerd killed without its cleanup (a machine snapshot, a SIGKILL) leaves pid files that make
	# the next one refuse to start: drop those whose process is gone or is by now another program
	# (pids are reused: one pointed at a kernel worker here).
	for pidfile in /var/run/docker.pid /run/docker/containerd/containerd.pid; do
		[ -f "$pidfile" ] || continue
		comm=$(cat "/proc/$(cat "$pidfile")/comm" 2>/dev/null || true)
		case "$comm" in dockerd | containerd) ;; *) log "removing stale $pidfile (pid $(cat "$pidfile"): ${comm:-gone})"; rm -f "$pidfile" ;; esac
	done
	log "starting dockerd (log: /var/log/koinonia-dockerd.log)"
	nohup dockerd >/var/log/koinonia-dockerd.log 2>&1 &
	for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
	docker info >/dev/null 2>&1 || { log "dockerd did not come up; tail of its log:"; tail -n 20 /var/log/koinonia-dockerd.log >&2; exit 1; }
fi

# 2. The mirror and suite this machine's apt uses (deb822 .sources or one-line .list).
mirror="$(grep -hsE '^URIs:' /etc/apt/sources.list.d/debian.sources | head -n1 | awk '{print $2}')"
suite="$(grep -hsE '^Suites:' /etc/apt/sources.list.d/debian.sources | head -n1 | awk '{print $2}')"
if [ -z "$mirror" ]; then
	# One-line format, options in brackets dropped: deb [signed-by=...] http://mirror/debian suite main
	read -r _ mirror suite _ < <(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | grep -v security \
		| sed -E 's/\[[^]]*\] *//' | head -n1) || true
fi
mirror="${mirror:-http://deb.debian.org/debian}"
suite="${suite:-$(. /etc/os-release && echo "$VERSION_CODENAME")}"

for major in "${majors[@]}"; do
	image="postgres:$major"
	if docker image inspect "$image" >/dev/null 2>&1; then log "$image already present"; continue; fi
	tarball="$cache/postgres-$major-rootfs.tar"
	if [ ! -s "$tarball" ]; then
		rootfs="$cache/rootfs-$major"
		if [ ! -x "$rootfs/usr/lib/postgresql/$major/bin/postgres" ]; then
			command -v debootstrap >/dev/null || { log "installing debootstrap"; apt_install debootstrap; }
			log "debootstrap $suite from $mirror with postgresql-$major (about two minutes)"
			rm -rf "$rootfs.tmp"
			debootstrap --variant=minbase --include="postgresql-$major" "$suite" "$rootfs.tmp" "$mirror" >"$cache/debootstrap-$major.log" 2>&1 \
				|| { log "debootstrap failed; see $cache/debootstrap-$major.log"; exit 1; }
			mv "$rootfs.tmp" "$rootfs"
		fi
		# Debian's packaging creates a "main" cluster; the image initialises its own on first start.
		rm -rf "$rootfs/var/lib/postgresql/$major/main" "$rootfs/etc/postgresql/$major/main" \
			"$rootfs/var/cache/apt"/*.bin "$rootfs/var/lib/apt/lists"/* "$rootfs/usr/share/doc" "$rootfs/usr/share/man"
		install -m 0755 "$here/docker/postgres-entrypoint.sh" "$rootfs/usr/local/bin/docker-entrypoint.sh"
		mkdir -p "$rootfs/docker-entrypoint-initdb.d" "$rootfs/var/lib/postgresql/data"
		tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
	fi
	log "importing $image"
	docker import \
		-c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
		-c 'CMD ["postgres"]' \
		-c "ENV PATH=/usr/lib/postgresql/$major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		-c 'ENV PGDATA=/var/lib/postgresql/data' \
		-c 'ENV LANG=C.UTF-8' \
		-c "ENV PG_MAJOR=$major" \
		-c 'EXPOSE 5432' \
		-c 'LABEL koinonia-db.image=debootstrap' \
		"$tarball" "$image" >/dev/null
	log "$image ready"
done
