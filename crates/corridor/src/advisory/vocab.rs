//! The closed vocabularies of the advisory engine: entry modes, ownership, ISIC sector codes,
//! plan areas, and the plain-language questions for the library's flags and metrics
//! (`data/advisory/questions.json`).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};
use utoipa::ToSchema;

use super::Text;

/// How the enterprise enters the host country (the contract's seven codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryMode {
    Greenfield,
    Acquisition,
    JointVenture,
    EpcContract,
    TradeDistribution,
    Franchise,
    RepresentativeOffice,
}

impl EntryMode {
    pub const ALL: [EntryMode; 7] = [
        EntryMode::Greenfield,
        EntryMode::Acquisition,
        EntryMode::JointVenture,
        EntryMode::EpcContract,
        EntryMode::TradeDistribution,
        EntryMode::Franchise,
        EntryMode::RepresentativeOffice,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryMode::Greenfield => "greenfield",
            EntryMode::Acquisition => "acquisition",
            EntryMode::JointVenture => "joint_venture",
            EntryMode::EpcContract => "epc_contract",
            EntryMode::TradeDistribution => "trade_distribution",
            EntryMode::Franchise => "franchise",
            EntryMode::RepresentativeOffice => "representative_office",
        }
    }

    pub fn parse(code: &str) -> Option<EntryMode> {
        EntryMode::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn text(self) -> Text {
        let (en, zh) = match self {
            EntryMode::Greenfield => ("a new company (greenfield)", "新设企业（绿地投资）"),
            EntryMode::Acquisition => ("an acquisition", "并购"),
            EntryMode::JointVenture => ("a joint venture", "合资"),
            EntryMode::EpcContract => ("an EPC contract", "工程总承包（EPC）"),
            EntryMode::TradeDistribution => ("trade or distribution", "贸易或分销"),
            EntryMode::Franchise => ("a franchise", "特许经营"),
            EntryMode::RepresentativeOffice => ("a representative office", "代表处"),
        };
        Text::new(en, zh)
    }
}

/// SOE or private. Central SOEs are SOEs with the `central_soe_supervised_by_sasac` flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, ToSchema)]
pub enum Ownership {
    #[serde(rename = "SOE")]
    Soe,
    #[serde(rename = "private")]
    Private,
}

impl Ownership {
    pub fn parse(code: &str) -> Option<Ownership> {
        match code {
            "SOE" => Some(Ownership::Soe),
            "private" => Some(Ownership::Private),
            _ => None,
        }
    }

    pub fn text(self) -> Text {
        match self {
            Ownership::Soe => Text::new("a state-owned enterprise", "国有企业"),
            Ownership::Private => Text::new("a private enterprise", "民营企业"),
        }
    }
}

/// ISIC Rev.4 divisions of each section letter: a code is the section letter, optionally
/// followed by a division (2 digits), group (3) or class (4) inside that section.
const SECTIONS: [(char, u8, u8); 21] = [
    ('A', 1, 3),
    ('B', 5, 9),
    ('C', 10, 33),
    ('D', 35, 35),
    ('E', 36, 39),
    ('F', 41, 43),
    ('G', 45, 47),
    ('H', 49, 53),
    ('I', 55, 56),
    ('J', 58, 63),
    ('K', 64, 66),
    ('L', 68, 68),
    ('M', 69, 75),
    ('N', 77, 82),
    ('O', 84, 84),
    ('P', 85, 85),
    ('Q', 86, 88),
    ('R', 90, 93),
    ('S', 94, 96),
    ('T', 97, 98),
    ('U', 99, 99),
];

/// The titles of the ISIC Rev.4 sections (UN Statistics Division, ST/ESA/STAT/SER.M/4/Rev.4),
/// for asking the sector by name; the Chinese is the UN's Chinese edition's wording, shortened.
pub const SECTION_TITLES: [(&str, &str, &str); 21] = [
    ("A", "Agriculture, forestry and fishing", "农业、林业及渔业"),
    ("B", "Mining and quarrying", "采矿和采石"),
    ("C", "Manufacturing", "制造业"),
    (
        "D",
        "Electricity, gas, steam and air conditioning supply",
        "电、煤气、蒸汽和空调的供应",
    ),
    (
        "E",
        "Water supply; sewerage, waste management and remediation",
        "供水；污水处理、废物管理和补救",
    ),
    ("F", "Construction", "建筑业"),
    (
        "G",
        "Wholesale and retail trade; repair of motor vehicles",
        "批发和零售业；汽车和摩托车的修理",
    ),
    ("H", "Transportation and storage", "运输和储存"),
    ("I", "Accommodation and food service", "食宿服务"),
    ("J", "Information and communication", "信息和通信"),
    ("K", "Financial and insurance activities", "金融和保险"),
    ("L", "Real estate activities", "房地产"),
    (
        "M",
        "Professional, scientific and technical activities",
        "专业、科学和技术活动",
    ),
    (
        "N",
        "Administrative and support service activities",
        "行政和辅助活动",
    ),
    (
        "O",
        "Public administration and defence",
        "公共管理和国防；强制性社会保障",
    ),
    ("P", "Education", "教育"),
    ("Q", "Human health and social work", "人体健康和社会工作"),
    (
        "R",
        "Arts, entertainment and recreation",
        "艺术、娱乐和文娱",
    ),
    ("S", "Other service activities", "其他服务"),
    (
        "T",
        "Activities of households as employers",
        "家庭作为雇主的活动",
    ),
    (
        "U",
        "Extraterritorial organizations and bodies",
        "国际组织和机构的活动",
    ),
];

