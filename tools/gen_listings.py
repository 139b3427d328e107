#!/usr/bin/env python3
"""Deterministic generator of labelled e-commerce listings for `redshield screen`.

Writes JSON Lines in the input format of `redshield screen`, each line with a
label the screener never reads:
  "label": {"counterfeit": true|false, "kind": "...", "variant": "..."}
kinds (share of lines):
  genuine      (33%) official stores, ordinary shops selling at normal prices,
               licensed pharmacies and agri-input shops with a licence number
  second_hand  (10%) 二手/闲置 resale at low prices
  unrelated    (15%) brand words that are not the brand: 苹果 in 生鲜, 小米 in
               粮油, 三叶草 seeds, 鄂尔多斯 tickets, 适用于/兼容 accessories
  plain        (15%) counterfeits saying so plainly (高仿, A货, 1:1 ...) and/or
               priced far below the brand
  evasive      (15%) the same with the brand and jargon obfuscated; variant
               names the technique (separators, emoji, full-width,
               traditional, look-alike digits, mathematical letters, Cyrillic,
               pinyin, mixed)
  blacklisted  (9%)  blacklisted sellers, mostly back under a new id with a
               near-identical shop name, with innocent-looking titles
  unlicensed   (3%)  medicines, devices, pesticides, veterinary drugs with no
               licence
counterfeit is true for plain, evasive, blacklisted and unlicensed (the
listings a reviewer should see).

The brands, jargon and blacklist come from the rule files (data/screening by
default), so the evaluation measures the engine against data it was built
for; see bench/README.md for what that does and does not show.

With --synthetic-brands N the generator also writes a registry of the real
brands plus N synthetic ones (deterministic names, categories and prices) to
--brands-out, and a share of listings names synthetic brands: the benchmark's
10,000-brand setting.

Usage:
  tools/gen_listings.py --count 1000000 --seed 6 -o /tmp/listings.jsonl
  tools/gen_listings.py --count 1000000 --synthetic-brands 10000 \\
      --brands-out /tmp/brands_10k.csv -o /tmp/listings_10k.jsonl.gz
"""
import argparse
import csv
import gzip
import json
import os
import random
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

KIND_WEIGHTS = [("genuine", 33), ("second_hand", 10), ("unrelated", 15), ("plain", 15),
                ("evasive", 15), ("blacklisted", 9), ("unlicensed", 3)]
COUNTERFEIT = {"plain", "evasive", "blacklisted", "unlicensed"}
PLATFORMS = ["taobao", "tmall", "jd", "pinduoduo", "xianyu", "douyin", "kuaishou"]

