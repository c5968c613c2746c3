//! A synthetic bilingual corpus whose relevant documents are known by construction.
//!
//! Background documents are legal prose built from common words (Chinese written as Chinese
//! is, without spaces; English with spaces). Each may carry one "needle" — a rarer word such
//! as 水电站 or hydropower. Each query asks for two needles, and exactly
//! [`RELEVANT_PER_QUERY`] documents carry both: those are the query's relevant documents,
//! and recall@10 is the share of them in the top 10.

/// SplitMix64: a few lines, deterministic across platforms, enough for a benchmark corpus.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub const RELEVANT_PER_QUERY: usize = 5;

#[rustfmt::skip]
const ZH_WORDS: &[&str] = &[
    "仲裁", "裁决", "合同", "当事人", "申请人", "被申请人", "法院", "管辖", "条款", "协议", "争议", "解决", "程序", "证据", "开庭",
    "审理", "仲裁庭", "仲裁员", "费用", "期限", "通知", "送达", "违约", "赔偿", "损失", "利息", "货款", "工程", "项目", "付款",
    "交付", "质量", "检验", "保证", "担保", "银行", "公司", "股东", "董事", "投资", "许可", "登记", "审批", "监管", "法律", "法规",
    "适用", "规定", "权利", "义务", "责任", "请求", "主张", "抗辩", "驳回", "支持", "部分", "全部", "认定", "事实", "理由", "依据",
    "条件", "变更", "解除", "终止", "履行", "延期", "签订", "生效", "无效", "撤销", "执行", "承认", "申请", "材料", "文件", "翻译",
    "公证", "认证", "境外", "外国", "国际", "商事", "贸易", "出口", "进口", "运输", "保险", "货物", "设备", "服务", "技术", "知识",
    "产权", "商标", "专利", "数据", "信息", "合规", "风险", "调查", "报告", "会议", "决定", "期间",
];

#[rustfmt::skip]
const EN_WORDS: &[&str] = &[
    "arbitration", "award", "contract", "party", "claimant", "respondent", "court", "jurisdiction",
    "clause", "agreement", "dispute", "resolution", "procedure", "evidence", "hearing", "tribunal",
    "arbitrator", "costs", "deadline", "notice", "service", "breach", "damages", "loss", "interest",
    "payment", "works", "project", "delivery", "quality", "inspection", "warranty", "guarantee",
    "bank", "company", "shareholder", "director", "investment", "licence", "registration",
    "approval", "regulator", "law", "statute", "applicable", "provision", "right", "obligation",
    "liability", "claim", "defence", "dismissed", "upheld", "partial", "finding", "fact", "reason",
    "basis", "condition", "variation", "termination", "performance", "extension", "signed",
    "effective", "void", "annulment", "enforcement", "recognition", "application", "document",
    "translation", "notarised", "certified", "foreign", "international", "commercial", "trade",
    "export", "import", "transport", "insurance", "goods", "equipment", "technology", "trademark",
    "patent", "data", "compliance", "risk", "investigation", "report", "meeting", "decision",
];

/// Rarer words, each in about one document in 200 (at a million documents: ~5,000 each).
#[rustfmt::skip]
const ZH_NEEDLES: &[&str] = &[
    "水电站", "榴莲", "橡胶", "铝土矿", "镍矿", "木薯", "光伏", "锂电池", "稀土", "集装箱", "高铁", "水泥厂", "纺织品", "渔业", "咖啡",
    "茶叶", "钢材", "化肥", "棕榈油", "芒果", "大米", "汽车", "摩托车", "手机", "船舶", "飞机", "电网", "风电", "煤炭", "天然气",
    "石油", "铜矿", "木材", "家具", "服装", "玩具", "药品", "医疗器械", "化妆品", "白糖", "海鲜", "冷链", "仓储", "码头", "桥梁",
    "隧道", "公路", "地铁", "机场", "酒店",
];

#[rustfmt::skip]
const EN_NEEDLES: &[&str] = &[
    "hydropower", "durian", "rubber", "bauxite", "nickel", "cassava", "photovoltaic", "lithium",
    "container", "railway", "cement", "textile", "fishery", "coffee", "tea", "steel", "fertiliser",
    "palm", "mango", "rice", "automobile", "motorcycle", "smartphone", "vessel", "aircraft", "grid",
    "wind", "coal", "gas", "petroleum", "copper", "timber", "furniture", "garment", "toy",
    "pharmaceutical", "cosmetics", "sugar", "seafood", "warehouse", "wharf", "bridge", "tunnel",
    "highway", "metro", "airport", "hotel", "tobacco", "cocoa", "pepper",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
    /// An English needle and a Chinese needle in one Chinese document.
    Mixed,
}

impl Lang {
    pub fn name(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
            Lang::Mixed => "mixed",
        }
    }
}

pub struct BenchDoc {
    pub id: String,
    pub title: String,
    pub body: String,
}

