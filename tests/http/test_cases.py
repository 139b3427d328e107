"""Cases and 两法衔接 (issue 5) over HTTP: an officer registers a case whose
facts cross a prosecution threshold, decides it and transfers it; the
reviewer approves, the police accept and file it, the procurator records
arrest and prosecution and the court concludes; statutory timers start and
stop on the way. A case closed with a fine above the threshold lands on the
procuratorate's supervision board (以罚代刑). Scope: police see only what was
sent to them, other agencies nothing. The summary report counts the cases,
the threshold evaluator answers one JSON line per case on the command line,
and `report summary` prints the published text."""

import base64
import json
import os
import tempfile

from harness import API, ServerTestCase, query, run_cli

VALID_USCC = "914403001922038216"
VALID_ID = "11010519491231002X"


def case_body(**extra):
    body = {"title": "呼和浩特某商贸公司销售假冒伊利奶粉案", "category": "商标", "channel": "线下",
            "tags": ["秋风"], "offence": "销售假冒注册商标的商品罪", "offence_date": "2025-03-01",
            "sales_fen": 80_000_00, "suspects": 2,
            "parties": [{"kind": "enterprise", "name": "某商贸有限公司", "uscc": VALID_USCC},
                        {"kind": "person", "name": "张三", "id_number": VALID_ID}]}
    body.update(extra)
    return body


