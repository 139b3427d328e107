"""Traceability (issue 7) over HTTP: EPCIS capture (every GS1 example accepted,
every negative document rejected naming event and field, nothing stored),
code histories, issuance by the demo enterprise, the public verification
(no login; unknown and malformed codes answered alike; scans counted), a
detected clone, recall with holders, and the public rate limit."""

import glob
import os
import pty
import subprocess
import threading
import time
import unittest
import urllib.parse

from harness import API, BIN, REPO_ROOT, ServerTestCase, child_env, query

SHARED = os.environ.get("REDSHIELD_SHARED", os.path.join(REPO_ROOT, "..", "shared"))
EXAMPLES = os.path.join(SHARED, "data", "epcis")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def doc(*events):
    return ('{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],'
            '"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-29T10:00:00Z",'
            '"epcisBody":{"eventList":[' + ",".join(events) + "]}}")


def event(kind, eid, when, rest):
    return (f'{{"type":"{kind}","eventID":"urn:uuid:{eid}","eventTime":"{when}",'
            f'"eventTimeZoneOffset":"+08:00",{rest}}}')


def shipments(prefix, count, last_action="OBSERVE"):
    """A document of `count` shipping events of sgtin units 0…count-1; the
    last one with `last_action` (an invalid one makes the document fail late)."""
    return doc(*[event("ObjectEvent", f"{prefix}-{n}", "2026-11-01T08:00:00+08:00",
                       f'"action":"{last_action if n == count - 1 else "OBSERVE"}","bizStep":"shipping",'
                       f'"epcList":["urn:epc:id:sgtin:0614141.107346.{n}"]') for n in range(count)])


PESTICIDE = {"kind": "pesticide", "enterprise_uscc": "911522010783762860", "enterprise_name": "内蒙古演示农资有限公司",
             "registration_no": "PD20092927", "product_name": "5%阿维菌素乳油", "lot": "20261101A",
             "production_date": "2026-11-01", "quantity": 3}