# Listing categories for a brand category (each contains the brand category
# as a substring, as platforms' category paths do) and product nouns.
CATEGORY_NAMES = {
    "鞋": ["运动鞋", "休闲鞋", "男鞋", "女鞋", "鞋靴/运动鞋"], "服": ["服装", "男装/服饰", "女装/服饰", "运动服"],
    "运动": ["运动户外", "运动/健身"], "箱包": ["箱包", "旅行箱包"], "包": ["女包", "箱包/女包", "男包"],
    "背包": ["双肩背包"], "帽": ["帽子/配件"], "羽绒": ["羽绒服", "服装/羽绒"], "外套": ["外套/服装"],
    "户外": ["户外装备"], "冲锋衣": ["冲锋衣"], "帆布": ["帆布鞋"], "羽毛球": ["羽毛球拍"],
    "箱": ["拉杆箱"], "配饰": ["配饰"], "皮具": ["皮具"], "围巾": ["围巾"], "皮带": ["皮带/配饰"],
    "钱包": ["钱包"], "眼镜": ["眼镜"], "香水": ["香水"], "彩妆": ["彩妆"], "美妆": ["美妆个护"],
    "护肤": ["护肤品"], "口红": ["口红/彩妆"], "丝巾": ["丝巾"], "风衣": ["风衣"], "手表": ["手表"],
    "腕表": ["腕表"], "首饰": ["首饰"], "珠宝": ["珠宝"], "戒指": ["戒指"], "手镯": ["手镯"],
    "项链": ["项链"], "黄金": ["黄金首饰"], "金饰": ["金饰"], "饰品": ["饰品"], "手链": ["手链"],
    "耳环": ["耳环"], "水晶": ["水晶饰品"], "墨镜": ["墨镜"], "手机": ["手机", "手机/数码"],
    "电脑": ["笔记本电脑", "电脑"], "平板": ["平板电脑"], "数码": ["数码", "数码产品"], "耳机": ["耳机"],
    "配件": ["手机配件", "数码配件"], "路由": ["路由器"], "手环": ["智能手环"], "家电": ["家电", "小家电"],
    "存储": ["存储设备"], "U盘": ["U盘"], "内存卡": ["内存卡"], "内存": ["内存条"], "相机": ["相机"],
    "游戏": ["游戏机"], "电视": ["电视"], "影音": ["影音设备"], "摄影": ["摄影器材"], "镜头": ["镜头"],
    "打印": ["打印机"], "吹风": ["吹风机"], "吸尘": ["吸尘器"], "个护": ["个护电器"], "美发": ["美发工具"],
    "卷发": ["卷发棒"], "剃须": ["剃须刀"], "牙刷": ["电动牙刷"], "照明": ["照明灯具"], "鼠标": ["鼠标"],
    "键盘": ["键盘"], "外设": ["电脑外设"], "酒": ["白酒", "酒类/白酒"], "啤酒": ["啤酒"],
    "化妆品": ["化妆品"], "洗护": ["洗护用品"], "奶粉": ["奶粉", "母婴/奶粉"], "母婴": ["母婴用品"],
    "咖啡": ["咖啡"], "饮料": ["饮料"], "粮油": ["粮油米面"], "食用油": ["食用油"], "米面": ["米面"],
    "凉茶": ["凉茶饮料"], "药": ["药品"], "牙膏": ["牙膏"], "医疗": ["医疗保健"], "创可贴": ["创可贴"],
    "保健": ["保健品"], "滋补": ["滋补品"], "中药": ["中药饮片"], "乳": ["乳制品"], "奶": ["牛奶", "奶制品"],
    "羊绒": ["羊绒衫", "服装/羊绒"], "毛衣": ["毛衣"], "大衣": ["大衣"], "针织": ["针织衫"],
    "火锅": ["火锅底料"], "调味": ["调味品"], "调料": ["调料"], "底料": ["火锅底料"], "羊肉": ["羊肉"],
    "牛肉": ["牛肉"], "肉": ["肉类/生鲜"], "生鲜": ["生鲜"], "熟食": ["熟食"], "零食": ["零食"],
    "冷冻": ["冷冻食品"], "蔬菜": ["蔬菜"], "土豆": ["土豆"], "马铃薯": ["马铃薯"], "杂粮": ["五谷杂粮"],
    "大米": ["大米"], "面粉": ["面粉"], "炒货": ["炒货"],
}
NOUNS = {
    "鞋": ["跑步鞋", "篮球鞋", "板鞋", "休闲鞋", "气垫鞋", "老爹鞋"], "服": ["卫衣", "T恤", "夹克", "运动裤", "外套"],
    "包": ["手提包", "斜挎包", "托特包", "双肩包", "钱包"], "手表": ["机械表", "腕表", "自动机械腕表"],
    "手机": ["手机 256G", "手机 512G", "5G手机"], "电脑": ["笔记本电脑", "轻薄本"], "耳机": ["无线耳机", "降噪耳机"],
    "酒": ["53度 500ml", "52度 500ml*2", "酱香型 整箱"], "啤酒": ["啤酒 12瓶装", "啤酒 整箱"],
    "乳": ["纯牛奶 24盒", "酸奶 12盒", "高钙奶 整箱"], "奶": ["纯牛奶 整箱", "奶片", "奶酪棒"],
    "护肤": ["精华液 50ml", "面霜", "眼霜"], "美妆": ["精华 30ml", "粉底液"], "香水": ["香水 50ml", "淡香水"],
    "羊绒": ["羊绒衫", "羊绒围巾", "羊绒大衣"], "羊肉": ["羊排 5斤", "羊肉卷 2kg", "手把肉"],
    "牛肉": ["风干牛肉干", "牛腱子 2kg"], "粮油": ["5kg 装", "新米 10斤", "小米 5斤"],
    "奶粉": ["婴儿奶粉 3段 800g", "奶粉 900g"], "火锅": ["火锅底料 4袋", "清汤锅底"],
    "存储": ["512G 存储卡", "U盘 128G"], "吹风": ["吹风机", "电吹风"], "家电": ["空气净化器", "电饭煲"],
    "首饰": ["项链", "手链"], "珠宝": ["金项链", "钻戒"], "眼镜": ["太阳镜", "墨镜"], "饮料": ["24罐 整箱"],
    "马铃薯": ["土豆 10斤", "黄心土豆"], "生鲜": ["礼盒 5斤"], "零食": ["礼盒装", "袋装"],
}
DESCRIPTORS = ["新款", "2024款", "男款", "女款", "经典款", "官方正品", "正品", "现货", "包邮", "秋冬", "热卖",
               "限时", "礼盒装", "顺丰发货", "七天无理由", "专柜正品", "假一赔十", "正品保证 拒绝高仿",
               "海外代购", "品牌直发", "原单价999 今日特价"]
