"""Administration: permissions of each role, organisations, users, regional scope, 三权分立."""

import sqlite3
import unittest

from harness import API, DEMO_PASSWORD, DEMO_USERS, ServerTestCase, query, unique_name

ROLE_PERMISSIONS = {
    "sysadmin": ["org.write", "screening.rules", "user.read", "user.write"],
    "secadmin": ["role.grant", "user.read"],
    "auditadmin": ["audit.read", "stats.read"],
    "office": ["case.read", "clue.read", "clue.review", "plan.report", "plan.write", "screening.run",
               "stats.read", "trace.capture", "trace.read", "trace.recall", "trace.review", "trace.rules"],
    "officer": ["case.write", "clue.read", "clue.review", "plan.report", "trace.read", "trace.recall", "trace.review"],
    "reviewer": ["case.review", "clue.read", "clue.review", "plan.report"],
    "police": ["case.police", "plan.report"],
    "procurator": ["case.procurate", "plan.report"],
    "court": ["case.court", "plan.report"],
    "enterprise": ["trace.capture", "trace.issue", "trace.read", "trace.recall"],
}


def org_body(code, region_code, org_type="agency", **extra):
    body = {"code": code, "name": f"测试机构 {code}", "short_name": "测试", "aliases": [],
            "type": org_type, "region_code": region_code}
    body.update(extra)
    return body