class TraceTests(ServerTestCase):
    server_args = ("--public-rate", "1000", "--public-burst", "1000")

    def capture(self, text, token=None, name="t.jsonld"):
        return self.client.request("POST", query(API + "/trace/capture", name=name), raw_body=text,
                                   token=token or self.token("enterprise"),
                                   headers={"Content-Type": "application/ld+json"})

    def issue(self, **over):
        body = dict(PESTICIDE, **over)
        return self.assertStatus(self.client.request("POST", API + "/trace/batches", body=body,
                                                     token=self.token("enterprise")), 201)

    def codes(self, batch):
        r = self.client.get(f"{API}/trace/batches/{batch['id']}/labels.csv", token=self.token("enterprise"))
        self.assertEqual(r.status, 200)
        text = r.body.decode("utf-8-sig")
        return [line.split(",")[1] for line in text.strip().split("\r\n")[1:]]

    def verify(self, code, region=""):
        path = API + "/public/verify/" + urllib.parse.quote(code, safe="")
        return self.client.get(query(path, region=region) if region else path)

    def test_every_example_is_accepted_and_every_negative_rejected(self):
        for path in sorted(glob.glob(os.path.join(EXAMPLES, "examples", "*.jsonld"))):
            with self.subTest(example=os.path.basename(path)):
                body = self.assertStatus(self.capture(read(path), name=os.path.basename(path)), 201)
                self.assertGreaterEqual(body["events"] + body["duplicates"], 1)
        for path in sorted(glob.glob(os.path.join(EXAMPLES, "negative_derived", "*.jsonld"))):
            with self.subTest(negative=os.path.basename(path)):
                r = self.capture(read(path))
                err = self.assertError(r, 400, "invalid_argument")
                self.assertTrue(err["field"], err)
                if "eventList" in err["field"]:
                    self.assertIn("事件 0", err["message"])

    def test_rejected_document_stores_nothing_and_history_walks_packing(self):
        unit = "https://v.example.cn/v/10929272001000000000000000000077"
        good = event("ObjectEvent", "t-1", "2026-11-01T08:00:00+08:00",
                     f'"action":"ADD","bizStep":"commissioning","epcList":["{unit}"]')
        pack = event("AggregationEvent", "t-2", "2026-11-01T09:00:00+08:00",
                     f'"action":"ADD","bizStep":"packing","parentID":"urn:epc:id:sscc:0614141.9999999001",'
                     f'"childEPCs":["{unit}"]')
        bad = event("ObjectEvent", "t-3", "2026-11-01T10:00:00+08:00", '"action":"LOOK","epcList":[]')
        err = self.assertError(self.capture(doc(good, pack, bad)), 400, "invalid_argument")
        self.assertEqual(err["field"], "epcisBody.eventList[2].action")
        history = self.assertStatus(self.client.get(query(API + "/trace/history", code=unit),
                                                    token=self.token("officer")), 200)
        self.assertEqual(history["events"], [])
        self.assertStatus(self.capture(doc(good, pack)), 201)
        history = self.assertStatus(self.client.get(query(API + "/trace/history", code="10929272001000000000000000000077"),
                                                    token=self.token("officer")), 200)
        self.assertEqual([e["biz_step"] for e in history["events"]], ["commissioning", "packing"])
        self.assertEqual(history["related"][0]["relation"], "parent")

    def test_issue_verify_clone_and_recall(self):
        batch = self.issue()
        self.assertEqual(batch["random_bits"], 69.7)
        self.assertEqual(batch["status"], "正常")
        codes = self.codes(batch)
        self.assertEqual(len(codes), 3)
        svg = self.client.get(f"{API}/trace/batches/{batch['id']}/qr.svg?seq=2", token=self.token("enterprise"))
        self.assertEqual(svg.status, 200)
        self.assertIn(b"<svg", svg.body)

        first = self.assertStatus(self.verify(codes[0], "150203"), 200)
        self.assertEqual(first["status"], "正常")
        self.assertEqual(first["product"], "5%阿维菌素乳油")
        self.assertEqual(first["scan_count"], 1)
        self.assertEqual(first["first_scan_region"], "150200")

        unknown = self.verify("10929272001999999999999999999999")
        malformed = self.verify("not-a-code<>")
        self.assertEqual((unknown.status, unknown.body), (malformed.status, malformed.body))
        self.assertEqual(unknown.body["status"], "未发放")

        # The same code in 呼和浩特 two hours... now: a clone.
        self.verify(codes[0], "150102")
        deadline = time.time() + 5
        while time.time() < deadline:
            # The agriculture department receives it; the 工商局 officer does not see it.
            found = self.client.get(API + "/trace/suspicions", token=self.token("agri")).body["items"]
            clone = next((s for s in found if s["rule"] == "distant_regions" and s["code_key"].endswith(codes[0])), None)
            if clone:
                break
            time.sleep(0.2)
        else:
            self.fail("no distant_regions suspicion")
        self.assertEqual(clone["org_name"], "呼和浩特市农牧业局")
        officer_sees = self.client.get(API + "/trace/suspicions", token=self.token("officer")).body["items"]
        self.assertNotIn(clone["id"], [s["id"] for s in officer_sees])
        self.assertEqual(self.verify(codes[0]).body["status"], "可疑")
        review = f"{API}/trace/suspicions/{clone['id']}/review"
        self.assertError(self.client.request("POST", review, body={"decision": "dismiss"}, token=self.token("agri")),
                         400, "invalid_argument")
        self.assertError(self.client.request("POST", review, body={"decision": "confirm"}, token=self.token("officer")),
                         404, "not_found")
        reviewed = self.assertStatus(self.client.request("POST", review, body={"decision": "confirm", "comment": "异地扫码属实"},
                                                         token=self.token("agri")), 200)
        self.assertEqual((reviewed["status"], reviewed["reviewed_by_name"]), ("已确认", "呼和浩特市农牧业局 马科长（演示）"))
        self.assertEqual(self.verify(codes[0]).body["status"], "可疑")

        holders = self.assertStatus(self.client.request("POST", f"{API}/trace/batches/{batch['id']}/recall",
                                                        body={"reason": "含量不合格"}, token=self.token("officer")), 200)
        self.assertEqual(holders["batch"]["status"], "已召回")
        self.assertEqual(holders["holders"], [])  # nothing shipped in this test: see test_recall_notifies_holders
        self.assertEqual(self.verify(codes[1]).body["status"], "已召回")
        self.assertError(self.client.request("POST", f"{API}/trace/batches/{batch['id']}/recall",
                                             body={"reason": "再次"}, token=self.token("officer")), 409, "conflict")
        done = self.assertStatus(self.client.request("POST", f"{API}/trace/batches/{batch['id']}/destroy",
                                                     body={"note": "已无害化处理"}, token=self.token("enterprise")), 200)
        self.assertEqual(done["status"], "已销毁")
        self.assertEqual(self.verify(codes[2]).body["status"], "已销毁")

    def test_places_and_recall_notices(self):
        gln = f"061414{int(time.time() * 1000) % 10**6:06d}"
        gln += str((10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(gln)) % 10) % 10)
        bad = self.client.request("POST", API + "/trace/places/import", raw_body=f"id,name,region_code,retail\n{gln},店,150102,1\n123,坏,150102,1\n",
                                  token=self.token("enterprise"), headers={"Content-Type": "text/csv"})
        err = self.assertError(bad, 400, "invalid_argument")
        self.assertEqual(err["field"], "id")
        self.assertIn("第 3 行", err["message"])
        listed = self.client.get(query(API + "/trace/places", q=gln), token=self.token("officer")).body
        self.assertEqual(listed["total"], 0)
        place = self.assertStatus(self.client.request("POST", API + "/trace/places", body={
            "id": gln, "name": "新城区测试农资店", "region_code": "150102", "retail": True}, token=self.token("enterprise")), 200)
        self.assertEqual((place["key"], place["region_name"], place["org_id"]), (f"414/{gln}", "新城区", None))
        self.assertError(self.client.request("POST", API + "/trace/places", body={
            "id": gln, "name": "x", "region_code": "150102", "org_id": "1"}, token=self.token("enterprise")), 403,
            "permission_denied")
        in_huhhot = self.client.get(query(API + "/trace/places", region="150100", q=gln), token=self.token("officer")).body
        self.assertEqual([p["key"] for p in in_huhhot["items"]], [f"414/{gln}"])

        batch = self.issue()
        codes = self.codes(batch)
        unit = f"https://trace.example.cn/v/{codes[0]}"
        ship = event("ObjectEvent", f"ship-{gln}", "2026-11-01T08:00:00+08:00",
                     f'"action":"OBSERVE","bizStep":"receiving","epcList":["{unit}"],'
                     f'"bizLocation":{{"id":"https://id.gs1.org/414/{gln}"}}')
        self.assertStatus(self.capture(doc(ship)), 201)
        for region, count in (("150100", 1), ("150000", 1), ("150200", 0)):
            events = self.client.get(query(API + "/trace/events", region=region, code=unit), token=self.token("officer")).body
            self.assertEqual(events["total"], count, region)
        recalled = self.assertStatus(self.client.request("POST", f"{API}/trace/batches/{batch['id']}/recall",
                                                         body={"reason": "含量不合格"}, token=self.token("enterprise")), 200)
        [holder] = recalled["holders"]
        self.assertEqual((holder["name"], holder["notice"]["routed"], holder["notice"]["status"]),
                         ("新城区测试农资店", "agriculture", "待确认"))
        notices = self.client.get(query(API + "/trace/recall-notices", batch_id=batch["id"]), token=self.token("agri")).body
        [notice] = notices["items"]
        self.assertEqual((notice["holder_name"], notice["org_name"]), ("新城区测试农资店", "呼和浩特市农牧业局"))
        none = self.client.get(query(API + "/trace/recall-notices", batch_id=batch["id"]), token=self.token("officer")).body
        self.assertEqual(none["total"], 0)
        ack = f"{API}/trace/recall-notices/{notice['id']}/ack"
        self.assertError(self.client.request("POST", ack, body={"note": "x"}, token=self.token("officer")), 404, "not_found")
        done = self.assertStatus(self.client.request("POST", ack, body={"note": "已电话通知店主下架封存"},
                                                     token=self.token("agri")), 200)
        self.assertEqual((done["status"], done["acknowledged_by_name"]), ("已确认", "呼和浩特市农牧业局 马科长（演示）"))
        self.assertError(self.client.request("POST", ack, body={"note": "again"}, token=self.token("agri")), 409, "conflict")
        holders = self.client.get(f"{API}/trace/batches/{batch['id']}/holders", token=self.token("enterprise")).body
        self.assertEqual(holders["items"][0]["notice"]["status"], "已确认")
        # A shipment made before the recall is reported after it: the capture notifies the new holder.
        late = event("ObjectEvent", f"late-{gln}", "2026-11-02T08:00:00+08:00",
                     f'"action":"OBSERVE","bizStep":"shipping","epcList":["{unit}"],'
                     '"destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:0614141.00002"}]')
        self.assertEqual(self.assertStatus(self.capture(doc(late)), 201)["notified"], 1)
        self.assertEqual(self.assertStatus(self.capture(doc(late)), 201)["notified"], 0)
        holders = self.client.get(f"{API}/trace/batches/{batch['id']}/holders", token=self.token("enterprise")).body
        self.assertEqual([(h["key"], h["notice"]["status"]) for h in holders["items"]],
                         [(f"414/{gln}", "已确认"), ("417/0614141000029", "待确认")])

    def test_clone_rule_thresholds_are_set_by_the_office_and_audited(self):
        rules = self.client.get(API + "/trace/rules", token=self.token("agri")).body
        self.assertEqual(rules["defaults"], {"scans_per_unit": 5, "distant_window_hours": 48, "cluster_threshold": 5,
                                             "cluster_window_minutes": 60})
        changed = dict(rules["rules"], distant_window_hours=72, note="秋季销售旺季加强异地扫码监测")
        self.assertError(self.client.request("PUT", API + "/trace/rules", body=changed, token=self.token("agri")),
                         403, "permission_denied")
        err = self.assertError(self.client.request("PUT", API + "/trace/rules", body=dict(changed, cluster_threshold=1),
                                                   token=self.token("office")), 400, "invalid_argument")
        self.assertEqual(err["field"], "cluster_threshold")
        err = self.assertError(self.client.request("PUT", API + "/trace/rules", body=dict(changed, scans_per_unit=2.5),
                                                   token=self.token("office")), 400, "invalid_argument")
        self.assertEqual(err["field"], "scans_per_unit")
        try:
            saved = self.assertStatus(self.client.request("PUT", API + "/trace/rules", body=changed,
                                                          token=self.token("office")), 200)
            self.assertEqual(saved["rules"]["distant_window_hours"], 72)
            newest = saved["versions"][0]
            self.assertEqual((newest["note"], newest["changed_by_name"] != ""), ("秋季销售旺季加强异地扫码监测", True))
            self.assertIn("异地时间窗 72 小时", self.audit_items(action="trace.rules")[0]["summary"])
        finally:
            self.client.request("PUT", API + "/trace/rules", body=dict(rules["rules"], note="恢复默认"),
                                token=self.token("office"))

    def test_demo_data_shows_the_whole_chain(self):
        """`init --demo`: places, batches with packs, events to shops, clones, a recall with notices."""
        batches = self.client.get(API + "/trace/batches", token=self.token("enterprise")).body["items"]
        demo = {b["lot"]: b for b in batches if b["lot"].startswith("2017")}
        self.assertEqual(set(demo), {"20170315A", "20170420", "20170501B"})
        self.assertEqual((demo["20170420"]["pack_sizes"], demo["20170420"]["pack_counts"]), ([10, 5], [10, 2]))
        self.assertEqual(demo["20170501B"]["status"], "已召回")
        places = self.client.get(query(API + "/trace/places", region="150100"), token=self.token("agri")).body
        self.assertGreaterEqual(places["total"], 3)
        notices = self.client.get(query(API + "/trace/recall-notices", batch_id=demo["20170501B"]["id"]),
                                  token=self.token("agri")).body["items"]
        self.assertEqual(sorted(n["holder_name"] for n in notices), ["土默特左旗金穗农资站", "新城区丰收农资店"])
        rules = {s["rule"] for s in self.client.get(API + "/trace/suspicions", token=self.token("agri")).body["items"]}
        self.assertLessEqual({"after_retail_sale", "distant_regions"}, rules)
        in_baotou = self.client.get(query(API + "/trace/events", region="150200"), token=self.token("officer")).body
        steps = {e["biz_step"] for e in in_baotou["items"]}
        self.assertLessEqual({"receiving", "retail_selling"}, steps)

    def test_pack_levels_link_units_to_boxes(self):
        batch = self.issue(quantity=5, pack_sizes=[2])
        self.assertEqual((batch["pack_sizes"], batch["pack_counts"]), ([2], [3]))
        r = self.client.get(f"{API}/trace/batches/{batch['id']}/labels.csv", token=self.token("enterprise"))
        rows = [line.split(",") for line in r.body.decode("utf-8-sig").strip().split("\r\n")]
        self.assertEqual(rows[0][-2:], ["level", "parent"])
        self.assertEqual([row[-2] for row in rows[1:]], ["0"] * 5 + ["1"] * 3)
        self.assertEqual(rows[1][-1], rows[6][1])
        box = self.assertStatus(self.verify(rows[6][1]), 200)
        self.assertEqual((box["level"], box["contains"], box["parent"]), (1, 2, ""))
        unit = self.assertStatus(self.verify(rows[5][1]), 200)
        self.assertEqual((unit["level"], unit["parent"]), (0, rows[8][1]))
        bad = self.client.request("POST", API + "/trace/batches", body=dict(PESTICIDE, pack_sizes=[1]),
                                  token=self.token("enterprise"))
        self.assertEqual(self.assertError(bad, 400, "invalid_argument")["field"], "pack_sizes")

    def test_issuance_errors_name_the_field_and_others_cannot_issue(self):
        r = self.client.request("POST", API + "/trace/batches", body=dict(PESTICIDE, enterprise_uscc="911522010783762861"),
                                token=self.token("enterprise"))
        self.assertEqual(self.assertError(r, 400, "invalid_argument")["field"], "enterprise_uscc")
        r = self.client.request("POST", API + "/trace/batches", body=dict(PESTICIDE, registration_no="PD1-85"),
                                token=self.token("enterprise"))
        self.assertEqual(self.assertError(r, 400, "invalid_argument")["field"], "registration_no")
        self.assertError(self.client.request("POST", API + "/trace/batches", body=PESTICIDE,
                                             token=self.token("officer")), 403, "permission_denied")