class CaseTests(ServerTestCase):

    def act(self, user, case_id, action, status=200, **body):
        r = self.client.request("POST", f"{API}/cases/{case_id}/actions", token=self.token(user),
                                body={"action": action, **body})
        self.assertEqual(r.status, status, r.body)
        return r.body

    def create(self, **extra):
        r = self.client.request("POST", API + "/cases", token=self.token("officer"), body=case_body(**extra))
        self.assertEqual(r.status, 201, r.body)
        return r.body

    def attach(self, case_id, kind, name="材料.pdf", data=b"%PDF-1.4 test", user="officer", status=200):
        body = {"kind": kind, "attachments": [{"filename": name, "content_type": "application/pdf",
                                               "data_base64": base64.b64encode(data).decode()}]}
        r = self.client.request("POST", f"{API}/cases/{case_id}/documents", token=self.token(user), body=body)
        self.assertEqual(r.status, status, r.body)
        return r.body

    def attach_transfer_documents(self, case_id):
        for kind in ("transfer_letter", "investigation_report", "goods_list", "inspection_report"):
            c = self.attach(case_id, kind, name=kind + ".pdf")
        self.assertEqual(c["missing_documents"], [])
        return c

    def police_org(self):
        meta = self.assertStatus(self.client.get(API + "/cases/meta", token=self.token("officer")), 200)
        return next(o for o in meta["police_orgs"] if o["code"] == "NMG-GAT")

    def test_created_case_is_evaluated_and_masked(self):
        c = self.create()
        self.assertRegex(c["case_number"], r"^NMG-GSJ-\d{4}-\d{5}$")
        self.assertTrue(c["evaluation"]["should_transfer"])
        self.assertEqual(c["evaluation"]["rule"], "214-2010-sales")
        person = c["parties"][1]
        self.assertEqual(person["id_masked"], "1" + "*" * 16 + "X")
        self.assertNotIn(VALID_ID, json.dumps(c))
        self.assertEqual([e["action"] for e in c["events"]], ["create"])

    def test_invalid_uscc_and_id_name_the_field(self):
        bad = case_body(parties=[{"kind": "enterprise", "name": "x", "uscc": "91350100M000100Y4Z"}])
        r = self.client.request("POST", API + "/cases", token=self.token("officer"), body=bad)
        self.assertError(r, 400, "invalid_argument", field="parties[0].uscc")
        bad = case_body(parties=[{"kind": "person", "name": "x", "id_number": "110105194912310021"}])
        r = self.client.request("POST", API + "/cases", token=self.token("officer"), body=bad)
        self.assertError(r, 400, "invalid_argument", field="parties[0].id_number")
        r = self.client.request("POST", API + "/cases", token=self.token("officer"), body=case_body(offence="盗窃罪"))
        self.assertError(r, 400, "invalid_argument", field="offence")

    def test_only_officers_create_cases(self):
        for user in ("police", "procurator", "court", "office", "reviewer"):
            r = self.client.request("POST", API + "/cases", token=self.token(user), body=case_body())
            self.assertError(r, 403, "permission_denied")

    def test_full_transfer_workflow_with_timers(self):
        c = self.create()
        cid = c["id"]
        self.act("officer", cid, "open")
        # The police see nothing before the case is sent to them.
        self.assertError(self.client.get(f"{API}/cases/{cid}", token=self.token("police")), 404, "not_found")
        c = self.act("officer", cid, "report_transfer")
        self.assertEqual(c["transfer_status"], "待批准")
        self.assertEqual(c["timers"][0]["kind"], "approve")
        self.assertIsNone(c["timers"][0]["done_at"])
        self.act("officer", cid, "approve_transfer", status=403)
        c = self.act("reviewer", cid, "approve_transfer")
        self.assertEqual([t["kind"] for t in c["timers"]], ["approve", "deliver"])
        self.assertIsNotNone(c["timers"][0]["done_at"])
        self.act("officer", cid, "send", status=400, text="移送书、调查报告")
        r = self.client.request("POST", f"{API}/cases/{cid}/actions", token=self.token("officer"),
                                body={"action": "send", "text": "移送", "police_org_id": self.police_org()["id"]})
        self.assertError(r, 400, "invalid_argument", field="documents")
        docs = self.attach_transfer_documents(cid)["documents"]
        c = self.act("officer", cid, "send", text="移送书、调查报告、涉案物品清单、检验报告",
                     police_org_id=self.police_org()["id"])
        self.assertEqual(c["transfer_status"], "已移送")
        listed = self.assertStatus(self.client.get(API + "/cases", token=self.token("police")), 200)
        self.assertIn(cid, [item["id"] for item in listed["items"]])
        self.act("police", cid, "file", status=409)
        c = self.act("police", cid, "accept")
        self.assertEqual(c["timers"][-1]["kind"], "police_decide")
        c = self.act("police", cid, "file")
        self.assertEqual(c["transfer_status"], "已立案")
        self.act("procurator", cid, "arrest", persons=2)
        self.act("procurator", cid, "prosecute", persons=2)
        self.act("court", cid, "court_accept")
        c = self.act("court", cid, "court_conclude", persons=2)
        self.assertTrue(c["court_concluded"])
        self.assertEqual(c["convicted_persons"], 2)
        actions = [e["action"] for e in c["events"]]
        # The police download what was sent with the case.
        r = self.client.get(f"{API}/cases/{cid}/documents/{docs[2]['id']}", token=self.token("police"))
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"%PDF-1.4 test")
        self.assertIn("attachment", r.headers.get("Content-Disposition"))
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")
        actions = [e["action"] for e in c["events"] if e["action"] != "document"]
        self.assertEqual(actions, ["create", "open", "report_transfer", "approve_transfer", "send", "accept",
                                   "file", "arrest", "prosecute", "court_accept", "court_conclude"])
        self.assertTrue(all(t["done_at"] for t in c["timers"]))

    def test_documents_are_checked_and_scoped(self):
        cid = self.create()["id"]
        meta = self.assertStatus(self.client.get(API + "/cases/meta", token=self.token("officer")), 200)
        required = [d["kind"] for d in meta["document_kinds"] if d["required_for"] == "send"]
        self.assertEqual(required, ["transfer_letter", "investigation_report", "goods_list", "inspection_report"])
        self.assertError(self.client.request("POST", f"{API}/cases/{cid}/documents", token=self.token("officer"),
                                             body={"kind": "nope", "attachments": []}), 400, "invalid_argument",
                         field="kind")
        bad = {"kind": "goods_list", "attachments": [{"filename": "a.pdf", "data_base64": "!!"}]}
        self.assertError(self.client.request("POST", f"{API}/cases/{cid}/documents", token=self.token("officer"),
                                             body=bad), 400, "invalid_argument", field="attachments")
        big = b"x" * (2 * 1024 * 1024 + 1)
        r = self.client.request("POST", f"{API}/cases/{cid}/documents", token=self.token("officer"),
                                body={"kind": "goods_list", "attachments": [
                                    {"filename": "big.pdf", "data_base64": base64.b64encode(big).decode()}]})
        self.assertError(r, 400, "invalid_argument", field="attachments")
        self.attach(cid, "goods_list", user="police", status=403)
        c = self.attach(cid, "goods_list", name="清单.pdf")
        self.assertEqual([d["kind"] for d in c["documents"]], ["goods_list"])
        self.assertNotIn("goods_list", c["missing_documents"])
        doc = c["documents"][0]["id"]
        # The police see nothing of a case not sent to them.
        self.assertError(self.client.get(f"{API}/cases/{cid}/documents/{doc}", token=self.token("police")),
                         404, "not_found")

    def test_police_refusal_needs_reasons_and_can_be_reconsidered(self):
        cid = self.create()["id"]
        self.act("officer", cid, "open")
        self.act("officer", cid, "report_transfer")
        self.act("reviewer", cid, "approve_transfer")
        self.attach_transfer_documents(cid)
        self.act("officer", cid, "send", text="移送书", police_org_id=self.police_org()["id"])
        self.act("police", cid, "accept")
        self.act("police", cid, "not_file", status=400)
        c = self.act("police", cid, "not_file", text="证据不足")
        self.assertEqual(c["police_reason"], "证据不足")
        self.act("procurator", cid, "supervise_filing", text="要求说明不立案理由")
        c = self.act("officer", cid, "reconsider", text="请求复议")
        self.assertEqual(c["transfer_status"], "复议中")
        self.assertEqual(c["timers"][-1]["kind"], "reconsider_decide")

    def test_fine_instead_of_transfer_reaches_the_board(self):
        c = self.create(title="以罚代刑测试案", sales_fen=120_000_00)
        cid = c["id"]
        for action in ("open", "investigate", "submit"):
            self.act("officer", cid, action)
        c = self.act("officer", cid, "decide", penalty_type="罚款", fine_fen=30_000_00)
        self.assertEqual(c["timers"][-1]["kind"], "publish")
        self.assertEqual(c["timers"][-1]["rule"], "20 个工作日")
        self.act("officer", cid, "close")
        board = self.assertStatus(self.client.get(API + "/cases/supervision", token=self.token("procurator")), 200)
        item = next(i for i in board["cases"] if i["id"] == cid)
        self.assertEqual(item["supervision_kind"], "以罚代刑")
        self.assertIsInstance(board["overdue"], list)
        self.assertTrue(board["overdue"], "demo cases left with the police are overdue")
        self.assertError(self.client.get(API + "/cases/supervision", token=self.token("officer")),
                         403, "permission_denied")
        self.act("procurator", cid, "suggest_transfer", text="建议移送公安机关")

    def test_stale_version_conflicts(self):
        c = self.create()
        body = case_body(version=c["version"], title="改名")
        r = self.client.request("PUT", f"{API}/cases/{c['id']}", token=self.token("officer"), body=body)
        self.assertEqual(r.status, 200, r.body)
        r = self.client.request("PUT", f"{API}/cases/{c['id']}", token=self.token("officer"), body=body)
        self.assertError(r, 409, "conflict", field="version")

    def test_evaluate_route(self):
        facts = [{"offence": "侵犯著作权罪", "offence_date": "2007-04-05", "copies": 500},
                 {"offence": "侵犯著作权罪", "offence_date": "2007-04-04", "copies": 500}]
        r = self.client.request("POST", API + "/cases/evaluate", token=self.token("police"), body=facts)
        body = self.assertStatus(r, 200)
        self.assertEqual([i["should_transfer"] for i in body["items"]], [True, False])
        r = self.client.request("POST", API + "/cases/evaluate", token=self.token("police"),
                                body={"offence": "x", "offence_date": "2020-01-01", "sales": 1})
        self.assertError(r, 400, "invalid_argument", field="$.sales")

    def test_summary_counts_the_demo_year(self):
        r = self.client.get(query(API + "/reports/summary", **{"from": "2017-01-01", "to": "2017-12-31"}),
                            token=self.token("office"))
        body = self.assertStatus(r, 200)
        self.assertEqual(body["figures"]["cases"], 2000)
        self.assertTrue(body["text"].startswith("行政执法机关立案查处侵权假冒案件2000件"))
        self.assertEqual(sum(row["cases"] for row in body["by_region"]), 2000)
        self.assertEqual(sum(row["cases"] for row in body["by_month"]), 2000)
        r = self.client.get(query(API + "/reports/summary", **{"from": "2017-01-01", "to": "2017-12-31",
                                                                "region_code": "150200"}),
                            token=self.token("office"))
        self.assertLess(self.assertStatus(r, 200)["figures"]["cases"], 2000)
        r = self.client.get(query(API + "/reports/summary/export", **{"from": "2017-01-01", "to": "2017-12-31"}),
                            token=self.token("procurator"))
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body[:2], b"PK")
        self.assertError(self.client.get(query(API + "/reports/summary", **{"from": "2017-13-01", "to": "2017-12-31"}),
                                         token=self.token("office")), 400, "invalid_argument", field="from")
        self.assertError(self.client.get(query(API + "/reports/summary", **{"from": "2017-01-01", "to": "2017-12-31"}),
                                         token=self.token("police")), 403, "permission_denied")


