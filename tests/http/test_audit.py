"""The audit log: every state change recorded, filters, verification, export, tamper detection."""

import datetime
import hashlib
import io
import os
import sqlite3
import unittest
import zipfile

from harness import (API, ISO_UTC, TEST_PASSWORD, Server, ServerTestCase, _expect, parse_time, query,
                     sqlite_snapshot, unique_name)

RECORD_KEYS = {"seq", "time", "user_id", "username", "org_id", "org_name", "action", "object_type", "object_id",
               "summary", "client_addr", "request_id", "hash"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def request_id(resp):
    return resp.headers.get("X-Request-Id")


class AuditLogTests(ServerTestCase):

    @classmethod
    def prepare(cls):
        c = cls.client
        sys_token = cls.token("sysadmin")
        sec_token = cls.token("secadmin")
        cls.rid = {}

        r = c.request("POST", API + "/organizations", token=sys_token,
                      body={"code": unique_name("AUD-").upper(), "name": "审计测试机构", "short_name": "审计",
                            "aliases": [], "type": "agency", "region_code": "150100"})
        _expect(r.status == 201, r.body)
        cls.org_id = r.body["id"]
        cls.rid["organization.create"] = request_id(r)

        cls.username = unique_name("aud")
        r = c.request("POST", API + "/users", token=sys_token,
                      body={"username": cls.username, "display_name": "审计对象", "org_id": cls.org_id})
        _expect(r.status == 201, r.body)
        cls.user_id = r.body["user"]["id"]
        temp = r.body["temporary_password"]
        cls.rid["user.create"] = request_id(r)

        r = c.request("PUT", f"{API}/users/{cls.user_id}/roles", token=sec_token, body={"roles": ["officer"]})
        _expect(r.status == 200, r.body)
        cls.rid["role.grant"] = request_id(r)

        r = c.login_response(cls.username, temp)
        _expect(r.status == 200, r.body)
        cls.rid["auth.login"] = request_id(r)
        user_token = r.body["token"]
        r = c.request("POST", API + "/me/password", token=user_token,
                      body={"old_password": temp, "new_password": TEST_PASSWORD})
        _expect(r.status == 204, r.body)
        cls.rid["user.password_change"] = request_id(r)
        r = c.request("POST", API + "/auth/logout", token=user_token)
        _expect(r.status == 204, r.body)
        cls.rid["auth.logout"] = request_id(r)

        cls.failed_rids = []
        for _ in range(5):
            r = c.login_response(cls.username, "Wrong-Password-99")
            cls.failed_rids.append(request_id(r))
        _expect(r.status == 423, r.body)
        r = c.login_response("ghost-user", "Wrong-Password-99")
        _expect(r.status == 401, r.body)
        cls.rid["unknown_user"] = request_id(r)

        r = c.request("POST", f"{API}/users/{cls.user_id}/unlock", token=sys_token)
        _expect(r.status == 200, r.body)
        cls.rid["user.unlock"] = request_id(r)

        r = c.request("POST", f"{API}/users/{cls.user_id}/reset-password", token=sys_token)
        _expect(r.status == 200, r.body)
        cls.rid["user.password_reset"] = request_id(r)

        r = c.request("PUT", f"{API}/organizations/{cls.org_id}", token=sys_token,
                      body={"code": unique_name("AUD-").upper(), "name": "审计测试机构（改）", "aliases": [],
                            "type": "agency", "region_code": "150100"})
        _expect(r.status == 200, r.body)
        cls.rid["organization.update"] = request_id(r)

        cls.sysadmin = cls.user_by_name("sysadmin")
        cls.auditor = cls.token("auditadmin")

    def one(self, action, object_id):
        # Exact action match done here: test_action_filter_is_exact covers the server filter.
        items = [r for r in self.audit_items(object_id=object_id) if r["action"] == action]
        self.assertEqual(len(items), 1, f"{action} {object_id}: {items}")
        return items[0]

    def test_records_have_the_documented_shape(self):
        body = self.assertStatus(self.client.get(API + "/audit", token=self.auditor), 200)
        items = self.assertPage(body, page=1, page_size=20)
        self.assertEqual(len(items), 20)
        for rec in items:
            self.assertTrue(RECORD_KEYS <= set(rec), set(rec))
            self.assertIsInstance(rec["seq"], int)
            self.assertRegex(rec["time"], ISO_UTC)
            self.assertRegex(rec["user_id"], r"^\d+$")
            self.assertRegex(rec["org_id"], r"^\d+$")
            self.assertRegex(rec["hash"], r"^[0-9a-f]{64}$")
        seqs = [rec["seq"] for rec in items]
        self.assertEqual(seqs, sorted(seqs, reverse=True), "newest first")
        self.assertEqual(seqs[0], body["total"])

    def test_each_state_change_is_recorded_with_its_request(self):
        sys_name = self.sysadmin["org"]["name"]
        expected = [
            ("organization.create", "organization", self.org_id, "sysadmin"),
            ("organization.update", "organization", self.org_id, "sysadmin"),
            ("user.create", "user", self.user_id, "sysadmin"),
            ("role.grant", "user", self.user_id, "secadmin"),
            ("auth.login", "user", self.user_id, self.username),
            ("user.password_change", "user", self.user_id, self.username),
            ("auth.logout", "user", self.user_id, self.username),
            ("user.unlock", "user", self.user_id, "sysadmin"),
            ("user.password_reset", "user", self.user_id, "sysadmin"),
        ]
        for action, object_type, object_id, actor in expected:
            with self.subTest(action=action):
                rec = self.one(action=action, object_id=object_id)
                self.assertEqual(rec["action"], action)
                self.assertEqual(rec["object_type"], object_type)
                self.assertEqual(rec["username"], actor)
                self.assertEqual(rec["client_addr"], "127.0.0.1")
                self.assertEqual(rec["request_id"], self.rid[action], "the request that made the change")
                self.assertTrue(rec["summary"])
                if actor == "sysadmin":
                    self.assertEqual(rec["user_id"], self.sysadmin["id"])
                    self.assertEqual(rec["org_name"], sys_name)
        grant = self.one(action="role.grant", object_id=self.user_id)
        self.assertIn("officer", grant["summary"])

    def test_failed_logins_are_recorded(self):
        failed = [r for r in self.audit_items(object_id=self.user_id) if r["action"] == "auth.login_failed"]
        self.assertEqual(len(failed), 5)
        self.assertEqual(sorted(r["request_id"] for r in failed), sorted(self.failed_rids))
        self.assertTrue(all(self.username in r["summary"] for r in failed))
        self.assertTrue(any("锁定" in r["summary"] for r in failed), "the lock is recorded")
        ghost = [r for r in self.audit_items(action="auth.login_failed") if r["request_id"] == self.rid["unknown_user"]]
        self.assertEqual(len(ghost), 1)
        self.assertIn("ghost-user", ghost[0]["summary"])
        self.assertEqual(ghost[0]["user_id"], "0")

    def test_secrets_are_not_recorded(self):
        text = str(self.audit_items(object_id=self.user_id))
        self.assertNotIn(TEST_PASSWORD, text)
        self.assertNotIn("Wrong-Password-99", text)

    def test_filter_by_action(self):
        body = self.client.get(query(API + "/audit", action="user.create", page_size=200), token=self.auditor).body
        items = self.assertPage(body)
        self.assertTrue(items)
        self.assertEqual({r["action"] for r in items}, {"user.create"})
        self.assertEqual(body["total"], 12)  # 11 demo accounts (enterprise, reviewer, agri too) + ours
        self.assertIn(self.user_id, [r["object_id"] for r in items])

    def test_action_filter_is_exact(self):
        # The UI offers actions as exact choices: "auth.login" must not also return auth.login_failed.
        items = self.audit_items(action="auth.login")
        self.assertIn(self.rid["auth.login"], [r["request_id"] for r in items])
        self.assertEqual({r["action"] for r in items}, {"auth.login"})

    def test_filter_by_user(self):
        items = self.audit_items(user_id=self.user_id)
        self.assertEqual({r["user_id"] for r in items}, {self.user_id})
        self.assertTrue({"auth.login", "user.password_change", "auth.logout"} <= {r["action"] for r in items})
        by_sysadmin = self.audit_items(user_id=self.sysadmin["id"])
        self.assertTrue(by_sysadmin)
        self.assertEqual({r["username"] for r in by_sysadmin}, {"sysadmin"})

    def test_filter_by_object_and_org(self):
        items = self.audit_items(object_type="organization", object_id=self.org_id)
        self.assertEqual(sorted(r["action"] for r in items), ["organization.create", "organization.update"])
        org = self.sysadmin["org"]["id"]
        self.assertEqual({r["org_id"] for r in self.audit_items(org_id=org)}, {org})

    def test_filter_by_time(self):
        everything = self.audit_items()
        total = len(everything)
        middle = everything[total // 2]
        t = middle["time"]
        newer = self.audit_items(**{"from": t})
        older = self.audit_items(to=t)
        self.assertTrue(newer and older)
        self.assertTrue(all(r["time"] >= t for r in newer))
        self.assertTrue(all(r["time"] < t for r in older))
        self.assertIn(middle["seq"], [r["seq"] for r in newer], "from is inclusive")
        self.assertNotIn(middle["seq"], [r["seq"] for r in older], "to is exclusive")
        self.assertEqual(len(newer) + len(older), total)
        empty = self.client.get(query(API + "/audit", **{"from": t, "to": t}), token=self.auditor).body
        self.assertEqual(empty["total"], 0)
        # The same instant written with an offset.
        utc = parse_time(t)
        local = utc.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
        text = local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}+08:00"
        shifted = self.client.get(query(API + "/audit", **{"from": text, "page_size": 1}), token=self.auditor)
        self.assertEqual(self.assertStatus(shifted, 200)["total"], len(newer))

    def test_invalid_filters_are_rejected(self):
        for params, field in (({"from": "yesterday"}, "from"), ({"to": "2026-13-45"}, "to"),
                              ({"user_id": "abc"}, "user_id"), ({"org_id": "-1"}, "org_id"),
                              ({"page_size": "0"}, "page_size")):
            with self.subTest(params=params):
                self.assertError(self.client.get(query(API + "/audit", **params), token=self.auditor),
                                 400, "invalid_argument", field=field)

    def test_paging(self):
        first = [r["seq"] for r in self.client.get(query(API + "/audit", page_size=9), token=self.auditor).body["items"]]
        second = self.client.get(query(API + "/audit", page=2, page_size=3), token=self.auditor).body
        self.assertPage(second, page=2, page_size=3)
        self.assertEqual([r["seq"] for r in second["items"]], first[3:6])

    def test_verify_reports_an_intact_chain(self):
        total = self.client.get(query(API + "/audit", page_size=1), token=self.auditor).body["total"]
        body = self.assertStatus(self.client.get(API + "/audit/verify", token=self.auditor), 200)
        self.assertEqual(set(body), {"ok", "checked", "first_broken_seq", "message"})
        self.assertIs(body["ok"], True)
        self.assertEqual(body["checked"], total)
        self.assertIsNone(body["first_broken_seq"])
        self.assertTrue(body["message"])

    def test_export_is_an_xlsx_file(self):
        r = self.client.get(API + "/audit/export", token=self.auditor)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers.get("Content-Type"), XLSX_TYPE)
        self.assertTrue(r.body.startswith(b"PK"))
        self.assertTrue(r.headers.get("Content-Disposition", "").startswith("attachment"))
        with zipfile.ZipFile(io.BytesIO(r.body)) as z:
            self.assertIsNone(z.testzip())
            names = z.namelist()
            self.assertIn("xl/workbook.xml", names)
            self.assertTrue(any(n.startswith("xl/worksheets/") for n in names), names)
            text = "".join(z.read(n).decode("utf-8", "replace") for n in names if n.endswith(".xml"))
        for fragment in ("审计日志", "user.create", "role.grant", self.username, self.rid["user.create"]):
            self.assertIn(fragment, text)

    def test_export_applies_filters(self):
        r = self.client.get(query(API + "/audit/export", action="role.grant"), token=self.auditor)
        self.assertEqual(r.status, 200)
        with zipfile.ZipFile(io.BytesIO(r.body)) as z:
            text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        self.assertIn("role.grant", text)
        self.assertNotIn("user.create", text)
        self.assertError(self.client.get(query(API + "/audit/export", **{"from": "bad"}), token=self.auditor),
                         400, "invalid_argument", field="from")

    def test_only_audit_readers_see_the_log(self):
        for username in ("sysadmin", "secadmin", "office", "officer"):
            for path in ("/audit", "/audit/verify", "/audit/export"):
                with self.subTest(user=username, path=path):
                    self.assertError(self.client.get(API + path, token=self.token(username)), 403, "permission_denied")
        for path in ("/audit", "/audit/verify", "/audit/export"):
            self.assertError(self.client.get(API + path), 401, "unauthenticated")