class TraceRateLimitTests(ServerTestCase):
    server_args = ("--public-rate", "1", "--public-burst", "3")

    def test_verification_is_rate_limited_per_client(self):
        statuses = [self.client.get(API + "/public/verify/123").status for _ in range(6)]
        self.assertEqual(statuses[:3], [200, 200, 200], statuses)
        self.assertIn(429, statuses)


class TraceLargeCaptureTests(ServerTestCase):
    """Capture is an upload route (issue 7 §7): the document is spooled to a
    file and read one event at a time, so the upload limit applies, not the
    body limit, and a permission failure is answered before the body is read.
    One io thread: a capture's handler runs on an upload thread, not on it."""
    server_args = ("--body-limit", "4096", "--threads", "1")

    def capture(self, text, user, client=None):
        return (client or self.client).request("POST", API + "/trace/capture", raw_body=text,
                                               token=self.token(user),
                                               headers={"Content-Type": "application/ld+json"})

    def test_document_beyond_the_body_limit_is_captured(self):
        text = shipments("big", 200)
        self.assertGreater(len(text), 4096 * 10)
        body = self.assertStatus(self.capture(text, "enterprise"), 201)
        self.assertEqual(body["events"], 200)
        bad = text.replace('"action":"OBSERVE"', '"action":"LOOK"', 1).replace("big-", "late-")
        err = self.assertError(self.capture(bad, "enterprise"), 400, "invalid_argument")
        self.assertEqual(err["field"], "epcisBody.eventList[0].action")
        self.assertError(self.capture(text, "court"), 403, "permission_denied")

    def test_other_requests_are_answered_while_a_capture_runs(self):
        text = shipments("long", 60000)
        self.token("enterprise")  # logged in before the threads start
        done = threading.Event()
        result = {}

        def upload():  # its own client: a long capture under ASan outlasts the shared one's timeout
            result["response"] = self.capture(text, "enterprise", client=self.server.client(timeout=600))
            done.set()

        worker = threading.Thread(target=upload)
        started = time.monotonic()
        worker.start()
        slowest, answered = 0.0, 0
        while not done.is_set():
            sent = time.monotonic()
            self.assertEqual(self.server.client(timeout=600).get("/healthz").status, 200)
            slowest = max(slowest, time.monotonic() - sent)
            answered += 0 if done.is_set() else 1
            time.sleep(0.02)
        worker.join()
        took = time.monotonic() - started
        self.assertEqual(self.assertStatus(result["response"], 201)["events"], 60000)
        # On the io thread, a probe sent while the capture ran would wait for the rest of it.
        self.assertGreater(answered, 0)
        self.assertLess(slowest, took / 2, f"slowest probe {slowest:.2f} s of a {took:.2f} s capture")