class CaseCliTests(ServerTestCase):

    def test_evaluate_prints_one_line_per_case(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "facts.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump([{"offence": "销售假冒注册商标的商品罪", "offence_date": "2017-06-01", "sales_amount": 52000},
                           {"offence": "销售假冒注册商标的商品罪", "offence_date": "2017-06-01", "sales_amount": 49999.99}],
                          f, ensure_ascii=False)
            done = run_cli("cases", "evaluate", path)
            self.assertEqual(done.returncode, 0, done.stderr)
            lines = [json.loads(line) for line in done.stdout.splitlines()]
            self.assertEqual([line["should_transfer"] for line in lines], [True, False])
            self.assertEqual(set(lines[0]), {"should_transfer", "offence", "rule", "basis", "reasons"})
            with open(path, "w", encoding="utf-8") as f:
                f.write('{"offence": "盗窃罪", "offence_date": "2017-06-01"}')
            done = run_cli("cases", "evaluate", path)
            self.assertEqual(done.returncode, 2)
            self.assertIn("$.offence", done.stderr)

    def test_report_summary_prints_the_published_text(self):
        done = self.server.cli("report", "summary", "--db", self.server.db_url, "--from", "2017-01-01", "--to", "2017-12-31")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("行政执法机关立案查处侵权假冒案件2000件", done.stdout)
        self.assertIn("按地区", done.stdout)
