"""Screening jobs and clues (issue 6 §5) over HTTP: a feed uploaded as a
streamed body becomes a background job whose hits become clues, deduplicated
per seller and brand; malformed lines are counted with their line numbers;
uploads over the limit get 413, and uploads by callers without screening.run
are refused from the headers, before any of the body is sent. Reviewing,
statistics and the Excel export of clues, and agency scope.

The 1M-listing upload is slow (generation ~1 min, upload and screening): it
runs only with REDSHIELD_SLOW_TESTS=1 and prints time, listings/s and the
server's peak RSS."""

import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from harness import API, REPO_ROOT, ServerTestCase, query


def listing(lid, seller="s-1", seller_name="呼和浩特阿强鞋店", title="耐克 运动鞋 高仿 一比一",
            price=59, category="运动鞋", **extra):
    row = {"id": lid, "platform": "taobao", "title": title, "price": price, "seller_id": seller,
           "seller_name": seller_name, "category": category}
    row.update(extra)
    return json.dumps(row, ensure_ascii=False)


def feed(*lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


class ScreeningMixin:

    def upload(self, body, username="office", params=None, headers=None):
        h = {"Content-Type": "application/x-ndjson"}
        h.update(headers or {})
        return self.client.request("POST", query(API + "/screening/jobs", **(params or {})),
                                   raw_body=body, token=self.token(username), headers=h,
                                   timeout=600)

    def wait_job(self, job_id, username="office", timeout=600):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.client.get(API + f"/screening/jobs/{job_id}", token=self.token(username))
            self.assertEqual(r.status, 200, r.body)
            if r.body["status"] in ("done", "failed"):
                return r.body
            time.sleep(0.1)
        self.fail(f"job {job_id} did not finish")

    def run_feed(self, body, **kw):
        r = self.upload(body, **kw)
        self.assertEqual(r.status, 202, r.body)
        self.assertEqual(r.body["status"], "queued")
        self.assertEqual(r.headers.get("Location"), API + "/screening/jobs/" + r.body["id"])
        return self.wait_job(r.body["id"])

    def clues(self, username="office", **params):
        r = self.client.get(query(API + "/clues", **params), token=self.token(username))
        self.assertEqual(r.status, 200, r.body)
        return r.body


class ScreeningJobTests(ScreeningMixin, ServerTestCase):

    def test_job_counts_listings_flags_and_malformed_lines_with_line_numbers(self):
        body = feed(listing("M1", seller="m-1"),
                    "",
                    "not json",
                    listing("M2", seller="m-2", title="普通 运动鞋 透气", price=99),
                    '{"id":"M3","platform":"taobao"}',
                    listing("M4", seller="m-3", title="耐克 Air 正品", price=899,
                            seller_name="耐克官方旗舰店"))
        job = self.run_feed(body, params={"name": "malformed.jsonl"})
        self.assertEqual(job["status"], "done", job)
        self.assertEqual(job["file_name"], "malformed.jsonl")
        self.assertEqual(job["listings_read"], 5)
        self.assertEqual(job["malformed"], 2)
        self.assertEqual(job["flagged"], 1)
        self.assertEqual(job["clues_created"], 1)
        self.assertEqual(job["bytes_read"], len(body))
        self.assertEqual(job["bytes_total"], len(body))
        self.assertEqual([s["line"] for s in job["malformed_samples"]], [3, 5])
        self.assertIn("缺少字段", job["malformed_samples"][1]["message"])
        self.assertIsNone(job["error"])
        for key in ("created_at", "started_at", "finished_at"):
            self.assertRegex(job[key], r"Z$")

    def test_gzip_feed_is_screened(self):
        job = self.run_feed(gzip.compress(feed(listing("G1", seller="g-1"), listing("G2", seller="g-2"))))
        self.assertEqual((job["listings_read"], job["flagged"], job["malformed"]), (2, 2, 0), job)

    def test_second_hit_for_the_same_seller_and_brand_merges_into_one_clue(self):
        first = self.run_feed(feed(listing("D1", seller="dup-1"), listing("D2", seller="dup-1",
                                                                          title="Nike 跑鞋 高仿 莆田")))
        self.assertEqual((first["clues_created"], first["clues_merged"]), (1, 1), first)
        again = self.run_feed(feed(listing("D3", seller="dup-1", title="耐克 篮球鞋 复刻 超A"),
                                   listing("D1", seller="dup-1")))
        self.assertEqual((again["clues_created"], again["clues_merged"]), (0, 2), again)
        found = self.clues(q="dup-1")
        self.assertEqual(found["total"], 1, found)
        clue = found["items"][0]
        self.assertEqual(clue["brand"], "耐克")
        self.assertEqual(clue["listing_count"], 3)  # D1 seen twice counts once
        detail = self.client.get(API + f"/clues/{clue['id']}", token=self.token("office")).body
        self.assertEqual(sorted(l["listing_id"] for l in detail["listings"]), ["D1", "D2", "D3"])
        self.assertGreaterEqual(detail["last_seen"], detail["first_seen"])

    def test_clue_detail_has_reasons_spans_and_routed_organisation(self):
        self.run_feed(feed(listing("R1", seller="route-1", seller_name="包头阿强鞋店",
                                   description="正品 耐克 专柜品质")))
        clue = self.clues(q="route-1")["items"][0]
        self.assertEqual(clue["status"], "待核查")
        self.assertEqual(clue["org"]["name"], "包头市市场监督管理局")
        self.assertEqual(clue["region_code"], "150200")
        detail = self.client.get(API + f"/clues/{clue['id']}", token=self.token("office")).body
        title = detail["title"].encode("utf-8")
        kinds = {r["kind"] for r in detail["reasons"]}
        self.assertTrue({"brand", "jargon"} <= kinds, detail["reasons"])
        spans = [s for s in detail["spans"] if s["field"] == "title"]
        self.assertIn("耐克", [title[s["begin"]:s["end"]].decode("utf-8") for s in spans])
        self.assertIn("高仿", [title[s["begin"]:s["end"]].decode("utf-8") for s in spans])

    def test_medicine_goes_to_the_food_and_drug_agency(self):
        self.run_feed(feed(listing("P1", seller="drug-1", seller_name="赤峰康泰药房",
                                   title="感冒药 处方药 低价", category="药品", price=5)))
        found = self.clues(q="drug-1")
        self.assertEqual(found["total"], 1, found)
        self.assertEqual(found["items"][0]["org"]["name"], "赤峰市食品药品监督管理局")

    def test_review_confirms_and_dismisses_once(self):
        self.run_feed(feed(listing("V1", seller="rev-1"), listing("V2", seller="rev-2")))
        a, b = (self.clues(q=s)["items"][0]["id"] for s in ("rev-1", "rev-2"))
        tok = self.token("office")
        r = self.client.request("POST", API + f"/clues/{a}/review", {"decision": "confirm", "comment": "核实售假"}, token=tok)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.body["status"], "已确认")
        self.assertEqual(r.body["review_comment"], "核实售假")
        self.assertEqual(r.body["reviewed_by"]["name"], "双打办 王科长（演示）")
        r = self.client.request("POST", API + f"/clues/{a}/review", {"decision": "dismiss", "comment": "x"}, token=tok)
        self.assertError(r, 412, "failed_precondition")
        r = self.client.request("POST", API + f"/clues/{b}/review", {"decision": "dismiss"}, token=tok)
        self.assertError(r, 400, "invalid_argument")
        r = self.client.request("POST", API + f"/clues/{b}/review", {"decision": "maybe"}, token=tok)
        self.assertError(r, 400, "invalid_argument")
        r = self.client.request("POST", API + f"/clues/{b}/review", {"decision": "dismiss", "comment": "正品"}, token=tok)
        self.assertEqual(r.body["status"], "已排除", r.body)
        self.assertEqual(self.clues(status="已确认", q="rev-")["total"], 1)
        audit = self.client.get(query(API + "/audit", action="clue.review"), token=self.token("auditadmin"))
        self.assertGreaterEqual(audit.body["total"], 2, audit.body)

    def test_stats_and_export(self):
        self.run_feed(feed(listing("S1", seller="stat-1"), listing("S2", seller="stat-2")))
        stats = self.client.get(API + "/clues/stats", token=self.token("office")).body
        self.assertGreaterEqual(stats["total"], 2)
        self.assertIn("耐克", [b["key"] for b in stats["top_brands"]])
        self.assertTrue(all("name" in s for s in stats["top_sellers"]))
        self.assertIn("待核查", [s["key"] for s in stats["by_status"]])
        self.assertRegex(stats["by_day"][0]["key"], r"^\d{4}-\d{2}-\d{2}$")
        r = self.client.get(API + "/clues/export", token=self.token("office"))
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body[:2], b"PK")
        self.assertIn("filename*=UTF-8''%E7%BA%BF%E7%B4%A2.xlsx", r.headers.get("Content-Disposition"))  # 线索.xlsx

    def test_officer_sees_only_clues_of_own_organisation(self):
        self.run_feed(feed(listing("O1", seller="scope-1")))
        clue_id = self.clues(q="scope-1")["items"][0]["id"]
        self.assertEqual(self.clues("officer", q="scope-1")["total"], 0)
        r = self.client.get(API + f"/clues/{clue_id}", token=self.token("officer"))
        self.assertError(r, 404, "not_found")
        r = self.client.request("POST", API + f"/clues/{clue_id}/review", {"decision": "confirm"},
                                token=self.token("officer"))
        self.assertError(r, 404, "not_found")
        r = self.client.get(API + "/screening/jobs", token=self.token("officer"))
        self.assertError(r, 403, "permission_denied")

    def test_bad_filters_and_threshold(self):
        r = self.client.get(query(API + "/clues", status="x"), token=self.token("office"))
        self.assertError(r, 400, "invalid_argument")
        r = self.client.get(query(API + "/clues", min_score="abc"), token=self.token("office"))
        self.assertError(r, 400, "invalid_argument")
        r = self.upload(feed(listing("T1")), params={"threshold": "0"})
        self.assertError(r, 400, "invalid_argument")
        r = self.upload(b"")
        self.assertError(r, 400, "invalid_argument")

    def test_job_list_newest_first(self):
        job = self.run_feed(feed(listing("L1", seller="list-1")))
        jobs = self.client.get(API + "/screening/jobs", token=self.token("office")).body
        self.assertEqual(jobs["items"][0]["id"], job["id"])
        self.assertGreaterEqual(jobs["total"], 1)

    def raw_upload_headers(self, token, length):
        """Sends only the request line and headers of a huge upload; returns the response head."""
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            head = (f"POST {API}/screening/jobs HTTP/1.1\r\nHost: x\r\n"
                    f"Content-Type: application/x-ndjson\r\nContent-Length: {length}\r\n")
            if token:
                head += f"Authorization: Bearer {token}\r\n"
            s.sendall((head + "\r\n").encode())
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.decode("utf-8", "replace")
        finally:
            s.close()

    def test_unauthorised_upload_is_refused_before_the_body_is_sent(self):
        head = self.raw_upload_headers(None, 10 ** 9)
        self.assertTrue(head.startswith("HTTP/1.1 401"), head)
        head = self.raw_upload_headers(self.token("officer"), 10 ** 9)
        self.assertTrue(head.startswith("HTTP/1.1 403"), head)

    def test_expect_continue_is_answered_for_an_allowed_upload(self):
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        body = feed(listing("E1", seller="cont-1"))
        try:
            s.sendall((f"POST {API}/screening/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
                       f"Authorization: Bearer {self.token('office')}\r\nExpect: 100-continue\r\n\r\n").encode())
            self.assertTrue(s.recv(4096).startswith(b"HTTP/1.1 100"))
            s.sendall(body)
            data = b""
            while b"\r\n\r\n" not in data:
                data += s.recv(4096)
            self.assertTrue(data.startswith(b"HTTP/1.1 202"), data)
        finally:
            s.close()


