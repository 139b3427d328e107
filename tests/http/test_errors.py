"""The error contract: {"error":{"code","message","request_id"[,"field"]}} for every status."""

import json
import time
import unittest

from harness import API, ServerTestCase, unique_name


class ErrorShapeTests(ServerTestCase):

    def test_malformed_json_names_line_and_column(self):
        body = b'{\n  "username": "sysadmin",\n  "password": }'
        err = self.assertError(self.client.request("POST", API + "/auth/login", raw_body=body),
                               400, "invalid_argument", field="body")
        self.assertRegex(err["message"], r"第\s*3\s*行")
        self.assertRegex(err["message"], r"第\s*15\s*列")

    def test_malformed_json_columns_count_characters_not_bytes(self):
        body = '{"username": "管理员" x}'.encode("utf-8")
        err = self.assertError(self.client.request("POST", API + "/auth/login", raw_body=body),
                               400, "invalid_argument", field="body")
        self.assertRegex(err["message"], r"第\s*1\s*行")
        self.assertRegex(err["message"], r"第\s*20\s*列")

    def test_truncated_json(self):
        err = self.assertError(self.client.request("POST", API + "/auth/login", raw_body=b'{"username":'),
                               400, "invalid_argument", field="body")
        self.assertIn("行", err["message"])

    def test_body_must_be_an_object(self):
        for raw in (b"[1, 2]", b'"text"', b"42", b"null"):
            with self.subTest(body=raw):
                self.assertError(self.client.request("POST", API + "/auth/login", raw_body=raw),
                                 400, "invalid_argument", field="body")

    def test_wrong_field_type(self):
        r = self.client.request("POST", API + "/auth/login", body={"username": ["a"], "password": "x"})
        self.assertError(r, 400, "invalid_argument", field="username")

    def test_unknown_route_is_404(self):
        for method in ("GET", "POST", "DELETE"):
            with self.subTest(method=method):
                err = self.assertError(self.client.request(method, API + "/nope"), 404, "not_found")
                self.assertIn("/api/v1/nope", err["message"])
        self.assertError(self.client.get(API + "/nope", token=self.token("sysadmin")), 404, "not_found")
        self.assertError(self.client.get(API + "/users/1/nope", token=self.token("sysadmin")), 404, "not_found")
        self.assertError(self.client.get("/api"), 404, "not_found")

    def test_wrong_method_on_a_known_path_is_404_naming_the_method(self):
        token = self.token("sysadmin")
        for method, path in (("DELETE", "/me"), ("PATCH", "/users/1"), ("GET", "/auth/login"),
                             ("DELETE", "/users/1"), ("POST", "/audit")):
            with self.subTest(method=method, path=path):
                err = self.assertError(self.client.request(method, API + path, token=token), 404, "not_found")
                self.assertIn(method, err["message"])
                self.assertNotIn("接口不存在", err["message"])

    def test_missing_token_is_401(self):
        for method, path in (("GET", "/me"), ("GET", "/users"), ("GET", "/audit"), ("POST", "/auth/logout"),
                             ("POST", "/organizations"), ("GET", "/regions")):
            with self.subTest(path=path):
                self.assertError(self.client.request(method, API + path), 401, "unauthenticated")

    def test_garbage_token_is_401(self):
        for headers in ({"Authorization": "Bearer not-a-real-token"},
                        {"Authorization": "Bearer "},
                        {"Authorization": "Basic c3lzYWRtaW46eA=="},
                        {"Cookie": "rs_session=not-a-real-token"},
                        {"Cookie": "other=1"}):
            with self.subTest(headers=headers):
                self.assertError(self.client.get(API + "/me", headers=headers), 401, "unauthenticated")

    def test_permission_denied_is_403(self):
        self.assertError(self.client.get(API + "/users", token=self.token("officer")), 403, "permission_denied")
        self.assertError(self.client.get(API + "/audit", token=self.token("sysadmin")), 403, "permission_denied")

    def test_duplicate_username_is_409(self):
        r = self.client.request("POST", API + "/users", token=self.token("sysadmin"),
                                body={"username": "court", "display_name": "重复", "org_id": self.org("NMG-GSJ")["id"]})
        self.assertError(r, 409, "conflict", field="username")

    def test_duplicate_organization_code_is_409(self):
        code = unique_name("DUP-").upper()
        self.create_org("150100", code=code)
        r = self.client.request("POST", API + "/organizations", token=self.token("sysadmin"),
                                body={"code": code, "name": "另一个", "type": "agency", "region_code": "150200"})
        self.assertError(r, 409, "conflict", field="code")

    def test_separation_of_duties_is_409(self):
        u = self.create_user(password=None)
        r = self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=self.token("secadmin"),
                                body={"roles": ["sysadmin", "secadmin"]})
        self.assertError(r, 409, "conflict", field="roles", message_contains=["三权分立"])

    def test_must_change_password_is_412(self):
        u = self.create_user(password=None)
        token = self.client.login(u["username"], u["temporary_password"])
        self.assertError(self.client.get(API + "/organizations", token=token), 412, "failed_precondition",
                         field="must_change_password")

    def test_locked_account_is_423(self):
        u = self.create_user()
        for _ in range(4):
            self.assertError(self.client.login_response(u["username"], "Wrong-Pass-123"), 401, "unauthenticated")
        self.assertError(self.client.login_response(u["username"], "Wrong-Pass-123"), 423, "account_locked")
        self.assertError(self.client.login_response(u["username"], u["password"]), 423, "account_locked")

    def test_unknown_id_is_404_and_malformed_id_is_400(self):
        token = self.token("sysadmin")
        self.assertError(self.client.get(API + "/users/42", token=token), 404, "not_found")
        self.assertError(self.client.get(API + "/users/abc", token=token), 400, "invalid_argument", field="id")
        self.assertError(self.client.get(API + "/users/99999999999999999999999", token=token),
                         400, "invalid_argument", field="id")

    def test_request_ids_are_unique(self):
        ids = set()
        for _ in range(10):
            r = self.client.get(API + "/nope")
            ids.add(r.headers.get("X-Request-Id"))
            self.assertEqual(r.body["error"]["request_id"], r.headers.get("X-Request-Id"))
        self.assertEqual(len(ids), 10)
        self.assertNotIn(None, ids)


