"""Test harness for the redshield HTTP suite: runs the real binary.

Standard library only (Python 3.9+), so that the suite runs on a fresh
Debian 12 with nothing but python3 installed.

* ``Server`` creates a temporary directory, runs
  ``$REDSHIELD_BIN init --demo --db sqlite:DIR/t.db`` and then
  ``$REDSHIELD_BIN serve --db sqlite:DIR/t.db --listen 127.0.0.1:PORT
  --access-log false [extra args]``, waits for ``/healthz`` and stops the
  process with SIGTERM.
* ``Client`` sends one request per connection and returns
  ``Response(status, headers, body)`` (a named 3-tuple; ``body`` is the parsed
  JSON, raw bytes for anything else, or None when empty).
* ``ServerTestCase`` shares one server per test class and asserts in
  ``tearDownClass`` that it exits with status 0 after SIGTERM.

Environment:
  REDSHIELD_BIN       the binary (default: ../../build/src/app/redshield from here)
  REDSHIELD_TEST_DB   only SQLite is supported; a postgresql:// URL makes every
                      server-backed test class skip (see README.md)
  REDSHIELD_TEST_KEEP=1 keeps the temporary directories (database, server logs)
"""

import collections
import datetime
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import string
import subprocess
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BIN = os.path.normpath(os.path.join(HERE, "..", "..", "build", "src", "app", "redshield"))
BIN = os.path.abspath(os.environ.get("REDSHIELD_BIN") or DEFAULT_BIN)
REPO_ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

# The 2017 work plan (shared/seed), of which the product ships a copy for `init --demo`.
SEED_PLAN = os.path.join(REPO_ROOT, "data", "demo", "work-plan-2017-inner-mongolia.txt")

DEMO_PASSWORD = "Demo@Redshield2017"
DEMO_USERS = ("sysadmin", "secadmin", "auditadmin", "office", "officer", "reviewer", "police", "procurator",
              "court")
# Satisfies the policy: >= 12 characters, 4 classes, contains no test username.
TEST_PASSWORD = "Kx7#mQ2!vR9pLw"
OTHER_PASSWORD = "Zq4%Tn8@Ws3&Hy"

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
API = "/api/v1"

Response = collections.namedtuple("Response", "status headers body")

_counter = itertools.count(1)


def unique_name(prefix="t"):
    """A fresh valid username / organisation code fragment: [a-z][a-z0-9]*."""
    tail = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(5))
    return f"{prefix}{next(_counter)}{tail}".lower()