SECOND_HAND = ["二手", "闲置", "九成新", "95新", "自用闲置", "转卖", "八成新"]
CITIES = ["呼和浩特", "包头", "乌海", "赤峰", "通辽", "鄂市", "呼伦贝尔", "巴彦淖尔", "乌兰察布", "锡林",
          "兴安", "阿拉善", "北京", "上海", "广州", "杭州", "义乌", "成都", "郑州", "沈阳"]
GIVEN = ["小刚", "晓东", "丽华", "建国", "海燕", "志强", "春梅", "宏伟", "玉兰", "文博", "思远", "嘉怡"]
SHOP_WORDS = ["优选", "百货", "生活馆", "便利", "好物", "家居", "运动", "潮流", "数码", "贸易", "食品", "特产"]
SHOP_ENDINGS = ["店", "专营店", "小店", "商行", "百货店", "旗舰店", "工作室"]
STRONG_JARGON_MIN = 35

UNRELATED = [  # (title, category, price range)
    ("苹果绿 硅胶手机壳 ins风", "手机配件", (5, 29)), ("苹果肌 提拉 精华 30ml", "护肤品", (39, 129)),
    ("烟台红富士苹果 5斤装 当季新鲜", "生鲜水果", (19, 59)), ("阿克苏冰糖心苹果 10斤", "水果", (29, 79)),
    ("苹果醋 饮料 24瓶", "饮料", (39, 89)), ("山西黄小米 新米 5斤", "粮油米面", (19, 49)),
    ("小米粥 杂粮 2kg", "五谷杂粮", (15, 39)), ("三叶草种子 草坪 500g", "园艺/种子", (9, 39)),
    ("鄂尔多斯 响沙湾 门票 成人票", "旅游/门票", (80, 260)), ("鄂尔多斯 特产 风干牛肉 礼盒", "零食/特产", (59, 199)),
    ("小区北面 两室一厅 出租", "房产/租房", (800, 2600)), ("篮球教练 coach 哨子 金属", "运动户外", (5, 25)),
    ("Omega-3 深海鱼油 软胶囊", "保健品", (49, 199)), ("燕京八景 明信片 一套", "文创", (9, 29)),
    ("河套平原 葵花籽 5斤", "炒货", (29, 69)), ("科尔沁草原 自驾游 包车", "旅游", (300, 1200)),
    ("锡林郭勒盟 地图 挂图", "文具", (9, 29)), ("苹果树苗 嫁接 红富士", "园艺/苗木", (9, 39)),
    ("米家同款 收纳盒", "家居日用", (9, 29)), ("小米辣 新鲜 2斤", "生鲜蔬菜", (9, 25)),
    ("星巴克风格 咖啡杯 陶瓷", "家居日用", (19, 49)), ("飞天 敦煌 壁画 装饰画", "家居装饰", (39, 199)),
]
ACCESSORY = [  # accessory titles: the brand word follows 适用于/兼容/for
    ("适用于苹果iPhone15手机壳 防摔 透明", "手机配件", (5, 39)), ("适用于华为 Mate60 钢化膜 2片", "手机配件", (5, 29)),
    ("兼容小米 快充 充电线 1米", "数码配件", (5, 29)), ("for iPhone 14 磁吸 手机壳", "手机配件", (9, 49)),
    ("适用于 AirPods Pro 保护套 硅胶", "数码配件", (5, 29)), ("兼容 Apple Watch 表带 运动款", "数码配件", (9, 59)),
    ("适配三星 S24 手机支架", "手机配件", (9, 39)), ("适用于戴森吹风机 收纳架", "家居日用", (19, 69)),
    ("兼容罗技鼠标 替换脚贴", "电脑外设", (5, 19)), ("适用于索尼耳机 耳罩 替换", "数码配件", (9, 49)),
]
LICENSED = [  # (category, titles)
    ("药品", ["阿莫西林胶囊 0.25g*24粒", "布洛芬缓释胶囊 20粒", "999感冒灵颗粒 9袋", "复方丹参滴丸 180丸"]),
    ("医疗器械", ["电子血压计 上臂式", "血糖仪 试纸套装", "医用外科口罩 50只", "制氧机 家用"]),
    ("农药", ["草甘膦 除草剂 5kg", "吡虫啉 杀虫剂 500g", "多菌灵 杀菌剂 1kg", "高效氯氰菊酯 乳油"]),
    ("兽药", ["阿维菌素 驱虫 兽用", "牛羊用 伊维菌素 注射液", "兽用 土霉素 片", "宠物 驱虫药 兽药"]),
]