/// An ISIC Rev.4 code prefixed with its section letter: `C`, `J61`, `G47`, `K6430`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Isic(String);

impl Isic {
    pub fn parse(raw: &str) -> Option<Isic> {
        let code = raw.trim().to_ascii_uppercase();
        let mut chars = code.chars();
        let section = chars.next()?;
        let digits = chars.as_str();
        let (_, lo, hi) = SECTIONS.iter().find(|(s, _, _)| *s == section)?;
        if digits.is_empty() {
            return Some(Isic(code));
        }
        if digits.len() > 4 || digits.len() < 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let division: u8 = digits[..2].parse().ok()?;
        (*lo..=*hi).contains(&division).then_some(Isic(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `self` is `other` or falls under it (`C2520` is within `C`).
    pub fn is_within(&self, other: &Isic) -> bool {
        self.0.starts_with(&other.0)
    }
}

impl fmt::Display for Isic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Isic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The four areas of a plan, in the order of a project.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Negotiation,
    Signing,
    Risk,
    Disputes,
}

impl Area {
    pub const ALL: [Area; 4] = [Area::Negotiation, Area::Signing, Area::Risk, Area::Disputes];

    pub fn code(self) -> &'static str {
        match self {
            Area::Negotiation => "negotiation",
            Area::Signing => "signing",
            Area::Risk => "risk",
            Area::Disputes => "disputes",
        }
    }

    pub fn parse(code: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn text(self) -> Text {
        match self {
            Area::Negotiation => Text::new("Major project negotiations", "重大项目谈判"),
            Area::Signing => Text::new("Contract signing", "合同签署"),
            Area::Risk => Text::new("Risk prevention and control", "风险防控"),
            Area::Disputes => Text::new("Dispute resolution", "争议解决"),
        }
    }
}

/// One question of `questions.json`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    pub en: String,
    pub zh: String,
    #[serde(default)]
    pub unit: Option<String>,
}

/// `questions.json`: how to ask for each flag and metric.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questions {
    #[allow(dead_code)]
    note: String,
    pub flags: BTreeMap<String, Wording>,
    pub metrics: BTreeMap<String, Wording>,
}

/// The wording for the sector and ownership questions (not part of the library's vocabularies).
pub fn sector_question() -> Text {
    Text::new(
        "What does the project do? Give its ISIC Rev.4 sector codes as finely as you can (e.g. C2520 rather than C).",
        "项目从事什么业务？请尽量具体地提供其《国际标准行业分类》第四版代码（例如 C2520 而非 C）。",
    )
}

pub fn ownership_question() -> Text {
    Text::new(
        "Is the enterprise state-owned or private?",
        "企业是国有企业还是民营企业？",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isic_codes_are_checked_against_their_section() {
        assert!(Isic::parse("C").is_some());
        assert!(Isic::parse("c2520").is_some());
        assert!(Isic::parse("K6430").is_some());
        assert!(Isic::parse("C64").is_none(), "division 64 is in section K");
        assert!(Isic::parse("Z").is_none());
        assert!(Isic::parse("C1").is_none());
        assert!(Isic::parse("C123456").is_none());
        assert!(Isic::parse("").is_none());
        let c = Isic::parse("C2520").unwrap();
        assert!(c.is_within(&Isic::parse("C").unwrap()));
        assert!(!Isic::parse("C").unwrap().is_within(&c));
    }

    #[test]
    fn every_section_has_a_title_in_both_languages() {
        for ((letter, en, zh), (section, _, _)) in SECTION_TITLES.iter().zip(SECTIONS) {
            assert_eq!(letter.chars().next(), Some(section));
            assert!(Isic::parse(letter).is_some() && !en.is_empty() && !zh.is_empty());
        }
    }

    #[test]
    fn entry_modes_round_trip_their_codes() {
        for m in EntryMode::ALL {
            assert_eq!(EntryMode::parse(m.code()), Some(m));
            assert_eq!(serde_json::to_value(m).unwrap(), m.code());
        }
        assert_eq!(EntryMode::parse("merger"), None);
    }
}
