"""The server itself: health, metrics, OpenAPI, headers, keep-alive, graceful shutdown, the UI."""

import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
import unittest

from harness import (API, DEMO_PASSWORD, REPO_ROOT, ApiAssertions, Server, ServerTestCase, check_backend,
                     non_loopback_ipv4, query)

# Every route of the router (src/api/api.cc, routes_auth.cc, routes_admin.cc, routes_audit.cc,
# routes_plans.cc, routes_supervision.cc, routes_assessment.cc, routes_screening.cc, routes_trace.cc)
# with the access rule it declares: "public", "authenticated" or the permission.
ROUTES = {
    ("GET", "/healthz"): "public",
    ("GET", "/metrics"): "public",
    ("GET", "/api/v1/openapi.json"): "public",
    ("POST", "/api/v1/auth/login"): "public",
    ("POST", "/api/v1/auth/logout"): "authenticated",
    ("GET", "/api/v1/me"): "authenticated",
    ("POST", "/api/v1/me/password"): "authenticated",
    ("GET", "/api/v1/regions"): "authenticated",
    ("GET", "/api/v1/organizations"): "authenticated",
    ("GET", "/api/v1/organizations/{id}"): "authenticated",
    ("POST", "/api/v1/organizations"): "org.write",
    ("PUT", "/api/v1/organizations/{id}"): "org.write",
    ("DELETE", "/api/v1/organizations/{id}"): "org.write",
    ("GET", "/api/v1/users"): "user.read",
    ("GET", "/api/v1/users/{id}"): "user.read",
    ("POST", "/api/v1/users"): "user.write",
    ("PUT", "/api/v1/users/{id}"): "user.write",
    ("POST", "/api/v1/users/{id}/unlock"): "user.write",
    ("POST", "/api/v1/users/{id}/reset-password"): "user.write",
    ("PUT", "/api/v1/users/{id}/roles"): "role.grant",
    ("GET", "/api/v1/roles"): "authenticated",
    ("GET", "/api/v1/stats/overview"): "authenticated",
    ("GET", "/api/v1/audit"): "audit.read",
    ("GET", "/api/v1/audit/verify"): "audit.read",
    ("GET", "/api/v1/audit/export"): "audit.read",
    ("GET", "/api/v1/plans"): "authenticated",
    ("GET", "/api/v1/plans/{id}"): "authenticated",
    ("GET", "/api/v1/plans/{id}/assignments"): "authenticated",
    ("PUT", "/api/v1/plan-assignments/{id}"): "plan.write",
    ("POST", "/api/v1/plans/parse"): "plan.write",
    ("POST", "/api/v1/plans"): "plan.write",
    ("PUT", "/api/v1/plans/{id}"): "plan.write",
    ("POST", "/api/v1/plans/unit-aliases"): "plan.write",
    ("GET", "/api/v1/plan-assignments/{id}"): "authenticated",
    ("POST", "/api/v1/plan-assignments/{id}/reports"): "plan.report",
    ("GET", "/api/v1/plan-attachments/{id}"): "authenticated",
    ("GET", "/api/v1/me/reminders"): "authenticated",
    ("GET", "/api/v1/me/case-timers"): "authenticated",
    ("POST", "/api/v1/cases/{id}/documents"): "case.write",
    ("GET", "/api/v1/cases/{id}/documents/{doc}"): "authenticated",
    ("GET", "/api/v1/plans/{id}/board"): "plan.write",
    ("GET", "/api/v1/supervisions"): "authenticated",
    ("GET", "/api/v1/supervisions/{id}"): "authenticated",
    ("POST", "/api/v1/supervisions"): "plan.write",
    ("POST", "/api/v1/supervisions/{id}/acknowledge"): "plan.report",
    ("POST", "/api/v1/supervisions/{id}/record"): "plan.write",
    ("POST", "/api/v1/supervisions/{id}/rectification"): "plan.report",
    ("POST", "/api/v1/supervisions/{id}/review"): "plan.write",
    ("POST", "/api/v1/supervisions/{id}/cancel"): "plan.write",
    ("GET", "/api/v1/vetoes"): "authenticated",
    ("POST", "/api/v1/vetoes"): "plan.write",
    ("POST", "/api/v1/vetoes/{id}/revoke"): "plan.write",
    ("GET", "/api/v1/assessment-rubrics"): "authenticated",
    ("POST", "/api/v1/assessment-rubrics"): "plan.write",
    ("GET", "/api/v1/assessment-rubrics/{id}"): "authenticated",
    ("PUT", "/api/v1/assessment-rubrics/{id}"): "plan.write",
    ("GET", "/api/v1/assessment-rubrics/{id}/results"): "authenticated",
    ("PUT", "/api/v1/assessment-rubrics/{id}/scores"): "plan.write",
    ("GET", "/api/v1/assessment-rubrics/{id}/export"): "authenticated",
    ("POST", "/api/v1/screening/jobs"): "screening.run",
    ("GET", "/api/v1/screening/jobs"): "screening.run",
    ("GET", "/api/v1/screening/jobs/{id}"): "screening.run",
    ("POST", "/api/v1/screening/rules/reload"): "screening.rules",
    ("GET", "/api/v1/clues"): "clue.read",
    ("GET", "/api/v1/clues/stats"): "clue.read",
    ("GET", "/api/v1/clues/export"): "clue.read",
    ("GET", "/api/v1/clues/{id}"): "clue.read",
    ("POST", "/api/v1/clues/{id}/review"): "clue.review",
    ("POST", "/api/v1/trace/capture"): "trace.capture",
    ("GET", "/api/v1/trace/events"): "trace.read",
    ("GET", "/api/v1/trace/history"): "trace.read",
    ("GET", "/api/v1/trace/check"): "authenticated",
    ("POST", "/api/v1/trace/batches"): "trace.issue",
    ("GET", "/api/v1/trace/batches"): "trace.read",
    ("GET", "/api/v1/trace/batches/{id}"): "trace.read",
    ("GET", "/api/v1/trace/batches/{id}/labels.csv"): "trace.issue",
    ("GET", "/api/v1/trace/batches/{id}/qr.svg"): "trace.issue",
    ("GET", "/api/v1/trace/batches/{id}/holders"): "trace.read",
    ("POST", "/api/v1/trace/batches/{id}/recall"): "trace.recall",
    ("POST", "/api/v1/trace/batches/{id}/destroy"): "trace.recall",
    ("GET", "/api/v1/trace/suspicions"): "trace.read",
    ("POST", "/api/v1/trace/suspicions/{id}/review"): "trace.review",
    ("GET", "/api/v1/trace/recall-notices"): "trace.read",
    ("POST", "/api/v1/trace/recall-notices/{id}/ack"): "trace.read",
    ("GET", "/api/v1/trace/places"): "trace.read",
    ("POST", "/api/v1/trace/places"): "trace.capture",
    ("POST", "/api/v1/trace/places/import"): "trace.capture",
    ("GET", "/api/v1/trace/scan-stats"): "trace.read",
    ("GET", "/api/v1/trace/rules"): "trace.read",
    ("PUT", "/api/v1/trace/rules"): "trace.rules",
    ("GET", "/api/v1/public/verify/{code}"): "public",
    ("GET", "/api/v1/cases/meta"): "authenticated",
    ("POST", "/api/v1/cases/evaluate"): "authenticated",
    ("GET", "/api/v1/cases/supervision"): "case.procurate",
    ("GET", "/api/v1/cases"): "authenticated",
    ("POST", "/api/v1/cases"): "case.write",
    ("GET", "/api/v1/cases/{id}"): "authenticated",
    ("PUT", "/api/v1/cases/{id}"): "case.write",
    ("POST", "/api/v1/cases/{id}/actions"): "authenticated",
    ("GET", "/api/v1/cases/{id}/custody"): "authenticated",
    ("POST", "/api/v1/cases/{id}/items"): "case.write",
    ("POST", "/api/v1/cases/{id}/items/{item}/moves"): "case.write",
    ("POST", "/api/v1/cases/{id}/destruction-orders"): "case.write",
    ("GET", "/api/v1/cases/{id}/destruction-orders/{order}/photos/{photo}"): "authenticated",
    ("GET", "/api/v1/destruction-units"): "authenticated",
    ("POST", "/api/v1/destruction-units"): "case.read",
    ("GET", "/api/v1/public/destruction-units"): "public",
    ("GET", "/api/v1/reports/summary"): "authenticated",
    ("GET", "/api/v1/reports/summary/export"): "authenticated",
}

