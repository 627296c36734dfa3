"""Drives the sandbox with the official python kubernetes client; prints one JSON document of results.

Run by python-client.test.ts with the kubeconfig path as the only argument.
"""
import json
import sys

from kubernetes import client, config, watch

config.load_kube_config(config_file=sys.argv[1])
core = client.CoreV1Api()
apps = client.AppsV1Api()
results = {}

results["pods"] = sorted(f"{p.metadata.namespace}/{p.metadata.name}" for p in core.list_pod_for_all_namespaces().items)
web = apps.read_namespaced_deployment("web", "prod")
results["web"] = {"replicas": web.spec.replicas, "ready": web.status.ready_replicas}

# watch=True (capitalised, as this client sends it) must stream events, not return a list.
start = core.list_namespaced_config_map("dev").metadata.resource_version
core.create_namespaced_config_map("dev", {"metadata": {"name": "from-python"}, "data": {"k": "v"}})
events = []
w = watch.Watch()
for event in w.stream(core.list_namespaced_config_map, "dev", resource_version=start, timeout_seconds=2):
    events.append([event["type"], event["object"].metadata.name])
    if event["object"].metadata.name == "from-python":
        w.stop()
results["watch"] = events

# previous=True must return the terminated container's log.
results["previous"] = core.read_namespaced_pod_log("api-5f7c8d-abcde", "prod", previous=True)
results["current"] = core.read_namespaced_pod_log("api-5f7c8d-abcde", "prod")

patched = apps.patch_namespaced_deployment("web", "prod", {"metadata": {"labels": {"patched-by": "python"}}})
results["patched"] = patched.metadata.labels.get("patched-by")
results["scale"] = apps.patch_namespaced_deployment_scale("web", "prod", {"spec": {"replicas": 3}}).spec.replicas

warnings = core.list_namespaced_event("prod", field_selector="type=Warning").items
results["backoff"] = any(e.reason == "BackOff" and e.involved_object.name == "api-5f7c8d-abcde" for e in warnings)
metrics = client.CustomObjectsApi().list_namespaced_custom_object("metrics.k8s.io", "v1beta1", "data", "pods")
results["top"] = {m["metadata"]["name"]: m["containers"][0]["usage"] for m in metrics["items"]}
core.delete_namespaced_config_map("from-python", "dev")
try:
    core.read_namespaced_config_map("from-python", "dev")
    results["deleted"] = False
except client.exceptions.ApiException as error:
    results["deleted"] = error.status == 404

print(json.dumps(results))