def parse_time(text):
    """Server time text (ISO 8601, 'Z') -> aware datetime."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def query(path, **params):
    """path?urlencoded(params), dropping None values."""
    params = {k: v for k, v in params.items() if v is not None}
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


# ---------------------------------------------------------------------------
# Binary and environment


def require_binary():
    if not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)):
        raise RuntimeError(
            f"redshield binary not found or not executable: {BIN} "
            "(build it, or set REDSHIELD_BIN)")


def check_backend():
    url = os.environ.get("REDSHIELD_TEST_DB", "")
    if url and not url.startswith("sqlite:"):
        raise unittest.SkipTest(
            "REDSHIELD_TEST_DB is set to a non-SQLite database; this suite only runs against "
            "SQLite (it inspects and tampers with the database file) - unset it")


def child_env(tmpdir=None):
    """Environment for the binary: no inherited database or key settings."""
    env = dict(os.environ)
    for name in ("REDSHIELD_DB", "REDSHIELD_KEY_FILE", "REDSHIELD_DATA_KEY"):
        env.pop(name, None)
    if tmpdir:
        env["TMPDIR"] = tmpdir
    return env


def run_cli(*args, input=None, timeout=120, tmpdir=None):
    """Runs the binary with args; returns subprocess.CompletedProcess (text)."""
    require_binary()
    return subprocess.run([BIN, *[str(a) for a in args]], input=input, capture_output=True,
                          text=True, timeout=timeout, env=child_env(tmpdir),
                          stdin=None if input is not None else subprocess.DEVNULL)


def free_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def non_loopback_ipv4():
    """An IPv4 address of this host that is not loopback, or None."""
    candidates = []
    for probe in ("192.0.2.1", "10.255.255.255", "198.51.100.1"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))  # UDP: sends nothing
                candidates.append(s.getsockname()[0])
        except OSError:
            pass
    try:
        candidates += [ai[4][0] for ai in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    for ip in candidates:
        if ip.startswith("127.") or ip == "0.0.0.0":
            continue
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind((ip, 0))
            return ip
        except OSError:
            continue
    return None


def sqlite_snapshot(src_path, dst_path):
    """A consistent copy of a live (WAL) SQLite database, with its key file."""
    src = sqlite3.connect(src_path, timeout=30)
    dst = sqlite3.connect(dst_path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    if os.path.exists(src_path + ".key"):
        shutil.copyfile(src_path + ".key", dst_path + ".key")
    return dst_path


# ---------------------------------------------------------------------------
# HTTP client


def _decode(raw, content_type):
    if not raw:
        return None
    if "json" in (content_type or ""):
        return json.loads(raw.decode("utf-8"))
    return raw


class Client:
    """One connection per request; see request()."""

    def __init__(self, host, port, timeout=30):
        self.host = host
        self.port = port
        self.timeout = timeout

    def request(self, method, path, body=None, token=None, headers=None, raw_body=None,
                timeout=None):
        """Returns Response(status, headers, body).

        body: a JSON value to send; raw_body: bytes/str sent as they are;
        token: sent as 'Authorization: Bearer <token>'; headers: extra headers.
        Response headers are an http.client.HTTPMessage (case-insensitive
        .get(), .get_all())."""
        send_headers = {}
        data = None
        if raw_body is not None:
            data = raw_body.encode("utf-8") if isinstance(raw_body, str) else raw_body
            send_headers["Content-Type"] = "application/json"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            send_headers["Content-Type"] = "application/json"
        if token:
            send_headers["Authorization"] = "Bearer " + token
        if headers:
            send_headers.update(headers)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout or self.timeout)
        try:
            conn.request(method, path, body=data, headers=send_headers)
            resp = conn.getresponse()
            raw = resp.read()
            return Response(resp.status, resp.headers, _decode(raw, resp.headers.get("Content-Type")))
        finally:
            conn.close()

    def get(self, path, token=None, **kw):
        return self.request("GET", path, token=token, **kw)

    def login_response(self, username, password=DEMO_PASSWORD):
        return self.request("POST", API + "/auth/login", body={"username": username, "password": password})

    def login(self, username, password=DEMO_PASSWORD):
        """Logs in and returns the token; raises AssertionError otherwise."""
        r = self.login_response(username, password)
        if r.status != 200 or not isinstance(r.body, dict) or not r.body.get("token"):
            raise AssertionError(f"login {username!r} failed: {r.status} {r.body!r}")
        return r.body["token"]


# ---------------------------------------------------------------------------
# Server process


class Server:
    """The real binary on a fresh SQLite database in a temporary directory."""

    def __init__(self, extra_args=(), host="127.0.0.1", db_path=None, init_demo=True):
        require_binary()
        self.extra_args = [str(a) for a in extra_args]
        self.host = host
        self.dir = tempfile.mkdtemp(prefix="redshield-http-")
        self.db_path = os.path.join(self.dir, "t.db")
        if db_path is not None:  # serve a copy of an existing database
            sqlite_snapshot(db_path, self.db_path)
            init_demo = False
        self.init_demo = init_demo
        self.port = None
        self.proc = None
        self._logs = []
        self._sigterm_sent = False
        self.returncode = None

    @property
    def db_url(self):
        return "sqlite:" + self.db_path

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    def client(self, timeout=30):
        return Client(self.host, self.port, timeout)

    def cli(self, *args, input=None, timeout=120):
        return run_cli(*args, input=input, timeout=timeout, tmpdir=self.dir)

    def start(self, timeout=30):
        if self.init_demo:
            init = self.cli("init", "--demo", "--db", self.db_url)
            if init.returncode != 0:
                raise RuntimeError(f"redshield init failed ({init.returncode}): {init.stderr}")
            self.init_demo = False
        last = ""
        for attempt in range(5):
            self.port = free_port(self.host)
            out = open(os.path.join(self.dir, f"serve-{attempt}.stdout"), "wb")
            err = open(os.path.join(self.dir, f"serve-{attempt}.stderr"), "wb")
            self._logs = [out, err]
            cmd = [BIN, "serve", "--db", self.db_url, "--listen", f"{self.host}:{self.port}",
                   "--access-log", "false", *self.extra_args]
            self._sigterm_sent = False
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                         env=child_env(self.dir))
            state = self._wait_ready(timeout)
            if state == "ready":
                return self
            last = self.stderr_tail()
            if state == "exited" and ("无法监听" in last or "listen" in last):
                continue  # port taken between free_port() and bind: try another
            self.kill()
            raise RuntimeError(f"redshield serve did not become ready ({state}): {last}")
        raise RuntimeError(f"redshield serve could not listen: {last}")

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return "exited"
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=2)
                conn.request("GET", "/healthz")
                ok = conn.getresponse().status == 200
                conn.close()
                if ok:
                    return "ready"
            except OSError:
                pass
            time.sleep(0.05)
        return "timeout"

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def terminate(self):
        """Sends SIGTERM (once) without waiting."""
        if not self._sigterm_sent:
            self._sigterm_sent = True
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, timeout=30):
        """SIGTERM, wait; returns the exit status ('timeout' if it had to be killed)."""
        if self.proc is None:
            return self.returncode
        if self.proc.poll() is None:
            # Only one SIGTERM: a second one may arrive after the server has
            # restored the default disposition on its way out, and kill it.
            self.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                self.returncode = "timeout"
                return self.returncode
        self.returncode = self.proc.returncode
        self._close_logs()
        return self.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_logs()

    def _close_logs(self):
        for f in self._logs:
            if not f.closed:
                f.close()

    def stderr_tail(self, chars=3000):
        for f in self._logs:
            if not f.closed:
                f.flush()
        if len(self._logs) < 2:
            return ""
        try:
            with open(self._logs[1].name, "rb") as f:
                return f.read().decode("utf-8", "replace")[-chars:]
        except OSError:
            return ""

    def cleanup(self):
        self.kill()
        if os.environ.get("REDSHIELD_TEST_KEEP") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------
# Test case base


def _expect(condition, message):
    if not condition:
        raise AssertionError(message)


class ApiAssertions:
    """Assertions shared by all test cases (mixed into unittest.TestCase)."""

    def assertError(self, resp, status, code, field=None, message_contains=()):
        """The error contract: status, {"error":{"code","message","request_id"[,"field"]}},
        request_id non-empty and equal to the X-Request-Id header. Returns the error object."""
        self.assertEqual(resp.status, status, f"unexpected status, body: {resp.body!r}")
        self.assertIn("application/json", resp.headers.get("Content-Type", ""))
        self.assertIsInstance(resp.body, dict, f"error body is not a JSON object: {resp.body!r}")
        self.assertEqual(set(resp.body), {"error"}, resp.body)
        err = resp.body["error"]
        self.assertTrue({"code", "message", "request_id"} <= set(err), err)
        self.assertTrue(set(err) <= {"code", "message", "request_id", "field"}, err)
        self.assertEqual(err["code"], code, err)
        self.assertIsInstance(err["message"], str)
        self.assertTrue(err["message"].strip(), f"empty message: {err}")
        self.assertIsInstance(err["request_id"], str)
        self.assertTrue(err["request_id"], f"empty request_id: {err}")
        self.assertEqual(err["request_id"], resp.headers.get("X-Request-Id"),
                         "request_id in the body differs from the X-Request-Id header")
        if field is not None:
            self.assertEqual(err.get("field"), field, err)
        for fragment in message_contains:
            self.assertIn(fragment, err["message"])
        return err

    def assertStatus(self, resp, status):
        self.assertEqual(resp.status, status, f"body: {resp.body!r}")
        return resp.body

    def assertPage(self, body, page=None, page_size=None):
        self.assertIsInstance(body, dict)
        self.assertEqual(set(body), {"items", "total", "page", "page_size"}, body.keys())
        self.assertIsInstance(body["items"], list)
        self.assertIsInstance(body["total"], int)
        if page is not None:
            self.assertEqual(body["page"], page)
        if page_size is not None:
            self.assertEqual(body["page_size"], page_size)
        return body["items"]


class ServerTestCase(ApiAssertions, unittest.TestCase):
    """One server per test class (started in setUpClass, SIGTERM in tearDownClass).

    Subclasses set ``server_args`` (extra ``serve`` arguments) and may override
    the ``prepare()`` class method to create shared data."""

    server_args = ()
    server_host = "127.0.0.1"
    maxDiff = None

    @classmethod
    def make_server_args(cls):
        return list(cls.server_args)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        check_backend()
        cls.server = Server(cls.make_server_args(), host=cls.server_host)
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.client = cls.server.client()
        cls._tokens = {}
        cls._orgs = {}
        cls.prepare()

    @classmethod
    def prepare(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        tail = cls.server.stderr_tail()
        super().tearDownClass()
        if rc != 0:
            raise AssertionError(f"server exited with {rc!r} after SIGTERM (expected 0); stderr: {tail}")

    # -- helpers usable from prepare() and from tests ---------------------

    @classmethod
    def token(cls, username):
        """A cached session of a demo account (do not log it out)."""
        if username not in cls._tokens:
            cls._tokens[username] = cls.client.login(username, DEMO_PASSWORD)
        return cls._tokens[username]

    @classmethod
    def seed_plan(cls):
        """The seed work plan (2017, 150000), which `init --demo` imports; with a
        database made otherwise, imports it with the CLI, once. Returns the
        plan's summary from GET /plans."""
        if getattr(cls, "_seed_plan", None) is None:
            r = cls.client.get(API + "/plans", token=cls.token("office"))
            if not any(p["year"] == 2017 and p["region_code"] == "150000" for p in r.body.get("items", [])):
                done = cls.server.cli("plan", "import", SEED_PLAN, "--year", "2017", "--db", cls.server.db_url)
                _expect(done.returncode == 0, f"plan import: {done.returncode} {done.stdout} {done.stderr}")
            r = cls.client.get(API + "/plans", token=cls.token("office"))
            _expect(r.status == 200, f"plan list: {r.status} {r.body}")
            found = [p for p in r.body["items"] if p["year"] == 2017 and p["region_code"] == "150000"]
            _expect(len(found) == 1, f"imported plan not listed: {r.body}")
            cls._seed_plan = found[0]
        return cls._seed_plan

    @classmethod
    def org(cls, code):
        """The organisation with this code (cached)."""
        if code not in cls._orgs:
            r = cls.client.get(query(API + "/organizations", q=code, page_size=200), token=cls.token("sysadmin"))
            _expect(r.status == 200, f"organisation lookup {code}: {r.status} {r.body}")
            found = [o for o in r.body["items"] if o["code"] == code]
            _expect(len(found) == 1, f"organisation {code} not found")
            cls._orgs[code] = found[0]
        return cls._orgs[code]

    @classmethod
    def user_by_name(cls, username):
        r = cls.client.get(query(API + "/users", q=username, page_size=200), token=cls.token("sysadmin"))
        _expect(r.status == 200, f"user lookup {username}: {r.status} {r.body}")
        found = [u for u in r.body["items"] if u["username"] == username]
        _expect(len(found) == 1, f"user {username} not found")
        return found[0]

    @classmethod
    def create_org(cls, region_code, org_type="agency", token=None, code=None, parent_code=None, **extra):
        code = code or unique_name("T-ORG-").upper()
        body = {"code": code, "name": f"测试机构{code}", "short_name": "测试", "aliases": [],
                "type": org_type, "region_code": region_code}
        if parent_code:
            body["parent_id"] = cls.org(parent_code)["id"]
        body.update(extra)
        r = cls.client.request("POST", API + "/organizations", body=body, token=token or cls.token("sysadmin"))
        _expect(r.status == 201, f"create organisation: {r.status} {r.body}")
        return r.body

    @classmethod
    def create_user(cls, org_code="NMG-GSJ", roles=(), password=TEST_PASSWORD, username=None,
                    org_id=None, admin_token=None):
        """Creates a user through the API as sysadmin (or admin_token); grants `roles`
        as secadmin; if `password` is set, logs in with the temporary password and
        changes it. Returns a dict: id, username, password, temporary_password, user,
        create_response."""
        username = username or unique_name("u")
        body = {"username": username, "display_name": f"测试用户 {username}",
                "org_id": org_id or cls.org(org_code)["id"]}
        r = cls.client.request("POST", API + "/users", body=body, token=admin_token or cls.token("sysadmin"))
        _expect(r.status == 201, f"create user {username}: {r.status} {r.body}")
        info = {"id": r.body["user"]["id"], "username": username, "user": r.body["user"],
                "temporary_password": r.body["temporary_password"], "password": r.body["temporary_password"],
                "create_response": r}
        if roles:
            rr = cls.client.request("PUT", f"{API}/users/{info['id']}/roles", body={"roles": list(roles)},
                                    token=cls.token("secadmin"))
            _expect(rr.status == 200, f"grant {roles} to {username}: {rr.status} {rr.body}")
            info["user"] = rr.body
        if password:
            t = cls.client.login(username, info["temporary_password"])
            rp = cls.client.request("POST", API + "/me/password", token=t,
                                    body={"old_password": info["temporary_password"], "new_password": password})
            _expect(rp.status == 204, f"change password of {username}: {rp.status} {rp.body}")
            info["password"] = password
        return info

    @classmethod
    def audit_items(cls, **filters):
        """Every audit record matching filters (newest first), all pages."""
        items, page = [], 1
        while True:
            params = dict(filters, page=page, page_size=200)
            r = cls.client.get(query(API + "/audit", **params), token=cls.token("auditadmin"))
            _expect(r.status == 200, f"audit query {params}: {r.status} {r.body}")
            items += r.body["items"]
            if len(items) >= r.body["total"] or not r.body["items"]:
                return items
            page += 1