class PermissionTests(ServerTestCase):

    def test_demo_accounts_have_their_role_permissions(self):
        for username in DEMO_USERS:
            with self.subTest(user=username):
                me = self.assertStatus(self.client.get(API + "/me", token=self.token(username)), 200)
                self.assertEqual(me["roles"], [username])
                self.assertEqual(sorted(me["permissions"]), ROLE_PERMISSIONS[username])

    def test_office_cannot_create_organizations(self):
        r = self.client.request("POST", API + "/organizations", token=self.token("office"),
                                body=org_body(unique_name("OFF-").upper(), "150100"))
        self.assertError(r, 403, "permission_denied")

    def test_officer_cannot_list_users(self):
        self.assertError(self.client.get(API + "/users", token=self.token("officer")), 403, "permission_denied")
        officer = self.token("officer")
        me = self.client.get(API + "/me", token=officer).body
        self.assertError(self.client.get(f"{API}/users/{me['id']}", token=officer), 403, "permission_denied")

    def test_sysadmin_cannot_read_the_audit_log(self):
        token = self.token("sysadmin")
        for path in ("/audit", "/audit/verify", "/audit/export"):
            with self.subTest(path=path):
                self.assertError(self.client.get(API + path, token=token), 403, "permission_denied")

    def test_sysadmin_cannot_grant_roles(self):
        u = self.create_user(password=None)
        r = self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=self.token("sysadmin"),
                                body={"roles": ["officer"]})
        self.assertError(r, 403, "permission_denied")
        self.assertEqual(self.client.get(f"{API}/users/{u['id']}", token=self.token("sysadmin")).body["roles"], [])

    def test_auditadmin_reads_audit_but_cannot_administer(self):
        token = self.token("auditadmin")
        self.assertPage(self.assertStatus(self.client.get(API + "/audit", token=token), 200))
        r = self.client.request("POST", API + "/users", token=token,
                                body={"username": unique_name("aud"), "display_name": "x",
                                      "org_id": self.org("NMG-GSJ")["id"]})
        self.assertError(r, 403, "permission_denied")
        self.assertError(self.client.get(API + "/users", token=token), 403, "permission_denied")
        gsj = self.org("NMG-GSJ")
        r = self.client.request("PUT", f"{API}/organizations/{gsj['id']}", token=token,
                                body=org_body(gsj["code"], gsj["region_code"]))
        self.assertError(r, 403, "permission_denied")
        me = self.client.get(API + "/me", token=self.token("officer")).body
        self.assertError(self.client.request("PUT", f"{API}/users/{me['id']}/roles", token=token,
                                             body={"roles": ["office"]}), 403, "permission_denied")

    def test_secadmin_grants_and_revokes_roles(self):
        u = self.create_user(password=None)
        token = self.token("secadmin")
        r = self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=token,
                                body={"roles": ["officer", "reviewer", "officer"]})
        user = self.assertStatus(r, 200)
        self.assertEqual(sorted(user["roles"]), ["officer", "reviewer"])
        self.assertEqual(sorted(self.client.get(f"{API}/users/{u['id']}", token=token).body["roles"]),
                         ["officer", "reviewer"])
        user = self.assertStatus(self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=token,
                                                     body={"roles": ["office"]}), 200)
        self.assertEqual(user["roles"], ["office"])
        self.assertEqual(user["permissions"], ["stats.read", "plan.write", "plan.report", "screening.run",
                                               "clue.read", "clue.review", "trace.capture", "trace.read",
                                               "trace.recall", "trace.review", "trace.rules", "case.read"])
        user = self.assertStatus(self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=token,
                                                     body={"roles": []}), 200)
        self.assertEqual(user["roles"], [])

    def test_secadmin_cannot_administer_accounts(self):
        token = self.token("secadmin")
        self.assertPage(self.assertStatus(self.client.get(API + "/users", token=token), 200))  # user.read
        r = self.client.request("POST", API + "/users", token=token,
                                body={"username": unique_name("sec"), "display_name": "x",
                                      "org_id": self.org("NMG-GSJ")["id"]})
        self.assertError(r, 403, "permission_denied")
        me = self.client.get(API + "/me", token=self.token("officer")).body
        self.assertError(self.client.request("POST", f"{API}/users/{me['id']}/unlock", token=token),
                         403, "permission_denied")
        self.assertError(self.client.request("POST", f"{API}/users/{me['id']}/reset-password", token=token),
                         403, "permission_denied")

    def test_roles_are_validated(self):
        u = self.create_user(password=None)
        token = self.token("secadmin")
        self.assertError(self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=token,
                                             body={"roles": ["superuser"]}), 400, "invalid_argument", field="roles")
        self.assertError(self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=token,
                                             body={"roles": "officer"}), 400, "invalid_argument", field="roles")
        self.assertError(self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=token, body={}),
                         400, "invalid_argument", field="roles")

    def test_secadmin_cannot_change_own_roles(self):
        token = self.token("secadmin")
        me = self.client.get(API + "/me", token=token).body
        self.assertError(self.client.request("PUT", f"{API}/users/{me['id']}/roles", token=token,
                                             body={"roles": ["secadmin", "office"]}), 403, "permission_denied")

    def test_directory_is_readable_by_every_user(self):
        token = self.token("officer")
        regions = self.assertStatus(self.client.get(API + "/regions", token=token), 200)["items"]
        by_code = {r["code"]: r for r in regions}
        self.assertEqual(by_code["150000"]["level"], "province")
        self.assertIsNone(by_code["150000"]["parent_code"])
        self.assertEqual(by_code["150100"], {"code": "150100", "name": "呼和浩特市", "level": "prefecture",
                                             "parent_code": "150000"})
        self.assertEqual(by_code["150102"]["level"], "county")
        roles = self.assertStatus(self.client.get(API + "/roles", token=token), 200)["items"]
        self.assertEqual({r["id"] for r in roles},
                         {"sysadmin", "secadmin", "auditadmin", "office", "officer", "reviewer", "police",
                          "procurator", "court", "rightsholder", "platform"})
        self.assertEqual({r["id"] for r in roles if r["admin"]}, {"sysadmin", "secadmin", "auditadmin"})
        for r in roles:
            self.assertTrue({"id", "name_zh", "name_en", "admin", "description"} <= set(r), r)
        orgs = self.assertPage(self.assertStatus(self.client.get(API + "/organizations", token=token), 200))
        self.assertTrue(orgs)

    def test_overview_shows_audit_activity_only_to_audit_and_office(self):
        for username, has_days in (("office", True), ("auditadmin", True), ("officer", False), ("sysadmin", False)):
            with self.subTest(user=username):
                body = self.assertStatus(self.client.get(API + "/stats/overview", token=self.token(username)), 200)
                self.assertEqual(set(body), {"organizations", "users", "by_region", "audit_per_day"})
                self.assertGreaterEqual(body["organizations"], 186)
                self.assertGreaterEqual(body["users"], 8)
                self.assertTrue(any(r["region_code"] == "150100" for r in body["by_region"]))
                if has_days:
                    self.assertTrue(body["audit_per_day"])
                    self.assertRegex(body["audit_per_day"][0]["date"], r"^\d{4}-\d{2}-\d{2}$")
                else:
                    self.assertEqual(body["audit_per_day"], [])


