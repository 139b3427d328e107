"""Custody and destruction (issue 5 §4, plan item (七)) over HTTP: the officer
registers seized goods, moves them, and destroys them through a unit of the
office's directory that is qualified on the day, with witnesses and a photo;
the public directory needs no login; the 双打 summary's 销毁 line comes from
the destruction orders."""

import base64

from harness import API, ServerTestCase, query

PHOTO = {"filename": "scene.jpg", "content_type": "image/jpeg",
         "data_base64": base64.b64encode(b"\xff\xd8\xff\xe0scene").decode()}


class CustodyTests(ServerTestCase):

    def create_case(self):
        r = self.client.request("POST", API + "/cases", token=self.token("officer"),
                                body={"title": "销售假冒白酒案", "category": "商标"})
        self.assertEqual(r.status, 201, r.body)
        return r.body

    def add_unit(self, licence, valid_until):
        r = self.client.request("POST", API + "/destruction-units", token=self.token("office"),
                                body={"name": "内蒙古某环保科技有限公司", "licence_number": licence,
                                      "region_code": "150100", "methods": ["焚烧", "粉碎"],
                                      "valid_until": valid_until})
        self.assertEqual(r.status, 201, r.body)
        return r.body

    def test_items_are_moved_and_destroyed_by_a_qualified_unit(self):
        case = self.create_case()
        base = f"{API}/cases/{case['id']}"
        item = self.assertStatus(self.client.request(
            "POST", base + "/items", token=self.token("officer"),
            body={"description": "假冒白酒", "quantity": 120, "unit": "瓶", "weight_kg": 1250.5,
                  "value_fen": 3_250_000, "storage_place": "A区"}), 201)
        self.assertEqual(item["status"], "在库")
        moved = self.assertStatus(self.client.request(
            "POST", f"{base}/items/{item['id']}/moves", token=self.token("officer"),
            body={"action": "move", "to": "B区"}), 200)
        self.assertEqual(moved["storage_place"], "B区")
        expired = self.add_unit("HTTP-HW-OLD", "2025-01-31")
        unit = self.add_unit("HTTP-HW-001", "2099-12-31")
        order = {"item_ids": [item["id"]], "unit_id": expired["id"], "method": "焚烧",
                 "destroyed_on": "2025-06-10", "witnesses": ["王五"], "attachments": [PHOTO]}
        r = self.client.request("POST", base + "/destruction-orders", token=self.token("officer"), body=order)
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(r.body["error"]["field"], "unit_id")
        order["unit_id"] = unit["id"]
        done = self.assertStatus(self.client.request("POST", base + "/destruction-orders",
                                                     token=self.token("officer"), body=order), 201)
        self.assertEqual(done["weight_kg"], 1250.5)
        custody = self.assertStatus(self.client.get(base + "/custody", token=self.token("office")), 200)
        self.assertEqual(custody["items"][0]["status"], "已销毁")
        self.assertEqual([e["action"] for e in custody["events"]], ["seize", "move", "destroy"])
        photo = custody["orders"][0]["photos"][0]
        r = self.client.get(f"{base}/destruction-orders/{done['id']}/photos/{photo['id']}",
                            token=self.token("office"))
        self.assertEqual(r.status, 200)
        summary = self.assertStatus(self.client.get(
            query(API + "/reports/summary", **{"from": "2025-06-01", "to": "2025-06-30"}),
            token=self.token("office")), 200)
        self.assertIn("销毁侵权假冒伪劣商品1.251吨，货值3.25万元", summary["text"])
        self.assertEqual(summary["figures"]["destroyed_value_fen"], 3_250_000)

    def test_public_directory_lists_valid_units_without_login(self):
        self.add_unit("HTTP-HW-PUB", "2099-12-31")
        self.add_unit("HTTP-HW-EXP", "2020-12-31")
        r = self.client.get(API + "/public/destruction-units")
        self.assertEqual(r.status, 200, r.body)
        licences = [u["licence_number"] for u in r.body["items"]]
        self.assertIn("HTTP-HW-PUB", licences)
        self.assertNotIn("HTTP-HW-EXP", licences)
        r = self.client.request("POST", API + "/destruction-units", token=self.token("officer"),
                                body={"name": "x"})
        self.assertEqual(r.status, 403, r.body)
