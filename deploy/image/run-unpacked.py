#!/usr/bin/env python3
"""Runs the built image the way deploy/kubernetes/deployment.yaml would, without a container engine.

No Docker engine or Kubernetes runs on the development machine, so this is the closest check that
the image built by Jib (judge-server/target/jib-image.tar) really serves:

  1. unpacks the image's layers, in order, into a root filesystem (whiteouts applied);
  2. reads the image config (entrypoint, environment, user) and the Deployment (args, env, volume
     mounts, securityContext), the ConfigMap and the Secret;
  3. starts the entrypoint with the Deployment's args in new mount, PID, network and UTS namespaces
     (a pod of its own: port 8080 on its own loopback, clashing with nothing on the host), with a
     read-only root, /proc, a minimal /dev, tmpfs for the emptyDir, the ConfigMap and Secret files
     bind-mounted read-only where the Deployment mounts them, the uid/gid/fsGroup of its
     securityContext, no capabilities and no_new_privs;
  4. asks the Deployment's probe paths from inside that network namespace (nsenter + curl), judges
     a request through the named configuration with and without the token, reads the process's
     credentials from /proc, then sends SIGTERM and expects exit status 0.

The Secret's committed value is a placeholder the server refuses (see secret.yaml), so this run puts
a fresh random token in its place, as an operator would. Not imitated: cgroup memory and CPU limits,
seccomp, the kubelet itself. Needs root, util-linux (unshare, nsenter, setpriv), iproute2, curl and
PyYAML.

  deploy/image/run-unpacked.py                       # check, stop, report
  deploy/image/run-unpacked.py --hold                # ...and keep serving until Ctrl-C
"""

import argparse
import base64
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tarfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def unpack(image_tar, work):
    """Extracts the docker-save tarball and applies its layers in order; returns the image config."""
    image_dir = os.path.join(work, "image")
    rootfs = os.path.join(work, "rootfs")
    for d in (image_dir, rootfs):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    subprocess.run(["tar", "-xf", image_tar, "-C", image_dir], check=True)
    with open(os.path.join(image_dir, "manifest.json")) as f:
        manifest = json.load(f)[0]
    with open(os.path.join(image_dir, manifest["Config"])) as f:
        config = json.load(f)
    for layer in manifest["Layers"]:
        path = os.path.join(image_dir, layer)
        with tarfile.open(path) as t:
            names = t.getnames()
        # A whiteout ".wh.NAME" deletes NAME from the layers below; ".wh..wh..opq" empties its folder.
        for name in names:
            base = os.path.basename(name)
            folder = os.path.join(rootfs, os.path.dirname(name))
            if base == ".wh..wh..opq":
                for entry in os.listdir(folder) if os.path.isdir(folder) else []:
                    target = os.path.join(folder, entry)
                    shutil.rmtree(target) if os.path.isdir(target) and not os.path.islink(target) else os.remove(target)
            elif base.startswith(".wh."):
                target = os.path.join(folder, base[len(".wh."):])
                if os.path.lexists(target):
                    shutil.rmtree(target) if os.path.isdir(target) and not os.path.islink(target) else os.remove(target)
        subprocess.run(["tar", "-xf", path, "-C", rootfs, "--numeric-owner", "--same-owner", "--same-permissions",
                        "--exclude=.wh.*", "--warning=no-unknown-keyword"], check=True)
    return config, rootfs, sum(os.path.getsize(os.path.join(image_dir, l)) for l in manifest["Layers"])


def load(manifests, name):
    with open(os.path.join(manifests, name)) as f:
        return yaml.safe_load(f)