class TraceCliTests(ServerTestCase):
    """`redshield trace capture FILE… --db …`: one line per file, exit 0 only
    if every file was accepted, a rejected file stores nothing; on a terminal,
    a progress bar on stderr."""

    def write(self, name, text):
        path = os.path.join(self.server.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def stored(self, prefix):
        r = self.client.get(query(API + "/trace/events", code="urn:epc:id:sgtin:0614141.107346.0"),
                            token=self.token("officer"))
        return [e for e in self.assertStatus(r, 200)["items"] if prefix in e["event_id"]]

    def test_one_line_per_file_and_nothing_stored_from_a_rejected_one(self):
        good = self.write("good.jsonld", shipments("cli-good", 3))
        bad = self.write("bad.jsonld", shipments("cli-bad", 3, last_action="LOOK"))
        done = self.server.cli("trace", "capture", good, bad, "--db", self.server.db_url)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        lines = done.stdout.strip().split("\n")
        self.assertEqual(lines[0], f"{good} accepted (3 events)")
        self.assertTrue(lines[1].startswith(f"{bad} rejected: "), lines[1])
        self.assertIn("eventList[2]", lines[1])
        self.assertEqual(len(self.stored("cli-good")), 1)
        self.assertEqual(self.stored("cli-bad"), [])
        again = self.server.cli("trace", "capture", good, "--db", self.server.db_url)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.strip(), f"{good} accepted (0 events, 3 already stored)")

    def test_progress_bar_on_a_terminal(self):
        path = self.write("many.jsonld", shipments("cli-many", 5000))
        main, side = pty.openpty()
        try:
            proc = subprocess.run([BIN, "trace", "capture", path, "--db", self.server.db_url], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=side, env=child_env(self.server.dir), timeout=120)
            os.close(side)
            side = None
            shown = b""
            while True:
                try:
                    chunk = os.read(main, 65536)
                except OSError:  # the terminal's other end is closed
                    break
                if not chunk:
                    break
                shown += chunk
        finally:
            if side is not None:
                os.close(side)
            os.close(main)
        self.assertEqual(proc.returncode, 0, shown.decode("utf-8", "replace"))
        self.assertEqual(proc.stdout.decode().strip(), f"{path} accepted (5000 events)")
        text = shown.decode("utf-8", "replace")
        self.assertIn("[" + "#" * 30 + "] 100.0%", text)
        self.assertIn("many.jsonld：已读取 5000 个事件，正在写入数据库", text)


if __name__ == "__main__":
    unittest.main()
