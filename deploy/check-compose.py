#!/usr/bin/env python3
"""Checks docker-compose.yml and deploy/nginx.conf without a Docker engine: python3 deploy/check-compose.py

What it checks: the compose file is valid YAML with the services and settings the multi-instance setup relies on
(two web replicas with no published port, the proxy as the only published port on a fixed address outside the
dynamic range, the app trusting forwarded headers from exactly that address, ${VAR:-default} interpolations well
formed), and that nginx.conf is balanced and sends the headers the app expects to the web service. What it cannot
check: that Docker accepts the file (run `docker compose config` where Docker is installed) and that nginx accepts
its configuration (`docker run --rm -v "$PWD/deploy/nginx.conf:/etc/nginx/nginx.conf:ro" nginx:1.28-alpine nginx -t`).
Exit code 0 when every check passes, 1 otherwise.
"""
import ipaddress
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


compose_text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
compose = yaml.safe_load(compose_text)
services = compose.get("services", {})
check(set(services) >= {"db", "migrate", "web", "proxy"}, "services db, migrate, web and proxy are defined")

web = services.get("web", {})
proxy = services.get("proxy", {})
check(web.get("deploy", {}).get("replicas") == 2, "web runs two replicas")
check("ports" not in web and "container_name" not in web, "web publishes no port and has no fixed container name (replicas)")
check(web.get("depends_on", {}).get("migrate", {}).get("condition") == "service_completed_successfully", "web starts after the migration")
check(str(proxy.get("image", "")).startswith("nginx:1.28"), "the proxy is the official nginx image, 1.28 (upstream 'resolve' needs >= 1.27.3)")
check(proxy.get("ports") == ["8080:8080"], "only the proxy publishes a port (8080)")
check("web" in (proxy.get("depends_on") or []), "the proxy starts after web")

mounts = [str(v).split(":") for v in proxy.get("volumes", [])]
config_mount = next((m for m in mounts if m[1:2] == ["/etc/nginx/nginx.conf"]), None)
check(config_mount is not None and (ROOT / config_mount[0]).resolve() == ROOT / "deploy" / "nginx.conf", "the proxy mounts deploy/nginx.conf")

ipam = compose.get("networks", {}).get("default", {}).get("ipam", {}).get("config", [{}])[0]
subnet = ipaddress.ip_network(ipam.get("subnet", "0.0.0.0/32"))
dynamic = ipaddress.ip_network(ipam.get("ip_range", "0.0.0.0/32"))
proxy_address = ipaddress.ip_address(proxy.get("networks", {}).get("default", {}).get("ipv4_address", "0.0.0.0"))
check(dynamic.subnet_of(subnet), f"the dynamic range {dynamic} lies in the subnet {subnet}")
check(proxy_address in subnet and proxy_address not in dynamic, f"the proxy's address {proxy_address} is in the subnet but outside the dynamic range")

for name in ("migrate", "web"):
    environment = services.get(name, {}).get("environment", {})
    check(environment.get("ForwardedHeaders__KnownProxies") == str(proxy_address),
          f"{name}: ForwardedHeaders__KnownProxies is the proxy's address and nothing else")
    check(environment.get("Database__Provider") == "SqlServer" and "Server=db;" in environment.get("ConnectionStrings__SqlServer", ""),
          f"{name}: every replica uses the one SQL Server database (shared keys and sessions)")
    check("KnownNetworks" not in " ".join(environment), f"{name}: no whole network is trusted")

# ${NAME}, ${NAME:-default}, ${NAME-default}; $$ escapes. Anything else after a lone $ is a mistake.
for match in re.finditer(r"(?<!\$)\$(?!\$)(\{[^}]*\}|\w+)?", compose_text):
    token = match.group(1) or ""
    check(re.fullmatch(r"\{[A-Za-z_][A-Za-z0-9_]*(:?-[^}]*)?\}", token) is not None, f"interpolation ${token} is well formed")

nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
code = "\n".join(line.split("#", 1)[0] for line in nginx.splitlines())
check(code.count("{") == code.count("}"), "nginx.conf: braces balanced")
statements = [s.strip() for s in re.split(r"[;{}]", code) if s.strip()]
check("server web:8080 resolve" in statements, "nginx.conf: the upstream is every replica of web:8080, re-resolved")
check("resolver 127.0.0.11 valid=10s ipv6=off" in statements, "nginx.conf: Docker's DNS as resolver")
check("proxy_set_header X-Forwarded-For $remote_addr" in statements, "nginx.conf: X-Forwarded-For is set to the client (overwritten, not appended)")
check("proxy_set_header X-Forwarded-Proto $scheme" in statements, "nginx.conf: X-Forwarded-Proto is set")
check("non_idempotent" not in code, "nginx.conf: POSTs are never retried on another replica")
check(not re.search(r"\b(ip_hash|sticky|hash)\b", code), "nginx.conf: no sticky sessions")

print()
print(f"{len(failures)} failed" if failures else "all checks passed")
sys.exit(1 if failures else 0)