class UploadLimitTests(ScreeningMixin, ServerTestCase):
    server_args = ("--upload-limit", "2000")

    def test_upload_over_the_limit_is_413(self):
        big = feed(*[listing(f"B{i}", seller=f"big-{i}") for i in range(40)])
        self.assertGreater(len(big), 2000)
        r = self.upload(big)
        self.assertError(r, 413, "payload_too_large")

    def test_chunked_upload_over_the_limit_is_413(self):
        big = feed(*[listing(f"C{i}", seller=f"chunk-{i}") for i in range(40)])
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            s.sendall((f"POST {API}/screening/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       f"Authorization: Bearer {self.token('office')}\r\n\r\n").encode())
            try:
                for i in range(0, len(big), 500):
                    part = big[i:i + 500]
                    s.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                s.sendall(b"0\r\n\r\n")
            except OSError:
                pass  # the server may close as soon as the limit is passed
            data = s.recv(4096)
            self.assertTrue(data.startswith(b"HTTP/1.1 413"), data)
        finally:
            s.close()

    def test_upload_under_the_limit_is_accepted(self):
        job = self.run_feed(feed(listing("U1", seller="small-1")))
        self.assertEqual(job["status"], "done")


@unittest.skipUnless(os.environ.get("REDSHIELD_SLOW_TESTS") == "1", "slow: set REDSHIELD_SLOW_TESTS=1")
class MillionListingTests(ScreeningMixin, ServerTestCase):
    """1,000,000 generated listings (~300 MB) through the real HTTP API."""

    def test_one_million_listings(self):
        count = int(os.environ.get("REDSHIELD_SLOW_LISTINGS", "1000000"))
        path = os.path.join(self.server.dir, "million.jsonl")
        subprocess.run([sys.executable, os.path.join(REPO_ROOT, "tools", "gen_listings.py"),
                        "--count", str(count), "-o", path], check=True, capture_output=True)
        size = os.path.getsize(path)
        start = time.monotonic()
        with open(path, "rb") as f:
            r = self.client.request("POST", API + "/screening/jobs?name=million.jsonl", raw_body=f.read(),
                                    token=self.token("office"), timeout=900,
                                    headers={"Content-Type": "application/x-ndjson"})
        uploaded = time.monotonic()
        self.assertEqual(r.status, 202, r.body)
        job = self.wait_job(r.body["id"], timeout=1800)
        done = time.monotonic()
        with open(f"/proc/{self.server.proc.pid}/status") as status:
            rss = next(line for line in status if line.startswith("VmHWM")).split()[1]
        self.assertEqual(job["status"], "done", job)
        self.assertEqual(job["listings_read"], count)
        print(f"\n1M upload: {size / 2**20:.0f} MiB uploaded in {uploaded - start:.1f} s; job "
              f"{done - uploaded:.1f} s ({count / (done - uploaded):,.0f} listings/s); total "
              f"{done - start:.1f} s; flagged {job['flagged']}, clues {job['clues_created']} + merged "
              f"{job['clues_merged']}; server peak RSS {int(rss) / 1024:.0f} MiB", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