# Which demo account holds each permission.
HOLDER = {"authenticated": "office", "org.write": "sysadmin", "user.read": "sysadmin", "user.write": "sysadmin",
          "role.grant": "secadmin", "audit.read": "auditadmin", "plan.write": "office",
          "plan.report": "officer",
          "screening.run": "office", "screening.rules": "sysadmin", "clue.read": "office",
          "clue.review": "office", "trace.capture": "office", "trace.read": "enterprise",
          "trace.issue": "enterprise", "trace.recall": "enterprise", "trace.review": "agri", "trace.rules": "office",
          "case.write": "officer",
          "case.procurate": "procurator", "case.read": "office"}

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def documented_endpoints():
    """(METHOD, path) pairs of the endpoint table of docs/api.md, with the /api/v1 prefix."""
    path = os.path.join(REPO_ROOT, "docs", "api.md")
    if not os.path.exists(path):
        return None
    found = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\|\s*(GET|POST|PUT|DELETE|PATCH)\s+(/\S+)", line)
            if m:
                p = m.group(2)
                found.add((m.group(1), p if p in ("/healthz", "/metrics") else "/api/v1" + p))
    return found


def metric_values(text):
    """Prometheus text -> {'name{labels}': float}."""
    values = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        values[name] = float(value)
    return values