def materialize(volumes, work, configmap, secret, token=None):
    """Writes each ConfigMap/Secret volume's files as the kubelet would; returns name -> (kind, path, mode)."""
    out = {}
    for v in volumes:
        name = v["name"]
        path = os.path.join(work, "volumes", name)
        shutil.rmtree(path, ignore_errors=True)
        if "configMap" in v:
            assert v["configMap"]["name"] == configmap["metadata"]["name"], v
            os.makedirs(path)
            files = {k: s.encode() for k, s in configmap.get("data", {}).items()}
            mode = v["configMap"].get("defaultMode", 0o644)
        elif "secret" in v:
            assert v["secret"]["secretName"] == secret["metadata"]["name"], v
            os.makedirs(path)
            # Every key gets the fresh token (the committed value is a placeholder the server refuses),
            # unless the committed values are asked for.
            committed = {k: s.encode() for k, s in secret.get("stringData", {}).items()}
            committed.update({k: base64.b64decode(s) for k, s in secret.get("data", {}).items()})
            files = committed if token is None else {k: token.encode() for k in committed}
            mode = v["secret"].get("defaultMode", 0o644)
        elif "emptyDir" in v:
            out[name] = ("emptyDir", None, v["emptyDir"].get("sizeLimit", "64Mi"))
            continue
        else:
            sys.exit(f"run-unpacked: volume {name}: only configMap, secret and emptyDir are imitated")
        items = (v.get("configMap") or v.get("secret")).get("items")
        for key, data in files.items():
            rel = key
            if items is not None:
                rel = next((i["path"] for i in items if i["key"] == key), None)
                if rel is None:
                    continue
            with open(os.path.join(path, rel), "wb") as f:
                f.write(data)
            os.chmod(os.path.join(path, rel), mode)
        out[name] = ("files", path, mode)
    return out


def kubernetes_quantity(q):
    units = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30}
    for u, m in units.items():
        if str(q).endswith(u):
            return int(str(q)[:-len(u)]) * m
    return int(q)


def nsenter_curl(pid, *args):
    r = subprocess.run(["nsenter", f"--net=/proc/{pid}/ns/net", "curl", "-s", "-m", "10", *args],
                       capture_output=True, text=True)
    return r.stdout


