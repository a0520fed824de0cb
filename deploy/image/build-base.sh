#!/usr/bin/env bash
# Assembles a minimal Java 17 base image on this machine, without a container registry or a Docker
# engine, and writes it as a `docker save` tarball that Jib takes as its base (`tar://...`):
#
#   deploy/image/build-base.sh                # -> deploy/image/target/canary-judge-base.tar
#   ./mvnw -B -Pimage -pl judge-server -am package -DskipTests -Djib.disableUpdateChecks=true \
#       -Djib.from.image=tar://$PWD/deploy/image/target/canary-judge-base.tar
#
# Why: a registry base (eclipse-temurin:17-jre, the recipe's default) cannot be pulled where no
# registry is reachable. This base is a jlink'd runtime of the local JDK 17 plus the shared libraries
# its native code links against, copied from this (Debian) machine. It lays the runtime out where
# eclipse-temurin does (/opt/java/openjdk, on PATH), so the same Jib recipe works on either base.
#
# It is headless: the AWT, font, image and sound natives are left out (the server never loads them),
# which keeps X11, freetype and ALSA out of the image. It has no shell and no package manager.
# Needs: a JDK 17 with jmods (Debian: openjdk-17-jdk; JAVA_HOME picks another), GNU tar, sha256sum.
# The output stays under target/ (gitignored): it holds copies of system libraries and a JDK runtime.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/target"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
jmods="$java_home/jmods"
# The modules the service needs are a subset of these (jdeps on the shaded jar lists java.base,
# java.compiler, java.desktop, java.naming, java.security.jgss, java.sql, jdk.management and
# jdk.unsupported); java.se keeps the base a general JRE, like the registry base it stands in for.
modules="java.se,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.zipfs"
# The non-root user the image runs as: the same uid/gid as the Deployment's runAsUser/runAsGroup
# (65532 is distroless's "nonroot").
uid=65532

"$java_home/bin/java" -version 2>&1 | grep -q '"17' || { echo "build-base.sh: needs JDK 17 at $java_home (set JAVA_HOME)" >&2; exit 2; }
[ -d "$jmods" ] || { echo "build-base.sh: no jmods in $java_home (Debian: apt-get install openjdk-17-jdk)" >&2; exit 2; }

rm -rf "$out/rootfs" "$out/base"
mkdir -p "$out/rootfs" "$out/base"
root="$out/rootfs"

# Debian's merged /usr layout, so the paths the loader and ldd use (/lib64/ld-linux-x86-64.so.2,
# /lib/x86_64-linux-gnu/...) resolve inside the image as they do here.
# proc, sys and dev are mount points: container runtimes mount over them.
mkdir -p "$root"/usr/{bin,lib,lib64} "$root"/{etc,opt/java,tmp,proc,sys,dev}
ln -s usr/bin "$root/bin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
chmod 1777 "$root/tmp"

jre="$root/opt/java/openjdk"
"$java_home/bin/jlink" --module-path "$jmods" --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$jre"
# Headless: these natives link X11, freetype/harfbuzz, libjpeg, lcms and ALSA.
for gui in libawt_xawt.so libjawt.so libsplashscreen.so libfontmanager.so libjavajpeg.so liblcms.so libjsound.so; do
  rm -f "$jre/lib/$gui"
done

# Every shared library the remaining ELF files load, with its path as the loader resolves it here.
mapfile -t elves < <(find "$jre" -type f \( -name '*.so' -o -path '*/bin/*' \))
mapfile -t libs < <(ldd "${elves[@]}" 2>/dev/null | awk '/=> \// {print $3} /^[ \t]*\/lib/ {print $1}' | grep -v "^$jre" | sort -u)
for lib in "${libs[@]}"; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
if ldd "${elves[@]}" 2>/dev/null | grep -q 'not found'; then
  echo "build-base.sh: a library is missing:" >&2
  ldd "${elves[@]}" | grep 'not found' >&2
  exit 1
fi

# Just enough of /etc for a process with a numeric uid: names for 'id', and the files the C library
# reads for host names (Kubernetes mounts its own /etc/hosts over this one).
cat > "$root/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:$uid:$uid:nonroot:/home/nonroot:/sbin/nologin
EOF
cat > "$root/etc/group" <<EOF
root:x:0:
nonroot:x:$uid:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
mkdir -p "$root/home/nonroot"
chown "$uid:$uid" "$root/home/nonroot" 2>/dev/null || true

# One layer, reproducible: sorted entries, a fixed time, numeric owners.
layer="$out/base/layer.tar"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$layer" $(ls -A "$root")
diff_id="$(sha256sum "$layer" | cut -d' ' -f1)"
mkdir -p "$out/base/$diff_id"
mv "$layer" "$out/base/$diff_id/layer.tar"

# The image configuration (the Docker/OCI image config format). Env mirrors eclipse-temurin's.
config="$(cat <<EOF
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/bin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"],
           "User":"$uid:$uid","WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/build-base.sh: jlink $modules + shared libraries"}]}
EOF
)"
printf '%s' "$config" | tr -d '\n' > "$out/base/config.json"
config_id="$(sha256sum "$out/base/config.json" | cut -d' ' -f1)"
mv "$out/base/config.json" "$out/base/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["canary-judge-base:local"],"Layers":["%s/layer.tar"]}]' \
  "$config_id" "$diff_id" > "$out/base/manifest.json"

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$out/base" -cf "$out/canary-judge-base.tar" \
  manifest.json "$config_id.json" "$diff_id"
rm -rf "$out/base"
echo "base image: $out/canary-judge-base.tar ($(du -h "$out/canary-judge-base.tar" | cut -f1); root filesystem $(du -sh "$root" | cut -f1) in $out/rootfs)"