# Obfuscation.
FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
MATH_BOLD = {**{chr(ord("A") + i): chr(0x1D400 + i) for i in range(26)},
             **{chr(ord("a") + i): chr(0x1D41A + i) for i in range(26)}}
CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і",
            "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "X": "Х", "I": "І", "K": "К"}
LOOKALIKE = {"o": "0", "O": "0", "i": "1", "I": "1", "l": "1"}
SEPARATORS = [" ", "·", ".", "-", "*", "_", "丨", "/", "\u200b"]
EMOJI = ["🔥", "❤️", "✨", "👍", "⭐", "💯", "🎁", "👟", "💎", "🌟"]
TECHNIQUES = ["separator", "emoji", "fullwidth", "traditional", "lookalike", "mathbold", "cyrillic",
              "pinyin", "mixed", "homophone"]
# Homophones and near-homophones of brand names (奈克 for 耐克). The screener
# has no pinyin matching yet, so these measure what it misses.
HOMOPHONES = {"耐克": ["奈克", "耐可"], "阿迪达斯": ["阿迪大斯", "阿迪答斯"], "古驰": ["古池", "古弛"],
              "茅台": ["矛台", "茅苔"], "劳力士": ["劳力仕", "老力士"], "路易威登": ["路易威腾", "路易维登"],
              "香奈儿": ["香乃儿", "香耐儿"], "迪奥": ["迪傲", "狄奥"], "五粮液": ["五梁液", "伍粮液"],
              "伊利": ["依利", "伊莉"], "蒙牛": ["萌牛", "蒙妞"], "鄂尔多斯": ["鄂尔朵斯", "额尔多斯"]}


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def split_list(field):
    return [x.strip() for x in (field or "").split("|") if x.strip()]


def is_latin(text):
    return all(ord(c) < 128 for c in text) and any(c.isalpha() for c in text)


def to_traditional(strings):
    """s2t through the opencc command line, once for all strings; identity if it is missing."""
    if not shutil.which("opencc"):
        return {s: s for s in strings}
    out = subprocess.run(["opencc", "-c", "s2t"], input="\n".join(strings), capture_output=True,
                         text=True, check=True).stdout.split("\n")
    return {s: (out[i] if i < len(out) else s) for i, s in enumerate(strings)}


class Brand:
    def __init__(self, row):
        self.name = row["brand"].strip()
        self.aliases = split_list(row["aliases"])
        self.min_price = float(row["min_price"] or 0)
        self.max_price = float(row["max_price"] or 0)
        self.sellers = split_list(row["authorized_sellers"])
        self.categories = split_list(row["categories"])
        self.latin = [a for a in self.aliases if is_latin(a)]

    def names(self):
        return [self.name] + self.aliases