class OrganizationTests(ServerTestCase):

    def test_create_read_update_organization(self):
        token = self.token("sysadmin")
        code = unique_name("T-").upper()
        parent = self.org("HHHT-ZF")
        r = self.client.request("POST", API + "/organizations", token=token,
                                body=org_body(code, "150100", "agency", aliases=["测试别名", " 测试别名 ", ""],
                                              parent_id=parent["id"]))
        org = self.assertStatus(r, 201)
        self.assertEqual(set(org), {"id", "code", "name", "short_name", "aliases", "type", "region_code",
                                    "region_name", "parent_id"})
        self.assertRegex(org["id"], r"^\d+$")
        self.assertEqual(org["code"], code)
        self.assertEqual(org["aliases"], ["测试别名"])
        self.assertEqual(org["region_code"], "150100")
        self.assertEqual(org["region_name"], "呼和浩特市")
        self.assertEqual(org["parent_id"], parent["id"])
        self.assertEqual(self.assertStatus(self.client.get(f"{API}/organizations/{org['id']}", token=token), 200), org)

        r = self.client.request("PUT", f"{API}/organizations/{org['id']}", token=token,
                                body=org_body(code, "150102", "police", name="新名称"))
        updated = self.assertStatus(r, 200)
        self.assertEqual((updated["name"], updated["type"], updated["region_code"], updated["parent_id"]),
                         ("新名称", "police", "150102", None))
        found = self.assertPage(self.assertStatus(self.client.get(query(API + "/organizations", q=code),
                                                                  token=token), 200))
        self.assertEqual([o["id"] for o in found], [org["id"]])

    def test_delete_only_an_unused_organization(self):
        token = self.token("sysadmin")
        org = self.assertStatus(self.client.request("POST", API + "/organizations", token=token,
                                                    body=org_body(unique_name("D-").upper(), "150100")), 201)
        r = self.client.request("DELETE", f"{API}/organizations/{org['id']}", token=token)
        self.assertEqual(r.status, 204, r.body)
        self.assertError(self.client.get(f"{API}/organizations/{org['id']}", token=token), 404, "not_found")
        used = self.org("NMG-GSJ")  # has the demo officer
        r = self.client.request("DELETE", f"{API}/organizations/{used['id']}", token=token)
        self.assertError(r, 409, "conflict", field="id")
        r = self.client.request("DELETE", f"{API}/organizations/{used['id']}", token=self.token("officer"))
        self.assertError(r, 403, "permission_denied")

    def test_duplicate_code_is_a_conflict(self):
        r = self.client.request("POST", API + "/organizations", token=self.token("sysadmin"),
                                body=org_body("NMG-GSJ", "150000"))
        self.assertError(r, 409, "conflict", field="code")

    def test_organization_input_is_validated(self):
        token = self.token("sysadmin")
        cases = [
            (org_body("含中文", "150100"), "code"),
            (org_body("", "150100"), "code"),
            (org_body(unique_name("V-"), "150100", name="  "), "name"),
            (org_body(unique_name("V-"), "150100", "bank"), "type"),
            (org_body(unique_name("V-"), "159999"), "region_code"),
            (org_body(unique_name("V-"), "150100", parent_id="abc"), "parent_id"),
            # An unknown parent is bad input, like an unknown org_id of a user.
            (org_body(unique_name("V-"), "150100", parent_id="123456789"), "parent_id"),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=body):
                r = self.client.request("POST", API + "/organizations", token=token, body=body)
                self.assertError(r, 400, "invalid_argument", field=field)

    def test_unknown_and_malformed_ids(self):
        token = self.token("sysadmin")
        self.assertError(self.client.get(API + "/organizations/123456789", token=token), 404, "not_found")
        self.assertError(self.client.get(API + "/organizations/abc", token=token), 400, "invalid_argument", field="id")
        self.assertError(self.client.get(API + "/organizations/-5", token=token), 400, "invalid_argument", field="id")

    def test_list_paging_and_filters(self):
        token = self.token("officer")
        body = self.assertStatus(self.client.get(query(API + "/organizations", page_size=5, page=2), token=token), 200)
        items = self.assertPage(body, page=2, page_size=5)
        self.assertEqual(len(items), 5)
        self.assertGreaterEqual(body["total"], 186)
        everything = self.client.get(query(API + "/organizations", page_size=200), token=token).body
        self.assertEqual(len(everything["items"]), min(200, everything["total"]))
        self.assertEqual([o["id"] for o in everything["items"][5:10]], [o["id"] for o in items])
        for params, field in (({"page_size": 201}, "page_size"), ({"page_size": 0}, "page_size"),
                              ({"page": 0}, "page"), ({"page": "x"}, "page")):
            with self.subTest(params=params):
                self.assertError(self.client.get(query(API + "/organizations", **params), token=token),
                                 400, "invalid_argument", field=field)
        hhht = self.assertPage(self.client.get(query(API + "/organizations", region_code="150100", page_size=200),
                                               token=token).body)
        self.assertTrue(hhht)
        self.assertTrue(all(o["region_code"].startswith("1501") for o in hhht), hhht)
        police = self.assertPage(self.client.get(query(API + "/organizations", type="police", page_size=200),
                                                 token=token).body)
        self.assertTrue(police)
        self.assertTrue(all(o["type"] == "police" for o in police))
        alias = self.assertPage(self.client.get(query(API + "/organizations", q="呼市公安局"), token=token).body)
        self.assertIn("HHHT-GAJ", [o["code"] for o in alias])


