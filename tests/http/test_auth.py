"""Login, sessions (cookie and Bearer), logout, lockout, temporary passwords, timeouts."""

import datetime
import sqlite3
import threading
import time
import unittest

from harness import (API, DEMO_PASSWORD, ISO_UTC, OTHER_PASSWORD, TEST_PASSWORD, ServerTestCase,
                     parse_time, query, unique_name, utc_now)

USER_KEYS = {"id", "username", "display_name", "org", "roles", "permissions", "status", "locked_until",
             "must_change_password", "phone_masked", "created_at", "last_login_at"}


def cookie_attributes(set_cookie):
    """'a=b; Path=/; HttpOnly' -> ('a', 'b', {'path': '/', 'httponly': ''})."""
    parts = [p.strip() for p in set_cookie.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip()
    return name, value, attrs


class LoginTests(ServerTestCase):

    def test_login_returns_token_user_and_session_cookie(self):
        before = utc_now()
        r = self.client.login_response("sysadmin")
        body = self.assertStatus(r, 200)
        self.assertEqual(set(body), {"token", "expires_at", "user", "must_change_password"})
        self.assertIsInstance(body["token"], str)
        self.assertGreaterEqual(len(body["token"]), 32)
        self.assertIs(body["must_change_password"], False)
        self.assertRegex(body["expires_at"], ISO_UTC)
        expires = parse_time(body["expires_at"])
        self.assertAlmostEqual((expires - before).total_seconds(), 12 * 3600, delta=120)
        user = body["user"]
        self.assertTrue(USER_KEYS <= set(user), set(user))
        self.assertEqual(user["username"], "sysadmin")
        self.assertRegex(user["id"], r"^\d+$")  # ids are strings
        self.assertEqual(user["roles"], ["sysadmin"])
        self.assertEqual(sorted(user["permissions"]),
                         ["org.write", "screening.rules", "user.read", "user.write"])
        self.assertEqual(user["status"], "active")
        self.assertIsNone(user["locked_until"])
        self.assertIs(user["must_change_password"], False)
        self.assertEqual(user["org"]["code"], "NMG-SDB")
        self.assertRegex(user["last_login_at"], ISO_UTC)
        self.assertNotIn("password", r.body["user"])
        self.assertNotIn("hash", str(r.body))

        cookies = r.headers.get_all("Set-Cookie")
        self.assertEqual(len(cookies), 1, cookies)
        name, value, attrs = cookie_attributes(cookies[0])
        self.assertEqual(name, "rs_session")
        self.assertEqual(value, body["token"])
        self.assertIn("httponly", attrs)
        self.assertEqual(attrs.get("samesite"), "Strict")
        self.assertEqual(attrs.get("path"), "/")
        self.assertEqual(attrs.get("max-age"), str(12 * 3600))

    def test_each_login_is_a_new_session(self):
        a = self.client.login("office")
        b = self.client.login("office")
        self.assertNotEqual(a, b)

    def test_cookie_authenticates(self):
        token = self.client.login("office")
        r = self.client.get(API + "/me", headers={"Cookie": f"theme=dark; rs_session={token}; lang=zh"})
        body = self.assertStatus(r, 200)
        self.assertEqual(body["username"], "office")
        self.assertTrue(USER_KEYS <= set(body), set(body))
        self.assertEqual(body["roles"], ["office"])

    def test_bearer_authenticates(self):
        token = self.client.login("officer")
        body = self.assertStatus(self.client.get(API + "/me", token=token), 200)
        self.assertEqual(body["username"], "officer")
        self.assertEqual(body["org"]["code"], "NMG-GSJ")
        self.assertEqual(body["permissions"], ["plan.report", "clue.read", "clue.review", "trace.read", "trace.recall", "trace.review",
                                               "case.write"])

    def test_logout_revokes_the_session_and_clears_the_cookie(self):
        token = self.client.login("police")
        other = self.client.login("police")
        self.assertStatus(self.client.get(API + "/me", token=token), 200)
        r = self.client.request("POST", API + "/auth/logout", token=token)
        self.assertEqual(r.status, 204)
        self.assertIsNone(r.body)
        cookies = r.headers.get_all("Set-Cookie") or []
        self.assertEqual(len(cookies), 1, cookies)
        name, value, attrs = cookie_attributes(cookies[0])
        self.assertEqual((name, value), ("rs_session", ""))
        self.assertEqual(attrs.get("max-age"), "0")
        self.assertIn("httponly", attrs)

        self.assertError(self.client.get(API + "/me", token=token), 401, "unauthenticated")
        self.assertError(self.client.get(API + "/me", headers={"Cookie": "rs_session=" + token}),
                         401, "unauthenticated")
        self.assertError(self.client.request("POST", API + "/auth/logout", token=token), 401, "unauthenticated")
        # Only that session ends.
        self.assertEqual(self.assertStatus(self.client.get(API + "/me", token=other), 200)["username"], "police")

    def test_logout_by_cookie(self):
        token = self.client.login("court")
        r = self.client.request("POST", API + "/auth/logout", headers={"Cookie": "rs_session=" + token})
        self.assertEqual(r.status, 204)
        self.assertError(self.client.get(API + "/me", token=token), 401, "unauthenticated")

    def test_wrong_password_for_demo_user_is_401(self):
        err = self.assertError(self.client.login_response("procurator", "Wrong@Password123"),
                               401, "unauthenticated")
        self.assertRegex(err["message"], r"4\s*次")
        # Reset the counter for other tests.
        self.client.login("procurator")

    def test_unknown_username_is_401(self):
        self.assertError(self.client.login_response("nosuchuser", "Whatever@123456"), 401, "unauthenticated")

    def test_login_validates_its_body(self):
        self.assertError(self.client.request("POST", API + "/auth/login", body={"username": "sysadmin"}),
                         400, "invalid_argument", field="password")
        self.assertError(self.client.request("POST", API + "/auth/login", body={"password": DEMO_PASSWORD}),
                         400, "invalid_argument", field="username")
        self.assertError(self.client.request("POST", API + "/auth/login",
                                             body={"username": 1, "password": DEMO_PASSWORD}),
                         400, "invalid_argument", field="username")
        self.assertError(self.client.request("POST", API + "/auth/login", raw_body=b""),
                         400, "invalid_argument")


class LockoutTests(ServerTestCase):

    def wrong(self, username):
        return self.client.login_response(username, "Not-The-Password-1")

    def test_failures_count_down_then_lock_and_sysadmin_unlocks(self):
        u = self.create_user()
        for remaining in (4, 3, 2, 1):
            err = self.assertError(self.wrong(u["username"]), 401, "unauthenticated")
            self.assertRegex(err["message"], rf"(?<!\d){remaining}\s*次", "message must say how many attempts remain")
        err = self.assertError(self.wrong(u["username"]), 423, "account_locked")
        self.assertIn("锁定", err["message"])
        # The right password is refused while locked; the message says until when.
        err = self.assertError(self.client.login_response(u["username"], u["password"]), 423, "account_locked")
        self.assertRegex(err["message"], r"\d{2}:\d{2}")

        sys_token = self.token("sysadmin")
        user = self.assertStatus(self.client.get(f"{API}/users/{u['id']}", token=sys_token), 200)
        self.assertEqual(user["status"], "locked")
        self.assertRegex(user["locked_until"], ISO_UTC)
        minutes = (parse_time(user["locked_until"]) - utc_now()).total_seconds() / 60
        self.assertAlmostEqual(minutes, 30, delta=2)
        locked = self.assertStatus(self.client.get(query(API + "/users", status="locked", q=u["username"]),
                                                   token=sys_token), 200)
        self.assertEqual([x["id"] for x in locked["items"]], [u["id"]])

        # Neither secadmin nor the user's own colleagues may unlock.
        self.assertError(self.client.request("POST", f"{API}/users/{u['id']}/unlock", token=self.token("secadmin")),
                         403, "permission_denied")
        self.assertError(self.client.request("POST", f"{API}/users/{u['id']}/unlock", token=self.token("officer")),
                         403, "permission_denied")

        r = self.client.request("POST", f"{API}/users/{u['id']}/unlock", token=sys_token)
        user = self.assertStatus(r, 200)
        self.assertEqual(user["id"], u["id"])
        self.assertEqual(user["status"], "active")
        self.assertIsNone(user["locked_until"])
        body = self.assertStatus(self.client.login_response(u["username"], u["password"]), 200)
        self.assertEqual(body["user"]["status"], "active")
        # The counter starts again from 5.
        err = self.assertError(self.wrong(u["username"]), 401, "unauthenticated")
        self.assertRegex(err["message"], r"(?<!\d)4\s*次")

    def test_successful_login_resets_the_failure_count(self):
        u = self.create_user()
        for _ in range(4):
            self.assertError(self.wrong(u["username"]), 401, "unauthenticated")
        self.client.login(u["username"], u["password"])
        for remaining in (4, 3, 2, 1):
            err = self.assertError(self.wrong(u["username"]), 401, "unauthenticated")
            self.assertRegex(err["message"], rf"(?<!\d){remaining}\s*次")
        self.client.login(u["username"], u["password"])

    def test_concurrent_failures_still_lock_the_account(self):
        # 10 wrong passwords sent at once are 10 failures: the account must end up
        # locked like after 5 sequential ones (no lost updates of the counter).
        u = self.create_user()
        statuses = []
        lock = threading.Lock()
        barrier = threading.Barrier(10)

        def attempt():
            barrier.wait()
            r = self.wrong(u["username"])
            with lock:
                statuses.append(r.status)

        threads = [threading.Thread(target=attempt) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(len(statuses), 10)
        self.assertTrue(set(statuses) <= {401, 423}, statuses)
        self.assertError(self.client.login_response(u["username"], u["password"]), 423, "account_locked")
        user = self.assertStatus(self.client.get(f"{API}/users/{u['id']}", token=self.token("sysadmin")), 200)
        self.assertEqual(user["status"], "locked")

    def test_me_reports_the_current_lock_state(self):
        # A session opened before the lock keeps working; /me must show the lock
        # while it lasts and "active" once it has expired.
        u = self.create_user()
        token = self.client.login(u["username"], u["password"])
        for _ in range(5):
            self.wrong(u["username"])
        me = self.assertStatus(self.client.get(API + "/me", token=token), 200)
        self.assertEqual(me["status"], "locked")
        self.assertRegex(me["locked_until"], ISO_UTC)
        # Let the lock expire (instead of waiting 30 minutes).
        expired = (utc_now() - datetime.timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        db = sqlite3.connect(self.server.db_path, timeout=30)
        try:
            with db:
                db.execute("UPDATE users SET locked_until = ? WHERE id = ?", (expired, int(u["id"])))
        finally:
            db.close()
        # The server caches users for up to 1 s; a change made behind its back
        # (as here, or by another server process) shows after that.
        time.sleep(1.2)
        admin_view = self.assertStatus(self.client.get(f"{API}/users/{u['id']}", token=self.token("sysadmin")), 200)
        self.assertEqual((admin_view["status"], admin_view["locked_until"]), ("active", None))
        me = self.assertStatus(self.client.get(API + "/me", token=token), 200)
        self.assertEqual((me["status"], me["locked_until"]), ("active", None))
        self.client.login(u["username"], u["password"])

    def test_cli_passwd_sets_password_and_unlocks(self):
        u = self.create_user(password=None)  # still on its temporary password
        for _ in range(5):
            self.wrong(u["username"])
        self.assertError(self.client.login_response(u["username"], u["temporary_password"]), 423, "account_locked")
        done = self.server.cli("user", "passwd", u["username"], "--password-stdin", "--db", self.server.db_url,
                               input=OTHER_PASSWORD + "\n")
        self.assertEqual(done.returncode, 0, done.stderr)
        body = self.assertStatus(self.client.login_response(u["username"], OTHER_PASSWORD), 200)
        self.assertIs(body["must_change_password"], False)
        self.assertError(self.client.login_response(u["username"], u["temporary_password"]), 401, "unauthenticated")

    def test_cli_passwd_enforces_the_policy(self):
        u = self.create_user(password=None)
        done = self.server.cli("user", "passwd", u["username"], "--password-stdin", "--db", self.server.db_url,
                               input="short\n")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("12", done.stderr)


class TemporaryPasswordTests(ServerTestCase):

    def test_new_user_must_change_the_temporary_password(self):
        sys_token = self.token("sysadmin")
        username = unique_name("temp")
        r = self.client.request("POST", API + "/users", token=sys_token,
                                body={"username": username, "display_name": "临时 用户",
                                      "org_id": self.org("NMG-GSJ")["id"], "phone": "13812345678"})
        body = self.assertStatus(r, 201)
        self.assertEqual(set(body), {"user", "temporary_password"})
        temp = body["temporary_password"]
        self.assertGreaterEqual(len(temp), 12)
        self.assertIs(body["user"]["must_change_password"], True)
        self.assertEqual(body["user"]["phone_masked"], "138****5678")
        self.assertNotIn("13812345678", str(body))
        self.assertEqual(body["user"]["roles"], [])

        login = self.assertStatus(self.client.login_response(username, temp), 200)
        self.assertIs(login["must_change_password"], True)
        token = login["token"]

        # Only the password change, /me and logout are allowed.
        for path in ("/organizations", "/regions", "/roles", "/stats/overview"):
            with self.subTest(path=path):
                self.assertError(self.client.get(API + path, token=token), 412, "failed_precondition")
        me = self.assertStatus(self.client.get(API + "/me", token=token), 200)
        self.assertIs(me["must_change_password"], True)

        def change(old, new):
            return self.client.request("POST", API + "/me/password", token=token,
                                       body={"old_password": old, "new_password": new})

        self.assertError(change(temp, "Sh0rt!"), 400, "invalid_argument", field="new_password")
        self.assertError(change(temp, "alllowercaseletters"), 400, "invalid_argument", field="new_password")
        self.assertError(change(temp, "Xy7!" + username + "x"), 400, "invalid_argument", field="new_password")
        self.assertError(change(temp, temp), 400, "invalid_argument", field="new_password")
        self.assertError(change("Wrong-Old-Pass1", TEST_PASSWORD), 400, "invalid_argument", field="old_password")
        self.assertError(self.client.request("POST", API + "/me/password", token=token, body={"old_password": temp}),
                         400, "invalid_argument", field="new_password")

        r = change(temp, TEST_PASSWORD)
        self.assertEqual(r.status, 204, r.body)
        self.assertIsNone(r.body)

        page = self.assertStatus(self.client.get(API + "/organizations", token=token), 200)
        self.assertPage(page, page=1, page_size=20)
        self.assertIs(self.assertStatus(self.client.get(API + "/me", token=token), 200)["must_change_password"], False)
        self.assertError(self.client.login_response(username, temp), 401, "unauthenticated")
        again = self.assertStatus(self.client.login_response(username, TEST_PASSWORD), 200)
        self.assertIs(again["must_change_password"], False)

    def test_logout_is_allowed_before_the_change(self):
        u = self.create_user(password=None)
        token = self.client.login(u["username"], u["temporary_password"])
        self.assertEqual(self.client.request("POST", API + "/auth/logout", token=token).status, 204)
        self.assertError(self.client.get(API + "/me", token=token), 401, "unauthenticated")

    def test_reset_password_ends_sessions_and_requires_a_change(self):
        u = self.create_user()
        token = self.client.login(u["username"], u["password"])
        r = self.client.request("POST", f"{API}/users/{u['id']}/reset-password", token=self.token("sysadmin"))
        body = self.assertStatus(r, 200)
        self.assertEqual(set(body), {"temporary_password"})
        self.assertError(self.client.get(API + "/me", token=token), 401, "unauthenticated")
        self.assertError(self.client.login_response(u["username"], u["password"]), 401, "unauthenticated")
        login = self.assertStatus(self.client.login_response(u["username"], body["temporary_password"]), 200)
        self.assertIs(login["must_change_password"], True)
        self.assertError(self.client.get(API + "/organizations", token=login["token"]), 412, "failed_precondition")


class SessionTimeoutTests(ServerTestCase):
    # Activity is recorded at most every idle/4 = 0.5 s.
    server_args = ("--session-idle-seconds", "2", "--session-max-seconds", "4")

    def test_cookie_lifetime_is_the_absolute_timeout(self):
        r = self.client.login_response("office")
        _, _, attrs = cookie_attributes(r.headers.get("Set-Cookie"))
        self.assertEqual(attrs.get("max-age"), "4")
        expires = parse_time(r.body["expires_at"])
        self.assertAlmostEqual((expires - utc_now()).total_seconds(), 4, delta=2)

    def test_idle_session_expires(self):
        token = self.client.login("office")
        self.assertStatus(self.client.get(API + "/me", token=token), 200)
        time.sleep(2.5)
        err = self.assertError(self.client.get(API + "/me", token=token), 401, "unauthenticated")
        self.assertIn("未操作", err["message"])
        self.assertError(self.client.get(API + "/me", token=token), 401, "unauthenticated")

    def test_active_session_ends_at_the_absolute_timeout(self):
        token = self.client.login("officer")
        start = time.monotonic()  # the session was created just before this
        for second in (1, 2, 3):
            time.sleep(max(0.0, start + second - time.monotonic()))
            r = self.client.get(API + "/me", token=token)
            self.assertEqual(r.status, 200, f"after {time.monotonic() - start:.2f} s: {r.body}")
        time.sleep(max(0.0, start + 4.2 - time.monotonic()))
        err = self.assertError(self.client.get(API + "/me", token=token), 401, "unauthenticated")
        self.assertIn("最长", err["message"])
        # A new login works.
        self.assertStatus(self.client.get(API + "/me", token=self.client.login("officer")), 200)


if __name__ == "__main__":
    unittest.main()