pub struct BenchQuery {
    pub lang: Lang,
    pub words: [&'static str; 2],
    /// The query as typed: the two needles and a common word of the language, as people
    /// type a topic word beside what they look for (it makes every engine walk a long list).
    pub text: String,
    pub relevant: Vec<String>,
}

/// The corpus plan: which documents carry which query's needles.
pub struct Corpus {
    pub docs: usize,
    pub seed: u64,
    pub queries: Vec<BenchQuery>,
    /// For each planted document index: the query it answers.
    planted: std::collections::HashMap<usize, usize>,
}

impl Corpus {
    pub fn new(docs: usize, queries_per_lang: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ 0xC0FFEE);
        let mut queries = Vec::new();
        let mut planted = std::collections::HashMap::new();
        let mut used_pairs = std::collections::HashSet::new();
        for lang in [Lang::Zh, Lang::En, Lang::Mixed] {
            let mut made = 0;
            while made < queries_per_lang {
                let (a, b) = match lang {
                    Lang::Zh => (rng.pick(ZH_NEEDLES), rng.pick(ZH_NEEDLES)),
                    Lang::En => (rng.pick(EN_NEEDLES), rng.pick(EN_NEEDLES)),
                    Lang::Mixed => (rng.pick(EN_NEEDLES), rng.pick(ZH_NEEDLES)),
                };
                if a == b || !used_pairs.insert((a, b)) || used_pairs.contains(&(b, a)) {
                    continue;
                }
                let q = queries.len();
                let mut relevant = Vec::new();
                while relevant.len() < RELEVANT_PER_QUERY {
                    let d = rng.below(docs);
                    if let std::collections::hash_map::Entry::Vacant(e) = planted.entry(d) {
                        e.insert(q);
                        relevant.push(doc_id(d));
                    }
                }
                let common = match lang {
                    Lang::En => rng.pick(&EN_WORDS[..8]),
                    _ => rng.pick(&ZH_WORDS[..8]),
                };
                queries.push(BenchQuery {
                    lang,
                    words: [a, b],
                    text: format!("{a} {b} {common}"),
                    relevant,
                });
                made += 1;
            }
        }
        Self {
            docs,
            seed,
            queries,
            planted,
        }
    }

    /// Document `i`, the same every time it is asked for.
    pub fn doc(&self, i: usize) -> BenchDoc {
        let mut rng = Rng::new(self.seed.wrapping_mul(0x100_0000_01B3) ^ i as u64);
        let planted = self.planted.get(&i).map(|&q| &self.queries[q]);
        let lang = match planted {
            Some(q) if q.lang == Lang::En => Lang::En,
            Some(_) => Lang::Zh,
            None if i.is_multiple_of(2) => Lang::Zh,
            None => Lang::En,
        };
        let needles: Vec<&str> = match planted {
            Some(q) => q.words.to_vec(),
            // One background document in 4 carries one needle of its language.
            None if rng.below(4) == 0 => vec![match lang {
                Lang::En => rng.pick(EN_NEEDLES),
                _ => rng.pick(ZH_NEEDLES),
            }],
            None => Vec::new(),
        };
        let (title_len, body_len) = (4, 60);
        let mut title = words(&mut rng, lang, title_len, &[]);
        if lang == Lang::En {
            title = capitalise(&title);
        }
        let body = words(&mut rng, lang, body_len, &needles);
        BenchDoc {
            id: doc_id(i),
            title,
            body,
        }
    }
}

pub fn doc_id(i: usize) -> String {
    format!("d{i}")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// `n` words of prose with the needles at random places.
fn words(rng: &mut Rng, lang: Lang, n: usize, needles: &[&str]) -> String {
    let mut out: Vec<&str> = (0..n)
        .map(|_| match lang {
            Lang::En => rng.pick(EN_WORDS),
            _ => rng.pick(ZH_WORDS),
        })
        .collect();
    for needle in needles {
        let at = rng.below(out.len() + 1);
        out.insert(at, needle);
    }
    match lang {
        Lang::En => {
            let mut s = String::new();
            for (k, w) in out.iter().enumerate() {
                if k > 0 {
                    s.push_str(if k % 12 == 0 { ". " } else { " " });
                }
                s.push_str(w);
            }
            s.push('.');
            s
        }
        _ => {
            // Chinese prose: no spaces, a comma every few words, a full stop at the end.
            let mut s = String::new();
            for (k, w) in out.iter().enumerate() {
                if k > 0 && k % 7 == 0 {
                    s.push('，');
                }
                s.push_str(w);
            }
            s.push('。');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_documents_carry_both_needles_and_no_other_document_does() {
        let c = Corpus::new(2_000, 5, 7);
        for q in &c.queries {
            for id in &q.relevant {
                let i: usize = id[1..].parse().unwrap();
                let d = c.doc(i);
                assert!(
                    d.body.contains(q.words[0]) && d.body.contains(q.words[1]),
                    "{}",
                    d.body
                );
            }
        }
        let q = &c.queries[0];
        let both = (0..2_000)
            .map(|i| c.doc(i))
            .filter(|d| d.body.contains(q.words[0]) && d.body.contains(q.words[1]))
            .count();
        assert_eq!(both, RELEVANT_PER_QUERY);
        assert_eq!(
            c.doc(11).body,
            c.doc(11).body,
            "documents are deterministic"
        );
    }
}
