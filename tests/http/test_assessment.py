"""Assessment (考核) and 一票否决 (issue 4 §5) over HTTP: the seed rubrics that
`init --demo` stores, scores with their errors and audit, ranked results with
ties, vetoes and the previous year, plan_completion computed from assignment
statuses, rubric edits, and the Excel export."""

import sqlite3

from harness import API, ServerTestCase, query

SEED_NAMES = ["长效机制建设", "部门协作配合", "侵权假冒行政处罚案件信息公开", "宣传教育",
              "两法衔接平台运行", "专项行动", "工作成效", "办公室运转"]


class AssessmentTests(ServerTestCase):

    def rubrics(self, **params):
        r = self.client.get(query(API + "/assessment-rubrics", **params), token=self.token("officer"))
        self.assertEqual(r.status, 200, r.body)
        return r.body["items"]

    def create_rubric(self, year, items=None, target="region", title=None):
        body = {"year": year, "target": target, "title": title or f"{year}年度测试考核",
                "items": items or [{"name": "甲", "max_points": 10, "guidance": "材料"},
                                   {"name": "乙", "max_points": 5, "guidance": "", "computed": None}]}
        r = self.client.request("POST", API + "/assessment-rubrics", body=body, token=self.token("office"))
        self.assertEqual(r.status, 201, r.body)
        return r.body

    def put_score(self, rubric, target_id, item_idx, points, token="office", **extra):
        body = {"target_id": target_id, "item_id": rubric["items"][item_idx]["id"], "points": points,
                "evidence": "自查报告", "comment": ""}
        body.update(extra)
        return self.client.request("PUT", f"{API}/assessment-rubrics/{rubric['id']}/scores", body=body,
                                   token=self.token(token))

    def results(self, rubric):
        r = self.client.get(f"{API}/assessment-rubrics/{rubric['id']}/results", token=self.token("officer"))
        self.assertEqual(r.status, 200, r.body)
        return r.body

    @staticmethod
    def row(results, target_id):
        found = [row for row in results["rows"] if row["target"]["id"] == target_id]
        assert len(found) == 1, results
        return found[0]

    def test_init_stores_the_2016_seed_and_the_2017_demo_copy(self):
        items = self.rubrics(target="region")
        by_year = {r["year"]: r for r in items}
        seed = by_year[2016]
        self.assertEqual(seed["max_total"], 76)
        self.assertEqual([i["name"] for i in seed["items"]], SEED_NAMES)
        self.assertEqual(sum(i["max_points"] for i in seed["items"]), 76)
        self.assertEqual(seed["source"], "http://nmgsq.com/2016/1221/98674.shtml")
        self.assertIn("估计", seed["note"])
        self.assertTrue(all(i["computed"] is None for i in seed["items"]))
        demo = by_year[2017]
        computed = {i["name"]: i["computed"] for i in demo["items"]}
        self.assertEqual(computed["工作成效"], "plan_completion")
        self.assertIsNone(computed["侵权假冒行政处罚案件信息公开"])
        self.assertIsNone(computed["两法衔接平台运行"])
        r = self.client.get(f"{API}/assessment-rubrics/{seed['id']}", token=self.token("court"))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.body["id"], seed["id"])
        self.assertEqual([r["year"] for r in self.rubrics(year=2016, target="region")], [2016])
        self.assertError(self.client.get(query(API + "/assessment-rubrics", target="city"),
                                         token=self.token("officer")), 400, "invalid_argument", field="target")
        self.assertError(self.client.get(query(API + "/assessment-rubrics", year="x"),
                                         token=self.token("officer")), 400, "invalid_argument", field="year")
        self.assertError(self.client.get(API + "/assessment-rubrics"), 401, "unauthenticated")
        self.assertError(self.client.get(f"{API}/assessment-rubrics/123", token=self.token("officer")),
                         404, "not_found")
        results = self.results(seed)
        self.assertEqual(len(results["rows"]), 12)  # the 12 盟市
        self.assertEqual({row["target"]["kind"] for row in results["rows"]}, {"region"})
        self.assertTrue(all(row["rank"] == 1 and row["total"] == 0 for row in results["rows"]))

    def test_scores_results_vetoes_and_previous_year(self):
        last = self.create_rubric(2041)
        r = self.put_score(last, "150100", 0, 8.5)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.body["target"], {"kind": "region", "id": "150100", "code": "150100", "name": "呼和浩特市"})
        self.assertEqual(r.body["total"], 8.5)
        self.assertEqual(r.body["scores"][0]["points"], 8.5)
        self.assertEqual(r.body["scores"][0]["evidence"], "自查报告")
        self.assertEqual(r.body["scores"][0]["scored_by"]["display_name"], "双打办 王科长（演示）")
        self.assertIsNone(r.body["scores"][1]["points"])
        # Overwrite, then check the audit trail says old -> new.
        self.assertEqual(self.put_score(last, "150100", 0, 7).status, 200)
        self.assertEqual(self.put_score(last, "150100", 0, 8.5).status, 200)
        audit = self.audit_items(action="assessment.score", object_id=last["id"])
        summaries = [a["summary"] for a in audit]
        self.assertEqual(len(summaries), 3, summaries)
        self.assertIn("未评分 → 8.5 分", summaries[2])
        self.assertIn("8.5 分 → 7 分", summaries[1])
        self.assertIn("7 分 → 8.5 分", summaries[0])

        r = self.client.request("POST", API + "/assessment-rubrics", token=self.token("office"),
                                body={"copy_from": last["id"], "year": 2042})
        self.assertEqual(r.status, 201, r.body)
        rubric = r.body
        self.assertEqual(rubric["title"], "2042年度测试考核")
        self.assertEqual([i["name"] for i in rubric["items"]], ["甲", "乙"])
        self.assertEqual(self.put_score(rubric, "150100", 0, 9).status, 200)
        self.assertEqual(self.put_score(rubric, "150200", 0, 4).status, 200)
        self.assertEqual(self.put_score(rubric, "150200", 1, 5).status, 200)
        results = self.results(rubric)
        self.assertEqual([row["target"]["id"] for row in results["rows"][:2]], ["150100", "150200"])
        hohhot, baotou = results["rows"][0], results["rows"][1]
        self.assertEqual((hohhot["rank"], baotou["rank"]), (1, 1))  # 9 = 4 + 5
        self.assertEqual(results["rows"][2]["rank"], 3)
        self.assertEqual(hohhot["previous_total"], 8.5)
        self.assertEqual(hohhot["change"], 0.5)
        self.assertIsNone(baotou["previous_total"])
        self.assertIsNone(baotou["change"])

        r = self.client.request("POST", API + "/vetoes", token=self.token("office"),
                                body={"year": 2042, "region_code": "150200", "reason": "发生重大侵权假冒案件"})
        self.assertEqual(r.status, 201, r.body)
        veto = r.body
        self.assertEqual(veto["status"], "in_force")
        self.assertEqual(veto["target"]["name"], "包头市")
        self.assertEqual(veto["created_by"]["display_name"], "双打办 王科长（演示）")
        self.assertError(self.client.request("POST", API + "/vetoes", token=self.token("office"),
                                             body={"year": 2042, "region_code": "150200", "reason": "again"}),
                         409, "conflict")
        results = self.results(rubric)
        last_row = results["rows"][-1]
        self.assertEqual(last_row["target"]["id"], "150200")
        self.assertIsNone(last_row["rank"])
        self.assertEqual(last_row["veto"]["id"], veto["id"])
        self.assertEqual(self.row(results, "150100")["rank"], 1)
        self.assertEqual(self.row(results, "150300")["rank"], 2)
        listed = self.client.get(query(API + "/vetoes", year=2042), token=self.token("officer")).body["items"]
        self.assertEqual([v["id"] for v in listed], [veto["id"]])

        path = f"{API}/vetoes/{veto['id']}/revoke"
        self.assertError(self.client.request("POST", path, token=self.token("office"), body={}),
                         400, "invalid_argument", field="reason")
        self.assertError(self.client.request("POST", path, token=self.token("officer"), body={"reason": "x"}),
                         403, "permission_denied")
        r = self.client.request("POST", path, token=self.token("office"), body={"reason": "经复核撤销"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.body["status"], "revoked")
        self.assertEqual(r.body["revoked_reason"], "经复核撤销")
        self.assertError(self.client.request("POST", path, token=self.token("office"), body={"reason": "x"}),
                         409, "conflict", field="status")
        self.assertEqual(self.row(self.results(rubric), "150200")["rank"], 1)

        r = self.client.get(f"{API}/assessment-rubrics/{rubric['id']}/export", token=self.token("officer"))
        self.assertEqual(r.status, 200)
        self.assertIn("spreadsheetml", r.headers.get("Content-Type"))
        self.assertIn("attachment", r.headers.get("Content-Disposition"))
        self.assertTrue(r.body.startswith(b"PK"))

    def test_bad_scores_name_the_field(self):
        rubric = self.create_rubric(2043)
        self.assertError(self.put_score(rubric, "150100", 0, 10.5), 400, "invalid_argument", field="points")
        self.assertError(self.put_score(rubric, "150100", 0, 8.25), 400, "invalid_argument", field="points")
        self.assertError(self.put_score(rubric, "150100", 0, "8"), 400, "invalid_argument", field="points")
        self.assertError(self.put_score(rubric, "150102", 0, 1), 400, "invalid_argument", field="target_id")
        self.assertError(self.put_score(rubric, "150100", 0, 1, item_id="42"), 400, "invalid_argument",
                         field="item_id")
        self.assertError(self.put_score(rubric, "150100", 0, 1, token="officer"), 403, "permission_denied")
        r = self.client.request("PUT", f"{API}/assessment-rubrics/{rubric['id']}/scores", token=self.token("office"),
                                raw_body="{\"points\": ")
        self.assertError(r, 400, "invalid_argument", field="body")
        body = {"target_id": "150100", "item_id": rubric["items"][0]["id"]}
        r = self.client.request("PUT", f"{API}/assessment-rubrics/{rubric['id']}/scores", token=self.token("office"),
                                body=body)
        self.assertError(r, 400, "invalid_argument", field="points")

    def test_rubric_validation_and_edits(self):
        def post(body):
            return self.client.request("POST", API + "/assessment-rubrics", body=body, token=self.token("office"))
        base = {"year": 2044, "target": "region", "title": "t", "items": [{"name": "甲", "max_points": 10}]}
        self.assertError(post(dict(base, title="")), 400, "invalid_argument", field="title")
        self.assertError(post(dict(base, target="city")), 400, "invalid_argument", field="target")
        self.assertError(post(dict(base, items=[{"name": "甲", "max_points": 3.3}])), 400, "invalid_argument",
                         field="items[0].max_points")
        self.assertError(post(dict(base, items=[{"name": "甲", "max_points": 3, "computed": "cases"}])), 400,
                         "invalid_argument", field="items[0].computed")
        self.assertError(post(dict(base, items=[])), 400, "invalid_argument", field="items")
        self.assertError(post(dict(base, year="2044")), 400, "invalid_argument", field="year")
        self.assertError(self.client.request("POST", API + "/assessment-rubrics", body=base,
                                             token=self.token("officer")), 403, "permission_denied")
        rubric = self.create_rubric(2044, target="unit")
        self.assertError(post(dict(base, target="unit")), 409, "conflict")
        units = self.results(rubric)["rows"]
        self.assertIn("NMG-GSJ", [row["target"]["code"] for row in units])
        self.assertNotIn("NMG-SDB", [row["target"]["code"] for row in units])  # the office assesses, is not assessed
        gsj = self.org("NMG-GSJ")
        self.assertEqual(self.put_score(rubric, gsj["id"], 0, 6).status, 200)
        path = f"{API}/assessment-rubrics/{rubric['id']}"
        edited = {"year": 2044, "target": "unit", "title": "2044年度成员单位考核",
                  "items": [{"id": rubric["items"][1]["id"], "name": "乙", "max_points": 5}]}
        self.assertError(self.client.request("PUT", path, body=edited, token=self.token("office")),
                         409, "conflict", field="items")
        edited["items"].insert(0, {"id": rubric["items"][0]["id"], "name": "甲（修订）", "max_points": 8,
                                   "guidance": "新要点"})
        r = self.client.request("PUT", path, body=edited, token=self.token("office"))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.body["title"], "2044年度成员单位考核")
        self.assertEqual(r.body["items"][0]["id"], rubric["items"][0]["id"])
        self.assertEqual(r.body["items"][0]["name"], "甲（修订）")
        self.assertEqual(r.body["max_total"], 13)
        self.assertEqual(self.row(self.results(rubric), gsj["id"])["total"], 6)
        audit = self.audit_items(action="assessment.rubric.update", object_id=rubric["id"])
        self.assertEqual(len(audit), 1)

    def test_plan_completion_is_computed_from_assignment_statuses(self):
        self.seed_plan()
        demo = [r for r in self.rubrics(year=2017, target="region")][0]
        item_idx = [i["name"] for i in demo["items"]].index("工作成效")
        item = demo["items"][item_idx]
        self.assertEqual(item["computed"], "plan_completion")
        before = self.row(self.results(demo), "150100")["scores"][item_idx]
        self.assertTrue(before["computed"])
        self.assertEqual(before["points"], 0)
        self.assertRegex(before["evidence"], r"^2017 年工作要点任务分工已完成 0/\d+$")
        # Progress reports (another branch) will set statuses; here the test sets them.
        db = sqlite3.connect(self.server.db_path, timeout=30)
        try:
            with db:
                db.execute("UPDATE plan_assignments SET status = '已完成' WHERE org_id IN "
                           "(SELECT id FROM organizations WHERE region_code LIKE '1501%')")
        finally:
            db.close()
        results = self.results(demo)
        after = self.row(results, "150100")["scores"][item_idx]
        self.assertEqual(after["points"], item["max_points"])
        self.assertRegex(after["evidence"], r"已完成 (\d+)/\1$")
        self.assertEqual(results["rows"][0]["target"]["id"], "150100")
        self.assertEqual(self.row(results, "150200")["scores"][item_idx]["points"], 0)
        self.assertError(self.put_score(demo, "150100", item_idx, 5), 400, "invalid_argument", field="item_id")