def status_of(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.strip()
    return fields


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--image", default=os.path.join(ROOT, "judge-server/target/jib-image.tar"))
    p.add_argument("--manifests", default=os.path.join(ROOT, "deploy/kubernetes"))
    p.add_argument("--work", default=os.path.join(ROOT, "deploy/image/target/run"))
    p.add_argument("--hold", action="store_true", help="keep serving after the checks until Ctrl-C or SIGTERM")
    p.add_argument("--committed-secret", action="store_true",
                   help="use secret.yaml's committed placeholder as the token, and expect the server to refuse to start")
    a = p.parse_args()
    if os.geteuid() != 0:
        sys.exit("run-unpacked: needs root (namespaces, mounts, chroot)")

    t0 = time.monotonic()
    config, rootfs, layer_bytes = unpack(a.image, a.work)
    print(f"unpacked {a.image} ({os.path.getsize(a.image) / 2**20:.1f} MiB; layers {layer_bytes / 2**20:.1f} MiB compressed) "
          f"into {rootfs} in {time.monotonic() - t0:.1f} s")

    deployment = load(a.manifests, "deployment.yaml")
    configmap = load(a.manifests, "configmap.yaml")
    secret = load(a.manifests, "secret.yaml")
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    sc = {**pod.get("securityContext", {}), **container.get("securityContext", {})}
    uid, gid, fs_group = sc["runAsUser"], sc.get("runAsGroup", 0), pod.get("securityContext", {}).get("fsGroup")
    token = None if a.committed_secret else secrets.token_hex(32)
    volumes = materialize(pod.get("volumes", []), a.work, configmap, secret, token)

    # The process: the image's entrypoint with the Deployment's args (args replace the image's Cmd).
    image_config = config["config"]
    argv = image_config["Entrypoint"] + container.get("args", image_config.get("Cmd", []))
    env = dict(e.split("=", 1) for e in image_config.get("Env", []))
    env.update({e["name"]: e["value"] for e in container.get("env", []) if "value" in e})
    env["HOSTNAME"] = "canary-judge-local"
    port = next(pt["containerPort"] for pt in container["ports"] if pt["name"] == "http")

    hosts = os.path.join(a.work, "hosts")
    with open(hosts, "w") as f:
        f.write("127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.0.1\tcanary-judge-local\n")
    # The shell runs with the image's environment (it is what the last exec hands to java, and chroot
    # looks "java" up on the image's PATH), so the host tools it calls are named by absolute path.
    tool = {t: shutil.which(t, path="/usr/sbin:/usr/bin:/sbin:/bin") for t in
            ("mount", "touch", "mkdir", "chgrp", "ip", "hostname", "setpriv", "chroot")}
    missing = [t for t, path in tool.items() if path is None]
    if missing:
        sys.exit(f"run-unpacked: missing {missing} (util-linux, iproute2, coreutils)")
    mount, touch, mkdir, chgrp = tool["mount"], tool["touch"], tool["mkdir"], tool["chgrp"]
    setup = ["set -e", "R=\"$1\"; shift", f"{mount} --make-rprivate /", f'{mount} --bind "$R" "$R"',
             f'{mount} -t proc proc "$R/proc"',
             f'{mount} -t tmpfs -o mode=755,size=64k tmpfs "$R/dev"']
    for dev in ("null", "zero", "full", "random", "urandom"):
        setup += [f'{touch} "$R/dev/{dev}"', f'{mount} --bind /dev/{dev} "$R/dev/{dev}"']
    # Kubernetes writes /etc/hosts for the pod; the runtime creates each mount point in the root.
    setup += [f'{mount} --bind {hosts} "$R/etc/hosts"']
    for m in container.get("volumeMounts", []):
        kind, src, extra = volumes[m["name"]]
        target = '"$R' + m["mountPath"] + '"'
        setup.append(f"{mkdir} -p {target}")
        if kind == "emptyDir":
            setup.append(f"{mount} -t tmpfs -o mode=1777,size={kubernetes_quantity(extra)} tmpfs {target}")
        else:
            if fs_group is not None:  # the kubelet gives fsGroup the volume's files
                setup.append(f"{chgrp} -R {fs_group} {src}")
            setup.append(f"{mount} --bind {src} {target}")
            if m.get("readOnly"):
                setup.append(f"{mount} -o remount,bind,ro {target}")
    if sc.get("readOnlyRootFilesystem"):
        setup.append(f'{mount} -o remount,bind,ro "$R"')
    setup += [f"{tool['ip']} link set lo up", f"{tool['hostname']} canary-judge-local"]
    # No capabilities can be gained (bounding set emptied but for the three chroot needs to switch
    # user, and those go when the uid stops being 0), and no_new_privs: allowPrivilegeEscalation: false.
    groups = f"--groups={fs_group}" if fs_group is not None else ""
    setup.append(f"exec {tool['setpriv']} --no-new-privs --inh-caps=-all --bounding-set=-all,+sys_chroot,+setuid,+setgid "
                 f'{tool["chroot"]} --userspec={uid}:{gid} {groups} "$R" "$@"')
    for d in ("proc", "dev", "etc"):
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    if not os.path.exists(os.path.join(rootfs, "etc/hosts")):
        open(os.path.join(rootfs, "etc/hosts"), "w").close()

    log_path = os.path.join(a.work, "server.log")
    log = open(log_path, "w")
    started = time.monotonic()
    outer = subprocess.Popen([shutil.which("unshare"), "--mount", "--pid", "--net", "--uts", "--fork", "--kill-child",
                              "/bin/sh", "-c", "\n".join(setup), "sh", rootfs, *argv],
                             env=env, stdout=log, stderr=subprocess.STDOUT)
    pid = None
    ready_after = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and outer.poll() is None:
        try:
            with open(f"/proc/{outer.pid}/task/{outer.pid}/children") as f:
                kids = f.read().split()
            pid = int(kids[0]) if kids else None
        except FileNotFoundError:
            pid = None
        if pid and os.path.basename(os.readlink(f"/proc/{pid}/exe")) == "java":
            if nsenter_curl(pid, "-o", "/dev/null", "-w", "%{http_code}", f"http://127.0.0.1:{port}/readyz") == "200":
                ready_after = time.monotonic() - started
                break
        time.sleep(0.05)
    if a.committed_secret:
        status = outer.wait(timeout=60) if outer.poll() is None else outer.poll()
        log.close()
        output = open(log_path).read()
        print(f"with the committed placeholder token: exit status {status}; output:\n{output}")
        if status == 2 and ready_after is None:
            print("fails closed as intended: the server refuses the placeholder and does not start")
            return
        sys.exit("run-unpacked: the server started with the committed placeholder token")
    if ready_after is None:
        outer.kill()
        log.close()
        sys.exit(f"run-unpacked: the server never became ready; exit {outer.poll()}; its output:\n" + open(log_path).read())
    print(f"ready: first 200 from /readyz {ready_after:.2f} s after start (pid {pid} on the host)")

    failures = []

    def check(what, ok, detail=""):
        print(f"  {'ok  ' if ok else 'FAIL'} {what}{': ' + detail if detail else ''}")
        if not ok:
            failures.append(what)

    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        if kind in container:
            path = container[kind]["httpGet"]["path"]
            code = nsenter_curl(pid, "-o", "/dev/null", "-w", "%{http_code}", f"http://127.0.0.1:{port}{path}")
            check(f"{kind} GET {path}", code == "200", code)
    metrics = nsenter_curl(pid, f"http://127.0.0.1:{port}/metrics")
    check("GET /metrics (ServiceMonitor)", "# TYPE" in metrics, f"{len(metrics)} bytes")
    body = json.dumps({"config": "checkout-errors", "metrics": [{"name": "error_rate",
                       "baseline": {"errors": [10000], "requests": [1000000]},
                       "canary": {"errors": [1700], "requests": [100000]}}]})
    no_token = nsenter_curl(pid, "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                            "--data-binary", body, f"http://127.0.0.1:{port}/judge")
    check("POST /judge without the token", no_token == "401", no_token)
    judged = nsenter_curl(pid, "-H", "Content-Type: application/json", "-H", f"Authorization: Bearer {token}",
                          "--data-binary", body, f"http://127.0.0.1:{port}/judge")
    check("POST /judge with the Secret's token, config checkout-errors", '"verdict":"hold"' in judged, judged[:120] + "...")
    openapi = nsenter_curl(pid, f"http://127.0.0.1:{port}/openapi.json")
    check("GET /openapi.json", openapi.startswith("{"), f"{len(openapi)} bytes")

    st = status_of(pid)
    check("runs as the Deployment's uid/gid", st["Uid"].split()[0] == str(uid) and st["Gid"].split()[0] == str(gid),
          f"Uid {st['Uid']}, Gid {st['Gid']}, Groups {st.get('Groups', '')}")
    check("no effective or permitted capabilities", int(st["CapEff"], 16) == 0 and int(st["CapPrm"], 16) == 0,
          f"CapEff {st['CapEff']}, CapPrm {st['CapPrm']}, CapBnd {st['CapBnd']}")
    check("no_new_privs (allowPrivilegeEscalation: false)", st.get("NoNewPrivs") == "1", st.get("NoNewPrivs", "?"))
    with open(f"/proc/{pid}/mountinfo") as f:
        root_mount = next(line for line in f if line.split()[4] == "/")
    check("root filesystem mounted read-only", " ro," in " " + root_mount.split()[5] + ",", root_mount.split()[5])
    rss = int(st["VmRSS"].split()[0]) / 1024
    print(f"  resident set after these requests: {rss:.0f} MiB; JVM options {env.get('JDK_JAVA_OPTIONS')!r}")

    if a.hold:
        print(f"serving; from the host: nsenter --net=/proc/{pid}/ns/net curl http://127.0.0.1:{port}/readyz  "
              f"(token: {token}); Ctrl-C stops it")
        try:
            signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
            outer.wait()
        except KeyboardInterrupt:
            pass

    stopping = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    try:
        status = outer.wait(timeout=60)
    except subprocess.TimeoutExpired:
        outer.kill()
        status = None
    check("SIGTERM: graceful stop with exit status 0", status == 0, f"exit {status} after {time.monotonic() - stopping:.2f} s")
    log.close()
    print(f"server output: {log_path}")
    if failures:
        sys.exit(f"run-unpacked: {len(failures)} check(s) failed")
    print("all checks passed")


if __name__ == "__main__":
    main()
