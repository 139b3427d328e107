"""Work plans (issue 4 §2): `redshield plan import` on the seed, and the plan
routes over HTTP (the tree, one organisation's tasks, due-date edits).

The demo database already holds the 2017 regional plan (`init --demo`), so the
CLI import here stores the same file as 包头市's plan (region 150200): one plan
per year and region."""

import os
import re
import tempfile

from harness import API, SEED_PLAN, ServerTestCase, query


REGION = "150200"


def tasks_of(tree):
    for section in tree["sections"]:
        for item in section["items"]:
            yield from item["tasks"]


class PlanImportTests(ServerTestCase):

    @classmethod
    def prepare(cls):
        cls.imported = cls.server.cli("plan", "import", SEED_PLAN, "--year", "2017", "--region", REGION,
                                      "--db", cls.server.db_url)

    def plan(self):
        r = self.client.get(API + "/plans", token=self.token("officer"))
        self.assertEqual(r.status, 200, r.body)
        mine = [p for p in r.body["items"] if p["region_code"] == REGION]
        self.assertEqual(len(mine), 1, r.body)
        return mine[0]

    def test_import_prints_progress_and_summary(self):
        done = self.imported
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(f"正在导入 2017 年工作要点（{REGION}）", done.stdout)
        m = re.search(r"已导入：工作要点 id (\d+)，8 个部分、25 项、41 条任务、(\d+) 条分工；未识别 0 个；期限 2017-12-31",
                      done.stdout)
        self.assertIsNotNone(m, done.stdout)
        plan = self.plan()
        self.assertEqual(plan["id"], m.group(1))
        self.assertEqual(plan["counts"], {"sections": 8, "items": 25, "tasks": 41,
                                          "assignments": int(m.group(2))})

    def test_second_import_of_the_same_year_conflicts(self):
        before = self.plan()
        done = self.server.cli("plan", "import", SEED_PLAN, "--year", "2017", "--region", REGION,
                               "--db", self.server.db_url)
        self.assertEqual(done.returncode, 4, done.stdout + done.stderr)
        self.assertIn("已导入", done.stderr)
        self.assertEqual(self.plan(), before)

    def test_unresolved_units_refuse_the_import(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "plan.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write("2019年全区打击侵权假冒工作要点\n一、总体要求\n（一）加强监管。开展专项整治。（自治区火星局牵头负责）\n")
            done = self.server.cli("plan", "import", path, "--year", "2019", "--db", self.server.db_url)
        self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
        self.assertIn("未识别", done.stderr)
        self.assertIn("火星局", done.stderr)
        r = self.client.get(API + "/plans", token=self.token("officer"))
        self.assertEqual([p["year"] for p in r.body["items"]], [2017, 2017])

    def test_tree_has_sections_items_tasks_and_assignments(self):
        plan = self.plan()
        r = self.client.get(f"{API}/plans/{plan['id']}", token=self.token("officer"))
        self.assertEqual(r.status, 200, r.body)
        tree = r.body
        self.assertEqual(tree["year"], 2017)
        self.assertEqual(len(tree["sections"]), 8)
        self.assertEqual(sum(len(s["items"]) for s in tree["sections"]), 25)
        tasks = list(tasks_of(tree))
        self.assertEqual(len(tasks), 41)
        pairs = set()
        roles = set()
        for task in tasks:
            self.assertTrue(task["assignments"], task["text"])
            for a in task["assignments"]:
                self.assertTrue(a["org"]["id"] and a["org"]["name"])
                self.assertRegex(a["due_date"], r"^2017-\d\d-\d\d$")  # one may have been edited
                self.assertEqual(a["status"], "未开始")
                pairs.add((task["id"], a["org"]["id"]))
                roles.add(a["role"])
        self.assertEqual(len(pairs), tree["counts"]["assignments"])
        self.assertEqual(roles, {"lead", "responsible"})
        self.assertEqual(self.client.get(f"{API}/plans/123", token=self.token("officer")).status, 404)
        self.assertEqual(self.client.get(f"{API}/plans/{plan['id']}").status, 401)

    def test_tasks_of_one_organisation(self):
        plan = self.plan()
        gsj = self.org("NMG-GSJ")
        r = self.client.get(query(f"{API}/plans/{plan['id']}/assignments", org_id=gsj["id"]),
                            token=self.token("officer"))
        self.assertEqual(r.status, 200, r.body)
        self.assertTrue(r.body["items"])
        for a in r.body["items"]:
            self.assertEqual(a["org"]["id"], gsj["id"])
            self.assertTrue(a["task"]["text"])
        r = self.client.get(query(f"{API}/plans/{plan['id']}/assignments", org_id="x"),
                            token=self.token("officer"))
        self.assertEqual(r.status, 400)

    def test_office_edits_a_due_date(self):
        plan = self.plan()
        gsj = self.org("NMG-GSJ")
        items = self.client.get(query(f"{API}/plans/{plan['id']}/assignments", org_id=gsj["id"]),
                                token=self.token("office")).body["items"]
        target = items[0]["id"]
        path = f"{API}/plan-assignments/{target}"
        r = self.client.request("PUT", path, body={"due_date": "2017-09-30"}, token=self.token("officer"))
        self.assertEqual(r.status, 403, r.body)
        r = self.client.request("PUT", path, body={"due_date": "2017-09-31"}, token=self.token("office"))
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(r.body["error"]["field"], "due_date")
        r = self.client.request("PUT", path, body={"due_date": "2017-09-30"}, token=self.token("office"))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.body["due_date"], "2017-09-30")
        audit = self.client.get(query(API + "/audit", action="plan.assignment.update"),
                                token=self.token("auditadmin"))
        self.assertEqual(audit.status, 200, audit.body)
        self.assertTrue(any(rec["object_id"] == target for rec in audit.body["items"]), audit.body)