def synthetic_brands(rng, count, taken):
    chars = ("瑞丰达金顺源华康宝利泰盛鑫隆嘉兴旺福祥安德恒美雅佳晨星月辰光明锦绣凯悦博远航宇"
             "浩然天成海川峰岚松柏梅兰竹菊雪雁鸿鹏麒麟龙凤虎豹鹿羚骏驰腾飞翔云霞彤瑶琪璐")
    syllables = ["ka", "ro", "mi", "ten", "vor", "li", "sa", "den", "qu", "zan", "pel", "tor", "ve",
                 "lan", "bri", "cos", "mar", "nix", "ul", "fa", "gre", "hal", "jo", "kel"]
    cats = [k for k in CATEGORY_NAMES if k not in ("药", "医疗")]
    rows = []
    while len(rows) < count:
        name = "".join(rng.choice(chars) for _ in range(rng.choice([3, 3, 4])))
        latin = "".join(rng.choice(syllables) for _ in range(rng.choice([2, 3]))).capitalize()
        if name in taken or latin.lower() in taken:
            continue
        taken.add(name)
        taken.add(latin.lower())
        low = rng.choice([30, 50, 99, 199, 299, 499, 999, 1999])
        rows.append({"brand": name, "aliases": latin, "min_price": str(low),
                     "max_price": str(low * rng.choice([3, 5, 10])),
                     "authorized_sellers": name + "官方旗舰店" if rng.random() < 0.5 else "",
                     "categories": "|".join(rng.sample(cats, rng.choice([1, 2, 3])))})
    return rows