class BodyLimitTests(ServerTestCase):
    server_args = ("--body-limit", "1024")

    def login_with_body_of(self, size):
        body = {"username": "sysadmin", "password": ""}
        body["password"] = "x" * (size - len(json.dumps(body)))
        raw = json.dumps(body).encode()
        self.assertEqual(len(raw), size)
        return self.client.request("POST", API + "/auth/login", raw_body=raw)

    def test_body_under_the_limit_is_processed(self):
        self.assertError(self.login_with_body_of(1000), 401, "unauthenticated")
        self.assertEqual(self.assertStatus(self.client.login_response("sysadmin"), 200)["user"]["username"], "sysadmin")

    def test_body_over_the_limit_is_413(self):
        r = self.login_with_body_of(2048)
        self.assertEqual(r.status, 413, r.body)
        self.assertEqual(r.body["error"]["code"], "payload_too_large")
        self.assertTrue(r.body["error"]["message"])

    def test_413_follows_the_error_contract(self):
        # Like every error: a request id in the body, equal to X-Request-Id, and the security headers.
        r = self.login_with_body_of(2048)
        self.assertError(r, 413, "payload_too_large")
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")

    def test_server_still_serves_after_413(self):
        self.login_with_body_of(4096)
        self.assertEqual(self.client.get("/healthz").status, 200)


class RateLimitTests(ServerTestCase):
    server_args = ("--public-rate", "1", "--public-burst", "3")

    def test_public_routes_are_rate_limited_per_client(self):
        token = self.client.login("office")  # 1 of the burst of 3
        statuses, limited = [], None
        for _ in range(8):
            r = self.client.login_response("nobody", "Wrong-Password-1")
            statuses.append(r.status)
            if r.status == 429 and limited is None:
                limited = r
        self.assertEqual(statuses[:2], [401, 401], statuses)
        self.assertIn(429, statuses)
        self.assertTrue(set(statuses) <= {401, 429}, statuses)
        err = self.assertError(limited, 429, "rate_limited")
        retry_after = limited.headers.get("Retry-After")
        self.assertIsNotNone(retry_after, "429 needs Retry-After")
        self.assertRegex(retry_after, r"^\d+$")
        self.assertTrue(1 <= int(retry_after) <= 3, retry_after)
        self.assertIn(retry_after, err["message"])

        # Other routes are not limited by the public budget.
        self.assertEqual(self.client.get("/healthz").status, 200)
        self.assertEqual(self.assertStatus(self.client.get(API + "/me", token=token), 200)["username"], "office")

        # After Retry-After seconds the client may try again.
        time.sleep(int(retry_after) + 0.2)
        self.assertError(self.client.login_response("nobody", "Wrong-Password-1"), 401, "unauthenticated")


if __name__ == "__main__":
    unittest.main()
