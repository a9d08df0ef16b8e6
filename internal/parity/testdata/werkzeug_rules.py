# Flask's side of TestRulesParity (rules_test.go): the route tables of
# rules_corpus_test.go registered on Flask apps as a Flask developer writes
# them (add_url_rule with methods=, defaults=, strict_slashes=, subdomain=,
# host=, blueprints with url_prefix= and subdomain=), each request sent
# with the app's test client, and each url_for called inside a request.
#
# Usage: python3 werkzeug_rules.py < tables.json > answers.json
#
# Input: a JSON list of tables (see rulesTable in rules_test.go). Output:
# {"versions": {...}, "tables": [{"name", "error", "requests": [answer],
# "builds": [build]}]}, where an answer is
# {"status", "location", "allow", "view"} and "view" is what the view saw
# (null when no view ran): {"endpoint", "rule", "values"}, the values as
# Python's str() writes the converted values. A build is {"url"} or
# {"error"}.
import importlib.metadata
import json
import sys
import traceback
from urllib.parse import unquote

from flask import Blueprint, Flask, request, url_for


def make_app(table, state):
    kwargs = {"static_folder": None}
    if table.get("subdomain_matching"):
        kwargs["subdomain_matching"] = True
    if table.get("host_matching"):
        kwargs["host_matching"] = True
    app = Flask("parity_" + table["name"].replace("-", "_"), **kwargs)
    if table.get("server_name"):
        app.config["SERVER_NAME"] = table["server_name"]
    if table.get("default_subdomain"):
        app.url_map.default_subdomain = table["default_subdomain"]

    views = {}

    def view_for(endpoint):
        # One view function per endpoint, as Flask requires.
        if endpoint not in views:

            def view(**kwargs):
                seen = {
                    "endpoint": request.endpoint,
                    "rule": request.url_rule.rule,
                    "values": {k: str(v) for k, v in request.view_args.items()},
                }
                if state["builds"] is not None:
                    seen["builds"] = [build(b) for b in state["builds"]]
                state["view"] = seen
                return ""

            views[endpoint] = view
        return views[endpoint]

    blueprints = {b["name"]: b for b in table.get("blueprints") or []}
    current = None  # (Blueprint, spec) being filled; registered when its run ends

    def flush():
        nonlocal current
        if current is not None:
            app.register_blueprint(current)
            current = None

    for r in table["rules"]:
        opts = {}
        if r.get("methods"):
            opts["methods"] = r["methods"]
        if r.get("defaults") is not None:
            opts["defaults"] = r["defaults"]
        if r.get("strict_slashes") is not None:
            opts["strict_slashes"] = r["strict_slashes"]
        if r.get("subdomain") is not None:
            opts["subdomain"] = r["subdomain"]
        if r.get("host"):
            opts["host"] = r["host"]
        if r.get("alias"):
            opts["alias"] = True
        if r.get("build_only"):
            opts["build_only"] = True
        bp_name = r.get("blueprint") or ""
        if bp_name:
            if current is None or current.name != bp_name:
                flush()
                spec = blueprints[bp_name]
                bp_kwargs = {}
                if spec.get("url_prefix"):
                    bp_kwargs["url_prefix"] = spec["url_prefix"]
                if spec.get("subdomain"):
                    bp_kwargs["subdomain"] = spec["subdomain"]
                current = Blueprint(bp_name, __name__, **bp_kwargs)
            current.add_url_rule(
                r["rule"],
                endpoint=r["endpoint"],
                view_func=view_for(bp_name + "." + r["endpoint"]),
                **opts,
            )
        else:
            flush()
            app.add_url_rule(
                r["rule"], endpoint=r["endpoint"], view_func=view_for(r["endpoint"]), **opts
            )
    flush()
    return app


def build(b):
    values = b.get("values") or {}
    try:
        return {"url": url_for(b["endpoint"], **values)}
    except Exception as e:  # BuildError, or a converter's ValueError
        return {"error": f"{type(e).__name__}: {e}"}


def split_url(url):
    # "http://host/path?q" or "/path?q" -> (base_url, path)
    if url.startswith("http://") or url.startswith("https://"):
        scheme, rest = url.split("://", 1)
        slash = rest.find("/")
        host, path = (rest, "/") if slash < 0 else (rest[:slash], rest[slash:])
        return f"{scheme}://{host}", path
    return "http://localhost", url


def send(client, state, method, url, builds=None):
    base_url, path = split_url(url)
    state["view"], state["builds"] = None, builds
    # PATH_INFO as Werkzeug's development server makes it from the
    # request line: percent-decoded (invalid UTF-8 replaced), a leading
    # "//" kept. The test client alone would read "//about" as a host.
    raw_path = path.split("?", 1)[0]
    path_info = unquote(raw_path).encode("utf-8").decode("latin-1")
    resp = client.open(
        path,
        base_url=base_url,
        method=method,
        environ_overrides={"PATH_INFO": path_info, "REQUEST_URI": path, "RAW_URI": path},
    )
    return {
        "status": resp.status_code,
        "location": resp.headers.get("Location", ""),
        "allow": resp.headers.get("Allow", ""),
        "view": state["view"],
    }


def run_table(table):
    state = {"view": None, "builds": None}
    out = {"name": table["name"], "error": "", "requests": [], "builds": []}
    try:
        app = make_app(table, state)
    except Exception:
        out["error"] = "registration: " + traceback.format_exc()
        return out
    client = app.test_client()
    for req in table.get("requests") or []:
        method, url = req.split(" ", 1)
        out["requests"].append(send(client, state, method, url))
    # Builds run inside a request to their "from" URL, one request per
    # group of builds that share it, in the view that answers it.
    groups = {}
    for i, b in enumerate(table.get("builds") or []):
        groups.setdefault(b["from"], []).append(i)
    results = [None] * len(table.get("builds") or [])
    for frm, idx in groups.items():
        builds = [table["builds"][i] for i in idx]
        ans = send(client, state, "GET", frm, builds)
        for j, i in enumerate(idx):
            if ans["view"] is None:
                results[i] = {"error": f"no view answered GET {frm}: status {ans['status']}"}
            else:
                results[i] = ans["view"]["builds"][j]
    out["builds"] = results
    return out


def main():
    tables = json.load(sys.stdin)
    versions = {p: importlib.metadata.version(p) for p in ("flask", "werkzeug")}
    json.dump({"versions": versions, "tables": [run_table(t) for t in tables]}, sys.stdout)


if __name__ == "__main__":
    main()