class ServerTests(ServerTestCase):

    def test_healthz(self):
        r = self.client.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, {"status": "ok"})
        self.assertIn("application/json", r.headers.get("Content-Type"))
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")

    def test_metrics(self):
        before = metric_values(self.client.get("/metrics").body.decode())
        for _ in range(3):
            self.client.get("/healthz")
        self.client.get(API + "/nope")
        r = self.client.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers.get("Content-Type").startswith("text/plain"))
        text = r.body.decode()
        self.assertIn("# TYPE redshield_http_requests_total counter", text)
        self.assertIn("# TYPE redshield_http_request_duration_seconds histogram", text)
        v = metric_values(text)
        self.assertGreaterEqual(v['redshield_http_requests_total{code="2xx"}'],
                                before['redshield_http_requests_total{code="2xx"}'] + 4)
        self.assertGreaterEqual(v['redshield_http_requests_total{code="4xx"}'],
                                before['redshield_http_requests_total{code="4xx"}'] + 1)
        buckets = [(k, n) for k, n in v.items() if k.startswith("redshield_http_request_duration_seconds_bucket")]
        self.assertGreater(len(buckets), 3)
        self.assertEqual(buckets[-1][0], 'redshield_http_request_duration_seconds_bucket{le="+Inf"}')
        counts = [n for _, n in buckets]
        self.assertEqual(counts, sorted(counts), "buckets are cumulative")
        self.assertEqual(counts[-1], v["redshield_http_request_duration_seconds_count"])
        self.assertGreater(v["redshield_http_request_duration_seconds_sum"], 0)
        self.assertEqual(sum(v[f'redshield_http_requests_total{{code="{c}xx"}}'] for c in range(1, 6)),
                         v["redshield_http_request_duration_seconds_count"])
        # The public scans' write queue, for an operator to see it keep up.
        self.assertIn("# TYPE redshield_trace_scans_dropped_total counter", text)
        self.assertEqual(v["redshield_trace_scans_dropped_total"], 0)
        self.assertGreaterEqual(v["redshield_trace_scans_queued"], 0)
        self.assertGreaterEqual(v["redshield_trace_codes_unfolded"], 0)
        self.assertGreaterEqual(v["redshield_trace_folds_total"], 1)  # at start, of what a stopped server left
        self.assertGreaterEqual(v["redshield_trace_fold_seconds_total"], 0)
        self.assertIn("# TYPE redshield_db_pool_connections gauge", text)
        self.assertGreater(v['redshield_db_pool_connections{state="total"}'], 0)
        self.assertLessEqual(v['redshield_db_pool_connections{state="in_use"}'],
                             v['redshield_db_pool_connections{state="total"}'])

    def openapi(self):
        r = self.client.get(API + "/openapi.json")
        self.assertEqual(r.status, 200)
        self.assertIn("application/json", r.headers.get("Content-Type"))
        return r.body

    def test_openapi_document_is_valid_and_lists_every_route(self):
        doc = self.openapi()
        self.assertIsInstance(doc, dict)
        self.assertRegex(doc["openapi"], r"^3\.\d+\.\d+$")
        self.assertTrue(doc["info"]["title"])
        self.assertTrue(doc["info"]["version"])
        routes = {}
        for path, item in doc["paths"].items():
            for method, op in item.items():
                self.assertIn(method, HTTP_METHODS)
                routes[(method.upper(), path)] = op
        self.assertEqual(set(routes), set(ROUTES))
        for (method, path), op in routes.items():
            with self.subTest(route=f"{method} {path}"):
                self.assertTrue(op.get("summary"))
                self.assertIn("responses", op)
                self.assertIn("default", op["responses"])
                expected = ROUTES[(method, path)]
                if expected == "public":
                    self.assertEqual(op.get("security"), [])
                else:
                    self.assertEqual(op.get("x-permission"), expected)
                params = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
                self.assertEqual(params, re.findall(r"\{(\w+)\}", path))
        # Every $ref resolves.
        schemas = doc["components"]["schemas"]
        self.assertIn("Error", schemas)
        refs = re.findall(r'"\$ref":\s*"#/components/schemas/([^"]+)"', json.dumps(doc))
        self.assertTrue(refs)
        for ref in refs:
            self.assertIn(ref, schemas)

    def test_openapi_matches_the_api_document(self):
        documented = documented_endpoints()
        if documented is None:
            self.skipTest("docs/api.md not found")
        self.assertEqual(documented | {("GET", "/api/v1/openapi.json")}, set(ROUTES))

    def screened_clue(self):
        """A finished screening job of one counterfeit listing, and its clue."""
        line = json.dumps({"id": "R1", "platform": "taobao", "title": "耐克 运动鞋 高仿", "price": 59,
                           "seller_id": "route-table", "seller_name": "阿强鞋店", "category": "运动鞋"},
                          ensure_ascii=False)
        r = self.client.request("POST", API + "/screening/jobs", raw_body=line + "\n",
                                token=self.token("office"))
        self.assertEqual(r.status, 202, r.body)
        for _ in range(200):
            job = self.client.get(API + "/screening/jobs/" + r.body["id"], token=self.token("office")).body
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        clues = self.client.get(API + "/clues?q=route-table", token=self.token("office")).body
        return job, clues["items"][0]

    def test_every_documented_route_is_served(self):
        org = self.create_org("150100")
        user = self.create_user(password=None)
        logout_token = self.client.login("office")
        plan = self.seed_plan()
        gsj = self.org("NMG-GSJ")  # the officer's organisation: it may report and acknowledge
        assignment = self.client.get(query(f"{API}/plans/{plan['id']}/assignments", org_id=gsj["id"]),
                                     token=self.token("office")).body["items"][0]
        report = self.client.request("POST", f"{API}/plan-assignments/{assignment['id']}/reports",
                                     token=self.token("officer"),
                                     body={"period": "2017-06", "status": "进行中", "narrative": "路由测试",
                                           "attachments": [{"filename": "a.txt", "data_base64": "YQ=="}]}).body
        supervision = self.client.request("POST", f"{API}/supervisions", token=self.token("office"),
                                          body={"plan_id": plan["id"], "kind": "notice", "org_id": gsj["id"],
                                                "title": "路由测试", "content": "路由测试"}).body
        rubric = self.client.get(f"{API}/assessment-rubrics?year=2016", token=self.token("office")).body["items"][0]
        veto = self.client.request("POST", f"{API}/vetoes", token=self.token("office"),
                                   body={"year": 2001, "region_code": "150900", "reason": "路由测试"}).body
        job, clue = self.screened_clue()
        batch = self.client.request("POST", f"{API}/trace/batches", token=self.token("enterprise"),
                                    body={"kind": "pesticide", "enterprise_uscc": "911522010783762860",
                                          "enterprise_name": "路由测试", "registration_no": "PD20092927",
                                          "product_name": "路由测试", "lot": "R1", "production_date": "2026-11-01",
                                          "quantity": 2}).body
        case = self.client.request("POST", f"{API}/cases", token=self.token("officer"),
                                   body={"title": "路由测试", "category": "商标"}).body
        doc = self.openapi()
        for path, item in doc["paths"].items():
            for method, op in item.items():
                method = method.upper()
                with self.subTest(route=f"{method} {path}"):
                    access = op.get("x-permission", "public")
                    token = None if access == "public" else self.token(HOLDER[access])
                    if (method, path) == ("POST", "/api/v1/auth/logout"):
                        token = logout_token
                    if "assessment-rubrics" in path:
                        target_id = rubric["id"]
                    elif "vetoes" in path:
                        target_id = veto["id"]
                    elif "plan-attachments" in path:
                        target_id = report["attachments"][0]["id"]
                    elif "supervisions" in path:
                        target_id = supervision["id"]
                    elif "plan-assignments" in path:
                        target_id = assignment["id"]
                    elif "trace/batches" in path:
                        target_id = batch["id"]
                    elif "screening/jobs" in path:
                        target_id = job["id"]
                    elif "clues" in path:
                        target_id = clue["id"]
                    elif "/cases/" in path:
                        target_id = case["id"]
                    elif "plans" in path:
                        target_id = plan["id"]
                    else:
                        target_id = org["id"] if "organizations" in path else user["id"]
                    target = path.replace("{id}", target_id)
                    r = self.client.request(method, target, token=token)
                    self.assertLess(r.status, 500, r.body)
                    self.assertNotIn(r.status, (401, 403), f"{target}: {r.body}")
                    if r.status == 404:
                        self.assertNotEqual(r.body["error"]["code"], "not_found", f"{target} is not routed")

    def test_security_headers(self):
        token = self.token("office")
        for method, path, tok in (("GET", "/healthz", None), ("GET", API + "/me", token),
                                  ("GET", API + "/nope", None), ("GET", API + "/users", token),
                                  ("POST", API + "/auth/login", None)):
            with self.subTest(path=path):
                r = self.client.request(method, path, token=tok)
                h = r.headers
                self.assertEqual(h.get("X-Content-Type-Options"), "nosniff")
                self.assertTrue(h.get("X-Request-Id"))
                self.assertEqual(h.get("X-Frame-Options"), "DENY")
                self.assertEqual(h.get("Referrer-Policy"), "no-referrer")
                self.assertEqual(h.get("Cache-Control"), "no-store")
                self.assertEqual(len(h.get_all("X-Request-Id")), 1)

    def test_keep_alive(self):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            def send(method, path, body=None, token=None):
                headers = {"Content-Type": "application/json"}
                if token:
                    headers["Authorization"] = "Bearer " + token
                conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.assertIsNotNone(conn.sock, f"connection closed after {method} {path}")
                return resp.status, data, conn.sock.getsockname()

            status, _, local = send("GET", "/healthz")
            self.assertEqual(status, 200)
            status, data, again = send("POST", API + "/auth/login", {"username": "court", "password": DEMO_PASSWORD})
            self.assertEqual((status, again), (200, local))
            token = json.loads(data)["token"]
            for method, path, expected in (("GET", API + "/me", 200), ("GET", API + "/nope", 404),
                                           ("GET", API + "/users", 403), ("GET", API + "/regions", 200),
                                           ("POST", API + "/auth/logout", 204)):
                status, _, again = send(method, path, token=token)
                self.assertEqual((status, again), (expected, local), f"{method} {path}")
        finally:
            conn.close()

    def test_head_request_has_no_body(self):
        """HEAD has the GET's headers, Content-Length included, and no body; the connection stays open."""
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            conn.request("GET", "/healthz")
            get = conn.getresponse()
            body = get.read()
            conn.request("HEAD", "/healthz")
            resp = conn.getresponse()
            self.assertEqual(resp.read(), b"")
            self.assertEqual(resp.getheader("Content-Length"), str(len(body)))
            self.assertEqual(resp.getheader("Content-Type"), get.getheader("Content-Type"))
            conn.request("GET", "/healthz")
            self.assertEqual(conn.getresponse().read(), body)
        finally:
            conn.close()