class Generator:
    def __init__(self, rng, brands, synthetic, lexicon, blacklist):
        self.rng = rng
        self.brands = [b for b in brands if b.categories and b.min_price > 0]
        self.synthetic = synthetic
        self.strong = [t for t in lexicon if int(t["weight"]) >= STRONG_JARGON_MIN]
        self.blacklist = [s for s in blacklist if s["seller_name"].strip()]
        texts = set()
        for b in self.brands:
            texts.update(b.names())
        for t in self.strong:
            texts.add(t["term"])
            texts.update(split_list(t["variants"]))
        texts.update(s["seller_name"] for s in self.blacklist)
        self.trad = to_traditional(sorted(texts))
        self.counter = 0

    # --- pieces -------------------------------------------------------------
    def pick_brand(self):
        if self.synthetic and self.rng.random() < 0.5:
            return self.rng.choice(self.synthetic)
        return self.rng.choice(self.brands)

    def category_for(self, brand):
        key = self.rng.choice(brand.categories)
        return key, self.rng.choice(CATEGORY_NAMES.get(key, [key]))

    def noun_for(self, key):
        return self.rng.choice(NOUNS.get(key, ["正品", "新品", "礼盒", "套装"]))

    def brand_word(self, brand):
        return self.rng.choice(brand.names())

    def shop(self):
        r = self.rng
        return r.choice(CITIES) + r.choice(GIVEN) + r.choice(SHOP_WORDS) + r.choice(SHOP_ENDINGS)

    def person(self):
        return self.rng.choice(["用户", "闲鱼", "买家"]) + str(self.rng.randrange(1000, 99999))

    def price(self, low, high):
        return round(self.rng.uniform(low, high), 2)

    def descriptors(self, n):
        return " ".join(self.rng.sample(DESCRIPTORS, n))

    def jargon(self):
        term = self.rng.choice(self.strong)
        return self.rng.choice([term["term"]] + split_list(term["variants"]))

    # --- obfuscation --------------------------------------------------------
    def obfuscate(self, text, technique):
        r = self.rng
        if technique == "separator":
            return r.choice(SEPARATORS).join(text) if len(text) <= 12 else text
        if technique == "emoji":
            if len(text) < 2:
                return text
            cut = r.randrange(1, len(text))
            return text[:cut] + r.choice(EMOJI) + text[cut:]
        if technique == "fullwidth":
            return "".join(FULLWIDTH.get(c, c) for c in text)
        if technique == "traditional":
            return self.trad.get(text, text)
        if technique == "lookalike":
            return "".join(LOOKALIKE.get(c, c) if r.random() < 0.7 else c for c in text)
        if technique == "mathbold":
            return "".join(MATH_BOLD.get(c, c) for c in text)
        if technique == "cyrillic":
            return "".join(CYRILLIC.get(c, c) for c in text)
        return text

    def evasive_brand(self, brand, technique):
        if technique == "homophone":
            return self.rng.choice(HOMOPHONES[brand.name])
        if technique in ("lookalike", "mathbold", "cyrillic"):
            latin = [a for a in brand.latin if any(c in LOOKALIKE or c in CYRILLIC for c in a)]
            word = self.rng.choice(latin) if latin else brand.name
            return self.obfuscate(word, technique if latin else "separator")
        if technique == "pinyin":
            latin = brand.latin or [brand.name]
            return self.obfuscate(self.rng.choice(latin), "separator")
        if technique == "traditional":
            word = self.brand_word(brand)
            return self.trad.get(word, word) if self.trad.get(word, word) != word else \
                self.obfuscate(word, "separator")
        return self.obfuscate(self.brand_word(brand), technique)

    def evasive_jargon(self, technique):
        word = self.jargon()
        if technique in ("lookalike", "mathbold", "cyrillic", "pinyin", "homophone"):
            technique = self.rng.choice(["separator", "emoji", "fullwidth"])
        if word == "1:1":
            return self.rng.choice(["1：1", "1︰1", "1 : 1", "１：１"])
        return self.obfuscate(word, technique)

    # --- kinds --------------------------------------------------------------
    def listing(self, kind):
        self.counter += 1
        r = self.rng
        row = {"id": "L%08d" % self.counter, "platform": r.choice(PLATFORMS)}
        variant = getattr(self, "make_" + kind)(row)
        row.setdefault("seller_id", "s%07d" % r.randrange(10**7))
        if r.random() < 0.3:
            row["url"] = "https://item.example.com/%s.html" % row["id"]
        row["observed_at"] = "2024-%02d-%02dT%02d:%02d:00Z" % (r.randint(1, 12), r.randint(1, 28),
                                                             r.randint(0, 23), r.randint(0, 59))
        row["label"] = {"counterfeit": kind in COUNTERFEIT, "kind": kind, "variant": variant}
        return row

    def product(self, row, brand, word, extra, price):
        key, category = self.category_for(brand)
        parts = [word, self.noun_for(key)] + extra
        self.rng.shuffle(parts[2:])
        row["title"] = " ".join(p for p in parts if p)
        row["category"] = category
        row["price"] = price
        return key

    def make_genuine(self, row):
        r = self.rng
        roll = r.random()
        if roll < 0.08:
            category, titles = r.choice(LICENSED)
            row.update(title=r.choice(titles), category=category, price=self.price(9, 300),
                       seller_name=r.choice(CITIES) + r.choice(["大药房", "农资店", "兽药店", "医疗器械店"]),
                       license="蒙%s%07d" % (r.choice("ABCDEFG"), r.randrange(10**7)))
            return "licensed"
        brand = self.pick_brand()
        official = roll < 0.55
        retro = r.random() < 0.03  # brands sell "复刻" (retro) models themselves
        low = brand.min_price * (0.6 if official else 0.75)
        extra = [self.descriptors(r.choice([1, 2]))] + (["复刻版"] if retro else [])
        self.product(row, brand, self.brand_word(brand), extra,
                     self.price(low, max(low, brand.max_price)))
        if any(name in row["category"] for name, _ in LICENSED):
            row["license"] = "蒙%s%07d" % (r.choice("ABCDEFG"), r.randrange(10**7))
        if official:
            row["seller_name"] = r.choice(brand.sellers) if brand.sellers else brand.name + "官方旗舰店"
            return "official_retro" if retro else "official"
        row["seller_name"] = self.shop()
        return "shop_retro" if retro else "shop"

    def make_second_hand(self, row):
        r = self.rng
        brand = self.pick_brand()
        while any(c.startswith(("药", "医疗")) for c in brand.categories):
            brand = self.pick_brand()  # no second-hand medicines
        self.product(row, brand, self.brand_word(brand), [r.choice(SECOND_HAND)],
                     self.price(brand.min_price * 0.05, brand.min_price * 0.6))
        row["seller_name"] = self.person()
        if r.random() < 0.5:
            row["description"] = r.choice(["自用闲置，几乎全新，介意勿拍", "穿过几次，有正品小票", "搬家转卖，非诚勿扰"])
        return "resale"

    def make_unrelated(self, row):
        r = self.rng
        accessory = r.random() < 0.4
        title, category, (low, high) = r.choice(ACCESSORY if accessory else UNRELATED)
        row.update(title=title + " " + self.descriptors(1), category=category,
                   price=self.price(low, high), seller_name=self.shop())
        return "accessory" if accessory else "other_meaning"

    def make_plain(self, row):
        r = self.rng
        brand = self.pick_brand()
        roll = r.random()
        if roll < 0.55:
            extra, price, variant = [self.jargon()], self.price(brand.min_price * 0.05, brand.min_price * 0.45), "jargon_low_price"
        elif roll < 0.6:
            # No jargon, a price that is low but plausible for a sale: text
            # alone cannot tell these from genuine discounts.
            extra, price, variant = [self.descriptors(1)], self.price(brand.min_price * 0.5, brand.min_price * 0.7), "subtle"
        elif roll < 0.8:
            extra, price, variant = [self.jargon()], self.price(brand.min_price, max(brand.min_price, brand.max_price)), "jargon"
        else:
            extra, price, variant = [self.descriptors(1)], self.price(brand.min_price * 0.03, brand.min_price * 0.28), "low_price"
        self.product(row, brand, self.brand_word(brand), extra, price)
        row["seller_name"] = self.shop()
        return variant

    def make_evasive(self, row):
        r = self.rng
        brand = self.pick_brand()
        technique = r.choice(TECHNIQUES)
        if technique == "homophone":
            brand = self.rng.choice([b for b in self.brands if b.name in HOMOPHONES])
        if technique == "mixed":
            word = self.evasive_brand(brand, r.choice(TECHNIQUES[:-2]))
            jargon = self.evasive_jargon(r.choice(TECHNIQUES[:-2]))
        else:
            word = self.evasive_brand(brand, technique)
            jargon = self.evasive_jargon(technique)
        price = self.price(brand.min_price * 0.05, brand.min_price * 0.45) if r.random() < 0.7 else \
            self.price(brand.min_price, max(brand.min_price, brand.max_price))
        self.product(row, brand, word, [jargon], price)
        row["seller_name"] = self.shop()
        return technique

    def make_blacklisted(self, row):
        r = self.rng
        seller = r.choice(self.blacklist)
        name = seller["seller_name"]
        roll = r.random()
        if roll < 0.2 and seller["seller_id"]:
            row["seller_id"], variant = seller["seller_id"], "same_id"
        else:
            variant = "new_id"
            name = r.choice([
                name, self.trad.get(name, name), name + str(r.randint(2, 9)) + "店",
                name + "旗舰店", " ".join(name), name + "城", name[:-1] + r.choice("城坊阁") ])
        brand = self.pick_brand()
        self.product(row, brand, self.brand_word(brand), [self.descriptors(2)],
                     self.price(brand.min_price, max(brand.min_price, brand.max_price)))
        row["seller_name"] = name
        return variant

    def make_unlicensed(self, row):
        r = self.rng
        category, titles = r.choice(LICENSED)
        row.update(title=r.choice(titles) + " " + self.descriptors(1), category=category,
                   price=self.price(5, 200), seller_name=self.shop())
        return category


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--rules", default=os.path.join(ROOT, "data", "screening"),
                        help="directory with brands.csv, lexicon.csv, sellers_blacklist.csv")
    parser.add_argument("--synthetic-brands", type=int, default=0)
    parser.add_argument("--brands-out", help="with --synthetic-brands: where to write the registry")
    parser.add_argument("-o", "--output", required=True, help="JSONL output (.gz compresses)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    brand_rows = read_csv(os.path.join(args.rules, "brands.csv"))
    lexicon = read_csv(os.path.join(args.rules, "lexicon.csv"))
    blacklist = read_csv(os.path.join(args.rules, "sellers_blacklist.csv"))
    synthetic = []
    if args.synthetic_brands:
        if not args.brands_out:
            sys.exit("--synthetic-brands needs --brands-out")
        taken = {row["brand"] for row in brand_rows}
        for row in brand_rows:
            taken.update(a.lower() for a in split_list(row["aliases"]))
        rows = synthetic_brands(random.Random(args.seed + 1), args.synthetic_brands, taken)
        with open(args.brands_out, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(brand_rows[0].keys()), lineterminator="\n")
            writer.writeheader()
            writer.writerows(brand_rows + rows)
        synthetic = [Brand(row) for row in rows]
    gen = Generator(rng, [Brand(row) for row in brand_rows], synthetic, lexicon, blacklist)
    kinds = [k for k, _ in KIND_WEIGHTS]
    weights = [w for _, w in KIND_WEIGHTS]
    opener = (lambda p: gzip.open(p, "wt", encoding="utf-8", compresslevel=1)) \
        if args.output.endswith(".gz") else (lambda p: open(p, "w", encoding="utf-8"))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with opener(args.output) as out:
        batch = []
        for kind in rng.choices(kinds, weights, k=args.count):
            batch.append(dumps(gen.listing(kind)))
            if len(batch) == 10000:
                out.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            out.write("\n".join(batch) + "\n")


if __name__ == "__main__":
    main()