class UserAdminTests(ServerTestCase):

    def test_create_user_validation(self):
        token = self.token("sysadmin")
        gsj = self.org("NMG-GSJ")["id"]
        cases = [
            ({"username": "Ab", "display_name": "x", "org_id": gsj}, "username"),
            ({"username": "9abc", "display_name": "x", "org_id": gsj}, "username"),
            ({"username": "has space", "display_name": "x", "org_id": gsj}, "username"),
            ({"username": unique_name("v"), "display_name": "  ", "org_id": gsj}, "display_name"),
            ({"username": unique_name("v"), "display_name": "x"}, "org_id"),
            ({"username": unique_name("v"), "display_name": "x", "org_id": "123456789"}, "org_id"),
            ({"username": unique_name("v"), "display_name": "x", "org_id": "abc"}, "org_id"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                self.assertError(self.client.request("POST", API + "/users", token=token, body=body),
                                 400, "invalid_argument", field=field)

    def test_duplicate_username_is_a_conflict(self):
        r = self.client.request("POST", API + "/users", token=self.token("sysadmin"),
                                body={"username": "officer", "display_name": "重复", "org_id": self.org("NMG-GSJ")["id"]})
        self.assertError(r, 409, "conflict", field="username")

    def test_update_user_and_disable_ends_sessions(self):
        token = self.token("sysadmin")
        u = self.create_user()
        session = self.client.login(u["username"], u["password"])
        new_org = self.org("NMG-GAT")["id"]
        r = self.client.request("PUT", f"{API}/users/{u['id']}", token=token,
                                body={"display_name": "改名", "org_id": new_org, "phone": "13900001111",
                                      "status": "active"})
        user = self.assertStatus(r, 200)
        self.assertEqual((user["display_name"], user["org"]["id"], user["phone_masked"], user["status"]),
                         ("改名", new_org, "139****1111", "active"))
        r = self.client.request("PUT", f"{API}/users/{u['id']}", token=token,
                                body={"display_name": "改名", "org_id": new_org, "status": "disabled"})
        self.assertEqual(self.assertStatus(r, 200)["status"], "disabled")
        self.assertError(self.client.get(API + "/me", token=session), 401, "unauthenticated")
        self.assertError(self.client.login_response(u["username"], u["password"]), 403, "permission_denied")
        self.assertError(self.client.request("PUT", f"{API}/users/{u['id']}", token=token,
                                             body={"display_name": "改名", "org_id": new_org, "status": "gone"}),
                         400, "invalid_argument", field="status")
        self.assertStatus(self.client.request("PUT", f"{API}/users/{u['id']}", token=token,
                                              body={"display_name": "改名", "org_id": new_org, "status": "active"}), 200)
        self.client.login(u["username"], u["password"])

    def test_cannot_disable_oneself(self):
        token = self.token("sysadmin")
        me = self.client.get(API + "/me", token=token).body
        r = self.client.request("PUT", f"{API}/users/{me['id']}", token=token,
                                body={"display_name": me["display_name"], "org_id": me["org"]["id"],
                                      "status": "disabled"})
        self.assertError(r, 400, "invalid_argument", field="status")

    def test_user_list_filters(self):
        token = self.token("secadmin")
        officers = self.assertPage(self.client.get(query(API + "/users", role="officer"), token=token).body)
        self.assertIn("officer", [u["username"] for u in officers])
        self.assertTrue(all("officer" in u["roles"] for u in officers))
        gat = self.org("NMG-GAT")["id"]
        in_org = self.assertPage(self.client.get(query(API + "/users", org_id=gat), token=token).body)
        self.assertTrue(in_org)
        self.assertTrue(all(u["org"]["id"] == gat for u in in_org))
        by_name = self.assertPage(self.client.get(query(API + "/users", q="auditadm"), token=token).body)
        self.assertEqual([u["username"] for u in by_name], ["auditadmin"])
        self.assertError(self.client.get(query(API + "/users", org_id="x"), token=token),
                         400, "invalid_argument", field="org_id")

    def test_unknown_user_is_404(self):
        token = self.token("sysadmin")
        self.assertError(self.client.get(API + "/users/123456789", token=token), 404, "not_found")
        self.assertError(self.client.request("POST", API + "/users/123456789/unlock", token=token), 404, "not_found")


class CrossOrganizationTests(ServerTestCase):
    """A sysadmin of a 盟市 organisation (呼和浩特市, 150100) manages only 1501xx."""

    @classmethod
    def prepare(cls):
        # The regional sysadmin creates the city organisation and its administrator;
        # the security administrator grants the role.
        cls.city_org = cls.create_org("150100", "office", code=unique_name("HHHT-T").upper(),
                                      parent_code="HHHT-ZF")
        cls.city_admin = cls.create_user(org_id=cls.city_org["id"], roles=["sysadmin"])
        cls.city_token = cls.client.login(cls.city_admin["username"], cls.city_admin["password"])
        cls.regional_user = cls.user_by_name("officer")  # NMG-GSJ, region 150000

    def test_city_admin_holds_sysadmin_in_150100(self):
        me = self.assertStatus(self.client.get(API + "/me", token=self.city_token), 200)
        self.assertEqual(me["roles"], ["sysadmin"])
        self.assertEqual(me["org"]["id"], self.city_org["id"])
        self.assertEqual(me["org"]["region_code"], "150100")
        self.assertEqual(self.city_org["region_name"], "呼和浩特市")

    def test_lists_only_users_of_its_prefecture(self):
        self.create_user(org_code="HHHT-GSJ", password=None)
        body = self.assertStatus(self.client.get(query(API + "/users", page_size=200), token=self.city_token), 200)
        items = self.assertPage(body)
        self.assertTrue(items)
        self.assertTrue(all(u["org"]["region_code"].startswith("1501") for u in items),
                        [(u["username"], u["org"]["region_code"]) for u in items])
        self.assertNotIn("officer", [u["username"] for u in items])

    def test_manages_users_of_its_prefecture(self):
        r = self.client.request("POST", API + "/users", token=self.city_token,
                                body={"username": unique_name("hh"), "display_name": "市局用户",
                                      "org_id": self.org("HHHT-GSJ")["id"]})
        created = self.assertStatus(r, 201)["user"]
        uid = created["id"]
        self.assertStatus(self.client.get(f"{API}/users/{uid}", token=self.city_token), 200)
        r = self.client.request("PUT", f"{API}/users/{uid}", token=self.city_token,
                                body={"display_name": "市局用户2", "org_id": self.org("HHHT-GAJ")["id"],
                                      "status": "active"})
        self.assertEqual(self.assertStatus(r, 200)["display_name"], "市局用户2")
        self.assertStatus(self.client.request("POST", f"{API}/users/{uid}/unlock", token=self.city_token), 200)
        self.assertStatus(self.client.request("POST", f"{API}/users/{uid}/reset-password", token=self.city_token), 200)
        # A county (旗县区) organisation of the prefecture is in scope too.
        county_org = self.create_org("150102", token=self.city_token)
        self.assertEqual(county_org["region_code"], "150102")
        r = self.client.request("POST", API + "/users", token=self.city_token,
                                body={"username": unique_name("hc"), "display_name": "区用户",
                                      "org_id": county_org["id"]})
        self.assertStatus(r, 201)

    def test_denied_for_a_user_of_a_regional_organisation(self):
        uid = self.regional_user["id"]
        t = self.city_token
        same_org = {"display_name": "x", "org_id": self.regional_user["org"]["id"], "status": "active"}
        for method, path, body in (("GET", f"/users/{uid}", None),
                                   ("PUT", f"/users/{uid}", same_org),
                                   ("POST", f"/users/{uid}/unlock", None),
                                   ("POST", f"/users/{uid}/reset-password", None)):
            with self.subTest(method=method, path=path):
                self.assertError(self.client.request(method, API + path, token=t, body=body), 403, "permission_denied")
        # Nothing happened to the user.
        self.client.login("officer", DEMO_PASSWORD)
        self.assertEqual(self.user_by_name("officer")["display_name"], self.regional_user["display_name"])

    def test_cannot_create_users_outside_its_prefecture(self):
        for code in ("NMG-GSJ", "BT-GSJ"):
            with self.subTest(org=code):
                r = self.client.request("POST", API + "/users", token=self.city_token,
                                        body={"username": unique_name("out"), "display_name": "x",
                                              "org_id": self.org(code)["id"]})
                self.assertError(r, 403, "permission_denied")

    def test_cannot_move_a_user_out_of_its_prefecture(self):
        u = self.create_user(org_code="HHHT-GSJ", password=None)
        r = self.client.request("PUT", f"{API}/users/{u['id']}", token=self.city_token,
                                body={"display_name": "x", "org_id": self.org("BT-GSJ")["id"], "status": "active"})
        self.assertError(r, 403, "permission_denied")

    def test_cannot_create_organizations_outside_its_prefecture(self):
        for region in ("150200", "150000", "150203"):
            with self.subTest(region=region):
                code = unique_name("BT-T").upper()
                r = self.client.request("POST", API + "/organizations", token=self.city_token,
                                        body=org_body(code, region))
                self.assertError(r, 403, "permission_denied")
                found = self.client.get(query(API + "/organizations", q=code), token=self.city_token).body
                self.assertEqual(found["total"], 0)

    def test_cannot_update_organizations_outside_its_prefecture(self):
        gsj = self.org("NMG-GSJ")
        r = self.client.request("PUT", f"{API}/organizations/{gsj['id']}", token=self.city_token,
                                body=org_body(gsj["code"], gsj["region_code"], name="被改名"))
        self.assertError(r, 403, "permission_denied")
        own = self.create_org("150100", token=self.city_token)
        r = self.client.request("PUT", f"{API}/organizations/{own['id']}", token=self.city_token,
                                body=org_body(own["code"], "150200"))
        self.assertError(r, 403, "permission_denied")


class SeparationOfDutiesTests(ServerTestCase):
    """三权分立: sysadmin, secadmin and auditadmin are mutually exclusive."""

    def test_api_refuses_two_admin_roles(self):
        u = self.create_user(password=None, roles=["office"])
        token = self.token("secadmin")
        for roles in (["sysadmin", "auditadmin"], ["secadmin", "sysadmin", "officer"],
                      ["auditadmin", "secadmin"]):
            with self.subTest(roles=roles):
                r = self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=token, body={"roles": roles})
                self.assertError(r, 409, "conflict", field="roles", message_contains=["三权分立"])
        self.assertEqual(self.client.get(f"{API}/users/{u['id']}", token=token).body["roles"], ["office"])

    def test_one_admin_role_with_business_roles_is_allowed(self):
        u = self.create_user(password=None)
        r = self.client.request("PUT", f"{API}/users/{u['id']}/roles", token=self.token("secadmin"),
                                body={"roles": ["auditadmin", "office"]})
        self.assertEqual(sorted(self.assertStatus(r, 200)["roles"]), ["auditadmin", "office"])

    def test_cannot_add_a_second_admin_role_to_an_admin(self):
        sysadmin = self.user_by_name("sysadmin")
        r = self.client.request("PUT", f"{API}/users/{sysadmin['id']}/roles", token=self.token("secadmin"),
                                body={"roles": ["sysadmin", "secadmin"]})
        self.assertError(r, 409, "conflict", message_contains=["三权分立"])
        self.assertEqual(self.user_by_name("sysadmin")["roles"], ["sysadmin"])

    def try_insert_role(self, user_id, role, admin_group):
        """Inserts a user_roles row directly, always rolled back; returns the
        sqlite3 error raised, or None if the database accepted the row."""
        db = sqlite3.connect(self.server.db_path, timeout=30, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("INSERT INTO user_roles(user_id, role, admin_group, granted_at) VALUES (?, ?, ?, 'x')",
                           (int(user_id), role, admin_group))
                return None
            except sqlite3.DatabaseError as e:
                return e
            finally:
                db.execute("ROLLBACK")
        finally:
            db.close()

    def test_database_refuses_a_second_admin_role(self):
        sysadmin = self.user_by_name("sysadmin")
        error = self.try_insert_role(sysadmin["id"], "auditadmin", "admin")
        self.assertIsInstance(error, sqlite3.IntegrityError)
        self.assertIn("admin_group", str(error))
        self.assertEqual(self.user_by_name("sysadmin")["roles"], ["sysadmin"])

    def test_database_refuses_an_admin_role_outside_the_admin_group(self):
        # Otherwise a second admin role could be stored with admin_group NULL,
        # escaping the UNIQUE (user_id, admin_group) constraint.
        sysadmin = self.user_by_name("sysadmin")
        for role in ("secadmin", "auditadmin"):
            with self.subTest(role=role):
                self.assertIsInstance(self.try_insert_role(sysadmin["id"], role, None), sqlite3.IntegrityError)
        # And a business role cannot claim the admin group.
        self.assertIsInstance(self.try_insert_role(sysadmin["id"], "office", "admin"), sqlite3.IntegrityError)

if __name__ == "__main__":
    unittest.main()