class MetricsAccessTests(ServerTestCase):
    """/metrics is public on loopback only (docs/api.md); /healthz is public everywhere."""

    @classmethod
    def setUpClass(cls):
        cls.server_host = non_loopback_ipv4()
        if cls.server_host is None:
            raise unittest.SkipTest("this host has no non-loopback IPv4 address")
        super().setUpClass()

    def test_metrics_refused_to_other_clients(self):
        r = self.client.get("/metrics")  # from this host's non-loopback address
        self.assertIn(r.status, (403, 404), r.body)
        self.assertError(r, r.status, "permission_denied" if r.status == 403 else "not_found")
        self.assertNotIn(b"redshield_http_requests_total", json.dumps(r.body).encode())

    def test_healthz_served_to_other_clients(self):
        self.assertEqual(self.client.get("/healthz").status, 200)


class GracefulShutdownTests(ApiAssertions, unittest.TestCase):
    """SIGTERM: requests in flight complete, idle connections close, exit status 0."""

    def setUp(self):
        check_backend()
        self.server = Server()
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.client = self.server.client()

    def test_in_flight_requests_complete(self):
        # Four logins (one per server thread) have sent their headers and half of
        # their bodies when SIGTERM comes, so they are in flight whatever the
        # machine's speed; each must still be answered, and then the server exits 0.
        body = json.dumps({"username": "officer", "password": DEMO_PASSWORD}).encode()
        head = (f"POST {API}/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        socks = [socket.create_connection((self.server.host, self.server.port), timeout=30)
                 for _ in range(4)]
        try:
            for sock in socks:
                sock.sendall(head + body[:10])
            time.sleep(0.3)  # accepted and reading their bodies
            self.server.terminate()
            time.sleep(0.2)
            for sock in socks:
                sock.sendall(body[10:])
            for sock in socks:
                data = b""
                while chunk := sock.recv(65536):
                    data += chunk
                self.assertTrue(data.startswith(b"HTTP/1.1 200"), data[:200])
                self.assertIn(b'"token"', data)
        finally:
            for sock in socks:
                sock.close()
        self.assertEqual(self.server.stop(), 0, self.server.stderr_tail())
        with self.assertRaises(OSError):
            socket.create_connection((self.server.host, self.server.port), timeout=2).close()

    def test_idle_keep_alive_connection_does_not_delay_exit(self):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            conn.request("GET", "/healthz")
            self.assertEqual(conn.getresponse().read(), b'{"status":"ok"}')
            start = time.monotonic()
            self.assertEqual(self.server.stop(), 0, self.server.stderr_tail())
            self.assertLess(time.monotonic() - start, 5, "an idle connection held the server for the grace period")
        finally:
            conn.close()

    def test_repeated_start_and_stop_exit_cleanly(self):
        # Shutdown must not race with the end of the process (exit status 0 every time).
        db = self.server.db_path
        self.client.login("sysadmin")
        self.assertEqual(self.server.stop(), 0, self.server.stderr_tail())
        for i in range(10):
            with self.subTest(run=i):
                s = Server(db_path=db)
                try:
                    s.start()
                    s.client().login("sysadmin")
                    self.assertEqual(s.stop(), 0, s.stderr_tail())
                finally:
                    s.cleanup()

    def test_request_being_received_completes(self):
        # Headers and half the body have arrived when SIGTERM comes: the request is in
        # flight and must be answered, not dropped.
        body = json.dumps({"username": "officer", "password": DEMO_PASSWORD}).encode()
        head = (f"POST {API}/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        sock = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            sock.sendall(head + body[:10])
            time.sleep(0.2)
            self.server.terminate()
            time.sleep(0.2)
            try:
                sock.sendall(body[10:])
                data = b""
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError as e:
                data = f"<{e!r}>".encode()
            self.assertTrue(data.startswith(b"HTTP/1.1 200"), data[:200])
        finally:
            sock.close()
        self.assertEqual(self.server.stop(), 0, self.server.stderr_tail())


class SpaTests(ServerTestCase):
    INDEX = "<!doctype html><html><head><title>红盾</title></head><body><div id=app></div>" \
            "<script type=module src=/assets/app-abc123.js></script></body></html>"
    SCRIPT = "console.log('redshield');\n"

    @classmethod
    def make_server_args(cls):
        cls.web_root = tempfile.mkdtemp(prefix="redshield-web-")
        cls.addClassCleanup(shutil.rmtree, cls.web_root, True)
        os.makedirs(os.path.join(cls.web_root, "assets"))
        with open(os.path.join(cls.web_root, "index.html"), "w", encoding="utf-8") as f:
            f.write(cls.INDEX)
        with open(os.path.join(cls.web_root, "assets", "app-abc123.js"), "w", encoding="utf-8") as f:
            f.write(cls.SCRIPT)
        with open(os.path.join(cls.web_root, "favicon.ico"), "wb") as f:
            f.write(b"\x00\x00\x01\x00")
        return ["--web-root", cls.web_root]

    def assert_index(self, r):
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers.get("Content-Type"), "text/html; charset=utf-8")
        self.assertEqual(r.body.decode("utf-8"), self.INDEX)
        csp = r.headers.get("Content-Security-Policy")
        self.assertIsNotNone(csp)
        directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
        self.assertEqual(directives.get("frame-ancestors"), "frame-ancestors 'none'")
        self.assertIn("script-src", directives)
        self.assertNotIn("'unsafe-inline'", directives["script-src"])
        self.assertNotIn("'unsafe-eval'", directives["script-src"])
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")
        self.assertEqual(r.headers.get("X-Frame-Options"), "DENY")
        self.assertEqual(r.headers.get("Cache-Control"), "no-cache")

    def test_root_serves_index(self):
        self.assert_index(self.client.get("/"))
        self.assert_index(self.client.get("/index.html"))

    def test_client_routes_fall_back_to_index(self):
        for path in ("/some/client/route", "/login", "/admin/users/123", "/audit?from=2026-01-01"):
            with self.subTest(path=path):
                self.assert_index(self.client.get(path))

    def test_hashed_assets_are_cached_long(self):
        r = self.client.get("/assets/app-abc123.js")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body.decode(), self.SCRIPT)
        self.assertTrue(r.headers.get("Content-Type").startswith("text/javascript"))
        cache = r.headers.get("Cache-Control")
        self.assertIn("max-age=31536000", cache)
        self.assertIn("immutable", cache)
        icon = self.client.get("/favicon.ico")
        self.assertEqual((icon.status, icon.headers.get("Content-Type")), (200, "image/x-icon"))
        self.assertNotIn("immutable", icon.headers.get("Cache-Control"))

    def test_missing_files_are_404(self):
        for path in ("/missing.js", "/assets/app-zzz999.js", "/img/logo.png"):
            with self.subTest(path=path):
                self.assertError(self.client.get(path), 404, "not_found")

    def test_api_paths_never_fall_back_to_index(self):
        self.assertError(self.client.get(API + "/nope"), 404, "not_found")
        self.assertError(self.client.get("/api/v2/anything"), 404, "not_found")
        self.assertEqual(self.client.get("/healthz").body, {"status": "ok"})

    def test_only_files_under_the_web_root_are_served(self):
        for path in ("/../t.db", "/%2e%2e/t.db", "/assets/../../t.db.key", "/..%2ft.db.key"):
            with self.subTest(path=path):
                r = self.client.get(path)
                self.assertIn(r.status, (200, 400, 404))
                if r.status == 200:
                    self.assertEqual(r.body.decode("utf-8", "replace"), self.INDEX)

    def test_ui_is_not_served_for_other_methods(self):
        self.assertError(self.client.request("POST", "/"), 404, "not_found")


if __name__ == "__main__":
    unittest.main()
