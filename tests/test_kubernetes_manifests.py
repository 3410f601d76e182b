"""deploy/kubernetes, rendered as kubectl renders it: the properties that keep several
replicas one portal and the pods locked down, so none of them goes by an edit unnoticed.
(Their schemas are checked by `make manifests-check`, with kubernetes-validate.)"""

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
KUBERNETES = REPOSITORY / "deploy" / "kubernetes"
DIRECTORIES = ["base", *sorted(f"overlays/{d.name}" for d in (KUBERNETES / "overlays").iterdir())]


def render(directory: str) -> list[dict]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        if os.environ.get("CI"):
            pytest.fail("kubectl is not installed (make manifests-check says which one)")
        pytest.skip("kubectl is not installed")
    output = subprocess.run(
        [kubectl, "kustomize", str(KUBERNETES / directory)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return [document for document in yaml.safe_load_all(output) if document]


@pytest.fixture(scope="module", params=DIRECTORIES)
def objects(request):
    return render(request.param)


def one(objects, kind, component):
    found = [
        o
        for o in objects
        if o["kind"] == kind
        and o["metadata"]["labels"].get("app.kubernetes.io/component") == component
    ]
    assert len(found) == 1, f"{kind} {component}: {len(found)}"
    return found[0]


def pod_specs(objects):
    for o in objects:
        if o["kind"] in {"Deployment", "Job"}:
            yield o["metadata"]["name"], o["spec"]["template"]["spec"]


def image_uid() -> int:
    """The numeric user the image runs as (the Dockerfile's USER)."""
    dockerfile = (REPOSITORY / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users, "the Dockerfile runs as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit(), f"USER {uid}: numeric, so runAsNonRoot can verify it"
    return int(uid)


def env_names(container, objects) -> set[str]:
    """Every variable the container gets: its own and those of its ConfigMaps and Secrets."""
    names = {variable["name"] for variable in container.get("env", [])}
    by_name = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    for source in container.get("envFrom", []):
        kind, reference = (
            ("ConfigMap", source["configMapRef"])
            if "configMapRef" in source
            else ("Secret", source["secretRef"])
        )
        names |= set(by_name[(kind, reference["name"])].get("data", {}))
    return names


def test_web_is_probed_on_health_by_the_port_it_serves(objects):
    web = one(objects, "Deployment", "web")
    (container,) = web["spec"]["template"]["spec"]["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert container["command"][:2] == ["gunicorn", "portal.wsgi:application"]
    assert f"--bind=0.0.0.0:{ports['http']}" in container["command"]
    assert "--config=/app/gunicorn.conf.py" in container["command"]
    readiness, liveness = container["readinessProbe"], container["livenessProbe"]
    # Ready only when the database and broker answer: the full check.
    assert readiness["httpGet"] == {"path": "/health/", "port": "http"}
    assert liveness["httpGet"]["path"].startswith("/health/")
    assert liveness["httpGet"]["port"] == "http"
    # The probe asks by the pod's address: production settings allow it via POD_IP.
    pod_ip = next(v for v in container["env"] if v["name"] == "POD_IP")
    assert pod_ip["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP"


def test_web_replicas_are_the_autoscalers_and_a_drain_keeps_one(objects):
    web = one(objects, "Deployment", "web")
    assert "replicas" not in web["spec"], "the HPA owns the number; an apply would reset it"
    autoscaler = one(objects, "HorizontalPodAutoscaler", "web")
    assert autoscaler["apiVersion"] == "autoscaling/v2"
    assert autoscaler["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": web["metadata"]["name"],
    }
    assert 2 <= autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"]
    budget = one(objects, "PodDisruptionBudget", "web")
    assert budget["spec"]["selector"]["matchLabels"] == web["spec"]["selector"]["matchLabels"]
    assert budget["spec"]["minAvailable"] >= 1


def test_exactly_one_beat_even_during_a_rollout(objects):
    beat = one(objects, "Deployment", "beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    (container,) = beat["spec"]["template"]["spec"]["containers"]
    assert container["command"][:3] == ["celery", "--app=portal", "beat"]
    scaled = {o["spec"]["scaleTargetRef"]["name"] for o in objects if o["kind"].startswith("Horiz")}
    assert beat["metadata"]["name"] not in scaled
    selectors = [o["spec"]["selector"]["matchLabels"] for o in objects if o["kind"] == "Deployment"]
    assert selectors.count(beat["spec"]["selector"]["matchLabels"]) == 1


def test_workers_and_the_migrations_job(objects):
    worker = one(objects, "Deployment", "worker")
    (container,) = worker["spec"]["template"]["spec"]["containers"]
    assert container["command"][:3] == ["celery", "--app=portal", "worker"]
    assert worker["spec"]["replicas"] >= 2
    job = one(objects, "Job", "migrate")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_every_pod_runs_locked_down(objects):
    uid = image_uid()
    specs = list(pod_specs(objects))
    assert len(specs) == 4  # web, worker, beat, migrate
    for name, spec in specs:
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True, name
        assert pod["runAsUser"] == uid, name
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False, name
        volumes = {volume["name"]: volume for volume in spec.get("volumes", [])}
        for container in spec["containers"] + spec.get("initContainers", []):
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"] == {"drop": ["ALL"]}, name
            assert "add" not in security["capabilities"], name
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) >= {"cpu", "memory"}, (name, bound)
            # What must be writable is a volume: /tmp an emptyDir of the pod's own.
            mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
            assert "emptyDir" in volumes[mounts["/tmp"]], name


def test_media_are_one_volume_shared_by_web_and_workers(objects):
    claim = one(objects, "PersistentVolumeClaim", "media")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    for component in ("web", "worker"):
        spec = one(objects, "Deployment", component)["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in spec["volumes"]}
        (container,) = spec["containers"]
        mount = next(m for m in container["volumeMounts"] if m["mountPath"] == "/app/media")
        claimed = volumes[mount["name"]]["persistentVolumeClaim"]["claimName"]
        assert claimed == claim["metadata"]["name"], component


def test_settings_reach_every_process_and_secrets_are_examples(objects):
    read = set()
    for settings_file in (REPOSITORY / "portal" / "settings").glob("*.py"):
        read |= set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", settings_file.read_text()))
    documented = set(
        re.findall(
            r"^([A-Z_]+)=",
            (REPOSITORY / "deploy" / "production.env.example").read_text(),
            flags=re.MULTILINE,
        )
    )
    needed = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "METRICS_TOKEN"}
    for name, spec in pod_specs(objects):
        (container,) = spec["containers"]
        given = env_names(container, objects)
        assert needed - {"METRICS_TOKEN"} <= given, name
        # Nothing the settings do not read: a typo would be silently ignored.
        assert given <= read | {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY",
                                "PROMETHEUS_MULTIPROC_DIR"}, (name, given - read)  # fmt: skip
    web = one(objects, "Deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    missing = documented - env_names(web, objects)
    assert not missing, (
        f"deploy/production.env.example names {sorted(missing)}, which no pod gets: add them to"
        " the ConfigMap or Secret in deploy/kubernetes/base/kustomization.yaml"
    )
    assert "METRICS_TOKEN" in env_names(web, objects)
    for secret in (o for o in objects if o["kind"] == "Secret"):
        for key, value in secret.get("data", {}).items():
            value = base64.b64decode(value).decode()
            assert not value or "example" in value, (secret["metadata"]["name"], key)


def test_only_the_web_port_is_published(objects):
    service = one(objects, "Service", "web")
    assert [port["targetPort"] for port in service["spec"]["ports"]] == ["http"]
    ingress = one(objects, "Ingress", "web")
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend == {"name": service["metadata"]["name"], "port": {"name": "http"}}


def test_the_ingress_stops_a_body_bigger_than_the_largest_upload(objects):
    """A body over the cap never reaches a web worker; one the portal would take always does."""
    from django.conf import settings

    ingress = one(objects, "Ingress", "web")
    cap = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert re.fullmatch(r"\d+m", cap), cap
    cap_bytes = int(cap[:-1]) * 1024 * 1024
    biggest = max(settings.MATERIAL_MAX_BYTES, settings.INVITATION_CSV_MAX_BYTES)
    assert biggest < cap_bytes <= 2 * biggest