# -- tamper detection ---------------------------------------------------------

AUDIT_COLUMNS = ("seq, time, user_id, username, org_id, client_addr, request_id, action, object_type, "
                 "object_id, summary, prev_hash, hash")


def chain_hash(row):
    """SHA-256 of one record as the server computes it (core/audit.cc): each field
    as <byte length> 0x1F <bytes> 0x1E, over every column but `hash`."""
    seq, time, user_id, username, org_id, client_addr, rid, action, otype, oid, summary, prev, _ = row
    text = b""
    for field in (str(seq), time, str(user_id), username, str(org_id), client_addr, rid, action, otype, oid,
                  summary, prev):
        data = field.encode("utf-8")
        text += str(len(data)).encode() + b"\x1f" + data + b"\x1e"
    return hashlib.sha256(text).hexdigest()


class AuditTamperTests(ServerTestCase):
    """`redshield audit verify` and GET /audit/verify on edited copies of the database."""

    @classmethod
    def prepare(cls):
        # init already wrote ~195 records (regions, organisations, demo accounts); add a few.
        cls.client.login("sysadmin")
        cls.create_user(password=None)
        cls.snapshot_dir = os.path.join(cls.server.dir, "snapshots")
        os.makedirs(cls.snapshot_dir)

    def snapshot(self, *statements):
        path = os.path.join(self.snapshot_dir, unique_name("s") + ".db")
        sqlite_snapshot(self.server.db_path, path)
        if statements:
            db = sqlite3.connect(path, isolation_level=None)
            try:
                for sql in statements:
                    db.execute(sql)
            finally:
                db.close()
        return path

    def verify(self, path):
        return self.server.cli("audit", "verify", "--db", "sqlite:" + path)

    def last_seq(self, path):
        db = sqlite3.connect(path)
        try:
            return db.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0]
        finally:
            db.close()

    def test_cli_accepts_an_intact_log(self):
        done = self.verify(self.snapshot())
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertTrue(done.stdout.startswith("OK"), done.stdout)

    def test_hashes_follow_the_documented_chain(self):
        db = sqlite3.connect(self.snapshot())
        try:
            rows = db.execute(f"SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY seq").fetchall()
            head = db.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        finally:
            db.close()
        self.assertGreater(len(rows), 100)
        prev = "0" * 64
        for i, row in enumerate(rows, start=1):
            self.assertEqual(row[0], i, "seq without gaps")
            self.assertEqual(row[11], prev, f"prev_hash of seq {i}")
            self.assertEqual(row[12], chain_hash(row), f"hash of seq {i}")
            prev = row[12]
        self.assertEqual(head, (len(rows), prev))

    def test_cli_detects_an_edited_record(self):
        path = self.snapshot("DROP TRIGGER audit_log_no_update",
                             "UPDATE audit_log SET summary = 'x' WHERE seq = 3")
        done = self.verify(path)
        self.assertNotEqual(done.returncode, 0)
        self.assertRegex(done.stdout + done.stderr, r"\bseq 3\b")

    def test_cli_detects_an_edited_record_with_a_recomputed_hash(self):
        path = self.snapshot("DROP TRIGGER audit_log_no_update")
        db = sqlite3.connect(path, isolation_level=None)
        try:
            row = list(db.execute(f"SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq = 3").fetchone())
            row[10] = "篡改后的摘要"
            db.execute("UPDATE audit_log SET summary = ?, hash = ? WHERE seq = 3", (row[10], chain_hash(row)))
        finally:
            db.close()
        done = self.verify(path)
        self.assertNotEqual(done.returncode, 0)
        self.assertRegex(done.stdout + done.stderr, r"\bseq 4\b", "the next record no longer links")

    def test_cli_detects_a_deleted_record(self):
        path = self.snapshot("DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 5")
        done = self.verify(path)
        self.assertNotEqual(done.returncode, 0)
        self.assertRegex(done.stdout + done.stderr, r"\bseq 5\b")

    def test_cli_detects_a_deleted_last_record(self):
        path = self.snapshot("DROP TRIGGER audit_log_no_delete")
        last = self.last_seq(path)
        db = sqlite3.connect(path, isolation_level=None)
        try:
            db.execute("DELETE FROM audit_log WHERE seq = ?", (last,))
        finally:
            db.close()
        done = self.verify(path)
        self.assertNotEqual(done.returncode, 0)
        self.assertRegex(done.stdout + done.stderr, rf"\bseq {last}\b")

    def test_api_verify_reports_the_first_broken_record(self):
        path = self.snapshot("DROP TRIGGER audit_log_no_update",
                             "UPDATE audit_log SET summary = 'x' WHERE seq = 3")
        tampered = Server(db_path=path)
        try:
            tampered.start()
            client = tampered.client()
            body = self.assertStatus(client.get(API + "/audit/verify", token=client.login("auditadmin")), 200)
            self.assertIs(body["ok"], False)
            self.assertEqual(body["first_broken_seq"], 3)
            self.assertEqual(body["checked"], 2)
            self.assertIn("3", body["message"])
            self.assertEqual(tampered.stop(), 0)
        finally:
            tampered.cleanup()

    def test_the_database_refuses_updates_and_deletes(self):
        db = sqlite3.connect(self.server.db_path, timeout=30, isolation_level=None)
        try:
            for sql in ("UPDATE audit_log SET summary = 'x' WHERE seq = 3",
                        "DELETE FROM audit_log WHERE seq = 5",
                        "DELETE FROM audit_log"):
                with self.subTest(sql=sql):
                    with self.assertRaises(sqlite3.DatabaseError) as caught:
                        db.execute(sql)
                    self.assertIn("append-only", str(caught.exception))
        finally:
            db.close()
        done = self.verify(self.snapshot())
        self.assertEqual(done.returncode, 0, done.stdout)


if __name__ == "__main__":
    unittest.main()
